package io.rnnstream.models.ctc;

/**
 * Best-path decoding: the most probable class per frame (ties: the lowest index), repeats
 * collapsed, blanks dropped. A class repeated across a blank counts twice ({@code a _ a -> aa});
 * repeated across frames without a blank, once ({@code a a -> a}) — also across chunk boundaries,
 * since the state remembers the previous frame's class.
 *
 * <p>Nothing emitted is ever revised, so the whole text is stable: {@code stable == text} at every
 * point. Timestamps: the frame at which each label's run starts. State: frame count, previous
 * frame's class, the path's log-probability, emitted labels (released by {@link #dropStable}).
 * Immutable and thread-safe; one {@link State} per stream.
 */
public final class GreedyDecoder implements CtcDecoder<GreedyDecoder.State> {
  /** Kind byte of serialized greedy states. */
  static final int KIND = 'G';
  /** Version of the serialized state layout. */
  public static final int STATE_VERSION = 1;

  private final CtcAlphabet alphabet;

  public GreedyDecoder(CtcAlphabet alphabet) {
    if (alphabet == null) {
      throw new IllegalArgumentException("alphabet must not be null");
    }
    this.alphabet = alphabet;
  }

  /** The per-stream state of a {@link GreedyDecoder}. */
  public static final class State {
    private long frameCount;
    private int previous = -1; // class of the previous frame, -1 before the first
    private double logScore;
    private long offset;
    private final TokenList tokens;

    State(TokenList tokens) {
      this.tokens = tokens;
    }

    public long frameCount() {
      return frameCount;
    }

    /** Labels held (emitted and not yet dropped). */
    public int size() {
      return tokens.size();
    }

    public State copy() {
      State s = new State(tokens.copy());
      s.frameCount = frameCount;
      s.previous = previous;
      s.logScore = logScore;
      s.offset = offset;
      return s;
    }

    @Override
    public String toString() {
      return "GreedyDecoder.State{frames=" + frameCount + ", labels=" + tokens.size() + "}";
    }
  }

  @Override
  public CtcAlphabet alphabet() {
    return alphabet;
  }

  @Override
  public State newState() {
    return new State(new TokenList());
  }

  @Override
  public void step(State state, double[] logp, int offset) {
    int c = alphabet.numClasses();
    LogMath.checkFrame(logp, offset, c);
    int best = 0;
    for (int k = 1; k < c; k++) {
      if (logp[offset + k] > logp[offset + best]) {
        best = k;
      }
    }
    if (best != alphabet.blank() && best != state.previous) {
      state.tokens.add(best, state.frameCount);
    }
    state.previous = best;
    state.logScore += logp[offset + best];
    state.frameCount++;
  }

  @Override
  public CtcResult result(State state) {
    int[] labels = state.tokens.labels();
    return new CtcResult(alphabet, labels, state.tokens.frames(), labels.length, state.offset,
        state.logScore, state.frameCount);
  }

  @Override
  public CtcResult finalResult(State state) {
    return result(state);
  }

  @Override
  public CtcResult dropStable(State state) {
    CtcResult dropped = result(state);
    state.offset += state.tokens.size();
    state.tokens.clear();
    return dropped;
  }

  /**
   * Layout (version 1): {@code u8 'G', u8 version, varint C, varint blank, varint frameCount,
   * varint previous+1, varint offset, f64 logScore, varint n, n x (varint label, zigzag frame
   * delta)}.
   */
  @Override
  public byte[] toBytes(State state) {
    StateBytes.Writer w = new StateBytes.Writer()
        .u8(KIND).u8(STATE_VERSION)
        .varLong(alphabet.numClasses()).varLong(alphabet.blank())
        .varLong(state.frameCount).varLong(state.previous + 1L).varLong(state.offset)
        .f64(state.logScore);
    state.tokens.write(w, 0);
    return w.toBytes();
  }

  @Override
  public State fromBytes(byte[] bytes) {
    StateBytes.Reader r = new StateBytes.Reader(bytes, "greedy CTC decoder state");
    Header.read(r, KIND, STATE_VERSION, alphabet);
    long frameCount = r.varLong();
    int previous = r.varInt("previous class", alphabet.numClasses()) - 1;
    long offset = r.varLong();
    double logScore = r.f64();
    TokenList tokens = TokenList.read(r, 0, alphabet.numClasses(), alphabet.blank(), "labels");
    r.end();
    State s = new State(tokens);
    s.frameCount = frameCount;
    s.previous = previous;
    s.offset = offset;
    s.logScore = logScore;
    return s;
  }

  @Override
  public String toString() {
    return "GreedyDecoder{" + alphabet + "}";
  }

  /** The common header of decoder states: kind, version, alphabet size and blank. */
  static final class Header {
    private Header() {}

    static void read(StateBytes.Reader r, int kind, int version, CtcAlphabet alphabet) {
      int k = r.u8();
      if (k != kind) {
        throw new IllegalArgumentException("not a " + (kind == KIND ? "greedy" : "beam search")
            + " CTC decoder state (kind byte " + k + ", expected " + kind + ")");
      }
      int v = r.u8();
      if (v != version) {
        throw new IllegalArgumentException("CTC decoder state version " + v
            + " is not supported (this build reads version " + version + "); restore it with"
            + " the rnnstream version that wrote it, or start the stream afresh");
      }
      long c = r.varLong();
      long blank = r.varLong();
      if (c != alphabet.numClasses() || blank != alphabet.blank()) {
        throw new IllegalArgumentException("CTC decoder state was written for " + c
            + " classes with blank " + blank + ", this decoder has " + alphabet.numClasses()
            + " classes with blank " + alphabet.blank());
      }
    }
  }
}
