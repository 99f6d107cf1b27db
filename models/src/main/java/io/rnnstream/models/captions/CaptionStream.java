package io.rnnstream.models.captions;

import io.rnnstream.models.audio.FrameConsumer;
import io.rnnstream.models.audio.LogMelConfig;
import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.LogMelState;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.ctc.CtcDecoder;
import io.rnnstream.models.ctc.CtcResult;
import io.rnnstream.models.ctc.GreedyDecoder;
import io.rnnstream.models.ctc.PrefixBeamSearch;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.HeadSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Live captions of audio streams: the one streaming path shared by the Flink caption operator and
 * {@code rnnstream transcribe}, so the two cannot drift.
 *
 * <pre>
 *   PCM16 chunks --LogMelExtractor--> 40 log-mel / 10 ms --RnnModel.step--> C scores
 *     --log-softmax--> CTC decoder (greedy | prefix beam) --> partial and final captions
 * </pre>
 *
 * <p>A stream is one {@link State}: the extractor's unconsumed samples, the LSTM state, the
 * decoder state and the segment bookkeeping. A {@code CaptionStream} holds one model and the
 * worker's scratch buffers: not thread-safe, one per worker thread, any number of states.
 *
 * <p><b>Semantics.</b>
 * <ul>
 *   <li><b>Chunking invariance.</b> Everything happens per feature frame (the extractor's frames do
 *       not depend on the chunking, bit for bit), and partial captions are taken on a grid of
 *       {@link CaptionConfig#partialIntervalFrames} frames: the captions of a stream are the same
 *       however its audio is cut into chunks.
 *   <li><b>Segments.</b> A segment ends with a final caption when, once something was said (a
 *       frame whose most probable class is not the blank), {@link CaptionConfig#endpointBlankFrames}
 *       consecutive frames have the blank as most probable class; or after
 *       {@link CaptionConfig#maxSegmentFrames}; or at {@link #endOfStream}. Then the LSTM state
 *       and the decoder start afresh for the next segment. A segment that produced no text and no
 *       partial caption ends silently (no final caption, the segment index does not advance).
 *   <li><b>Captions.</b> Partial captions are taken every {@code partialIntervalFrames} frames
 *       of a segment and emitted when the text or its stable part changed; revision numbers count
 *       a segment's captions. {@code stable} only grows within a segment and is a prefix of the
 *       final text (the decoder's guarantee); taking a partial never changes the live beams.
 *   <li><b>Words.</b> The text split on whitespace, each word from the frame of its first
 *       character to the end of the frame of its last one, in ms since the stream's start.
 *   <li><b>Handoff.</b> With a {@link Handoff}, each segment boundary reached inside an accept
 *       call (an endpoint or the segment limit) asks which {@code CaptionStream} takes the next
 *       segment; another one (a newer model version) processes the rest of the call's frames
 *       from the zero state. So a continuous stream changes model exactly at an endpoint,
 *       wherever its chunks are cut.
 * </ul>
 *
 * <p><b>Model.</b> Unidirectional, dense input of {@code numMelBins} (40) features per frame, no
 * pooling, a head with one output per CTC class: {@code identity} (logits; log-softmax is applied
 * here) or {@code softmax} (probabilities; the log is taken here). The classes come from
 * {@link #alphabetOf} (the model's labels) unless given explicitly.
 */
public final class CaptionStream {
  /** Version of {@link State#toBytes()}. */
  public static final int STATE_VERSION = 1;

  /** Label names that denote the CTC blank (compared case-insensitively). */
  private static final List<String> BLANK_NAMES =
      List.of("<blank>", "<b>", "blank", "<eps>", "<epsilon>", "\u03b5", "<pad>", "_", "");

  private final RnnModel model;
  private final CtcAlphabet alphabet;
  private final CaptionConfig config;
  private final CtcDecoder<Object> decoder;
  private final LogMelExtractor extractor;
  private final Workspace ws;
  private final double[] logp;
  private final boolean logits;
  private final int blank;
  private final int frameShift;
  private final int sampleRate;
  private final FrameConsumer frameSink;
  // the accept call in progress (this instance is the one it was called on)
  private State current;
  private Consumer<CaptionUpdate> currentOut;
  private Handoff currentHandoff;
  private CaptionStream active; // processes the call's frames; changes at a handoff

  /**
   * Chooses the {@link CaptionStream} of a stream's next segment at a segment boundary reached
   * inside an accept call (see the class comment).
   */
  @FunctionalInterface
  public interface Handoff {
    /**
     * The segment of {@code s} that {@code closing} was captioning has just ended; returns the
     * stream that captions the following frames: {@code closing} to carry on, or another one
     * (same front end and alphabet; it starts the next segment on its model).
     */
    CaptionStream next(State s, CaptionStream closing);
  }

  private CaptionStream(RnnModel model, CtcAlphabet alphabet, CaptionConfig config,
      LogMelExtractor extractor) {
    check(model, alphabet);
    this.model = model;
    this.alphabet = alphabet;
    this.config = config;
    this.decoder = decoder(alphabet, config);
    this.extractor = extractor;
    this.ws = model.newWorkspace();
    this.logp = new double[alphabet.numClasses()];
    this.logits = model.spec().head().activation() == Activation.IDENTITY;
    this.blank = alphabet.blank();
    LogMelConfig mel = extractor.config();
    this.frameShift = mel.frameShift();
    this.sampleRate = mel.sampleRate();
    this.frameSink = (index, features) -> feed(features);
  }

  /** A stream over {@code model} with its own extractor (default front end) and alphabet. */
  public static CaptionStream create(RnnModel model, CaptionConfig config) {
    return create(model, alphabetOf(model), config, new LogMelExtractor());
  }

  /**
   * A stream over {@code model}, decoding {@code alphabet}, sharing {@code extractor} (one per
   * worker thread) with other streams of the same thread.
   *
   * @throws IllegalArgumentException if the model cannot caption (see {@link #check})
   */
  public static CaptionStream create(RnnModel model, CtcAlphabet alphabet, CaptionConfig config,
      LogMelExtractor extractor) {
    if (config == null || extractor == null || alphabet == null) {
      throw new IllegalArgumentException("model, alphabet, config and extractor must be set");
    }
    return new CaptionStream(model, alphabet, config, extractor);
  }

  @SuppressWarnings("unchecked")
  private static CtcDecoder<Object> decoder(CtcAlphabet alphabet, CaptionConfig config) {
    CtcDecoder<?> d = config.decoder() == CaptionConfig.Decoder.GREEDY
        ? new GreedyDecoder(alphabet)
        : PrefixBeamSearch.builder(alphabet).beamWidth(config.beamWidth())
            .pruneBelow(config.pruneBelow()).commitAfterFrames(config.commitAfterFrames())
            .build();
    return (CtcDecoder<Object>) d;
  }

  /**
   * The CTC classes of a caption model, from {@code model.info().labels()}: one label per head
   * output, in output order. The blank is the label named {@code <blank>} (also accepted:
   * {@code <b>}, {@code blank}, {@code <eps>}, {@code ε}, {@code <pad>}, {@code _} or the empty
   * string); every other label is one character, where {@code <space>}, {@code |} and
   * {@code ▁} stand for a space.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public static CtcAlphabet alphabetOf(RnnModel model) {
    List<String> labels = model.info().labels();
    HeadSpec head = model.spec().head();
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("model '" + model.info().name() + "' has no labels:"
          + " a caption model lists its CTC classes (the blank and one character each) as"
          + " labels; or give the alphabet explicitly");
    }
    if (head != null && labels.size() != head.outputSize()) {
      throw new IllegalArgumentException("model '" + model.info().name() + "' has "
          + labels.size() + " labels but " + head.outputSize() + " head outputs");
    }
    int blank = -1;
    StringBuilder chars = new StringBuilder();
    for (int i = 0; i < labels.size(); i++) {
      String l = labels.get(i);
      if (blank < 0 && BLANK_NAMES.contains(l.toLowerCase(Locale.ROOT))) {
        blank = i;
        continue;
      }
      String c = switch (l.toLowerCase(Locale.ROOT)) {
        case "<space>", "|", "\u2581" -> " ";
        default -> l;
      };
      if (c.codePointCount(0, c.length()) != 1) {
        throw new IllegalArgumentException("label " + i + " of model '" + model.info().name()
            + "' is \"" + l + "\": caption labels are single characters (or <blank>, <space>)");
      }
      chars.append(c);
    }
    if (blank < 0) {
      throw new IllegalArgumentException("model '" + model.info().name() + "' has no blank"
          + " label (name it <blank>) among " + labels);
    }
    return CtcAlphabet.of(chars.toString(), blank);
  }

  /**
   * Checks that {@code model} can caption with {@code alphabet}.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public static void check(RnnModel model, CtcAlphabet alphabet) {
    String name = "model '" + model.info().name() + "' v" + model.info().version();
    if (model.spec().bidirectional()) {
      throw new IllegalArgumentException(name + " is bidirectional: captions need a"
          + " unidirectional model");
    }
    if (model.spec().readsTokenIds()) {
      throw new IllegalArgumentException(name + " reads token ids: captions need feature frames");
    }
    if (model.spec().pooling() != Pooling.NONE) {
      throw new IllegalArgumentException(name + " pools its outputs (" + model.spec().pooling()
          + "): captions need one output per frame");
    }
    HeadSpec head = model.spec().head();
    if (head == null) {
      throw new IllegalArgumentException(name + " has no head: captions need per-frame scores");
    }
    if (head.activation() != Activation.IDENTITY && head.activation() != Activation.SOFTMAX) {
      throw new IllegalArgumentException(name + " has a " + head.activation() + " head:"
          + " captions need logits (identity) or probabilities (softmax)");
    }
    if (head.outputSize() != alphabet.numClasses()) {
      throw new IllegalArgumentException(name + " has " + head.outputSize() + " outputs but"
          + " the alphabet has " + alphabet.numClasses() + " classes (blank + "
          + (alphabet.numClasses() - 1) + " characters)");
    }
  }

  public RnnModel model() {
    return model;
  }

  public CtcAlphabet alphabet() {
    return alphabet;
  }

  public CaptionConfig config() {
    return config;
  }

  /** Feature values per frame the model reads. */
  public int frameWidth() {
    return model.inputSize();
  }

  /** Milliseconds of frame index {@code frame} (frame starts every {@code frameShift} samples). */
  public long millis(long frame) {
    return frame * frameShift * 1000L / sampleRate;
  }

  /** A fresh stream: nothing received, segment 0. */
  public State newState() {
    State s = new State();
    s.mel = extractor.newState();
    s.rnn = model.newState();
    s.decoderState = decoder.newState();
    s.boundTo = decoder;
    return s;
  }

  /**
   * Makes {@code s} usable by this stream: a state last used by another instance (another model
   * version, a restored checkpoint) is rebound. If its LSTM or decoder state does not fit this
   * model, the open segment is dropped and a new one starts on this model (use it at segment
   * boundaries); returns whether that happened.
   */
  public boolean adopt(State s) {
    boolean fits = s.rnn.values().length == model.stateSize();
    if (fits && s.boundTo != decoder) {
      try {
        byte[] bytes = s.decoderBytes();
        s.decoderState = decoder.fromBytes(bytes);
        s.decoderBytes = null;
        s.boundTo = decoder;
      } catch (IllegalArgumentException e) {
        fits = false;
      }
    }
    if (!fits) {
      resetSegment(s);
      s.segmentStart = s.frames;
    }
    return !fits;
  }

  /** Starts the next segment on this model without a final caption (a clean boundary). */
  public void startSegmentOnThisModel(State s) {
    resetSegment(s);
  }

  /** Feeds little-endian PCM16 bytes (odd counts allowed: the odd byte waits for its partner). */
  public void acceptPcm16Le(State s, byte[] pcm, int off, int len, Consumer<CaptionUpdate> out) {
    acceptPcm16Le(s, pcm, off, len, out, null);
  }

  /**
   * As {@link #acceptPcm16Le(State, byte[], int, int, Consumer)}, asking {@code handoff} (null:
   * none) at each segment boundary which stream captions the following frames; returns the stream
   * that captioned the last frame (the one to use for the stream from now on).
   */
  public CaptionStream acceptPcm16Le(State s, byte[] pcm, int off, int len,
      Consumer<CaptionUpdate> out, Handoff handoff) {
    requirePcmFrontEnd();
    begin(s, out, handoff);
    try {
      extractor.acceptPcm16Le(s.mel, pcm, off, len, frameSink);
      return active;
    } finally {
      end();
    }
  }

  /** Feeds PCM16 samples. */
  public void acceptPcm16(State s, short[] pcm, int off, int len, Consumer<CaptionUpdate> out) {
    requirePcmFrontEnd();
    begin(s, out, null);
    try {
      extractor.acceptPcm16(s.mel, pcm, off, len, frameSink);
    } finally {
      end();
    }
  }

  /**
   * Feeds feature frames directly (rows of {@link #frameWidth()} values, e.g. log-mel frames made
   * elsewhere). Every row is checked before anything changes.
   *
   * @throws IllegalArgumentException for a row of the wrong width or with non-finite values
   */
  public void acceptFrames(State s, float[][] frames, Consumer<CaptionUpdate> out) {
    acceptFrames(s, frames, out, null);
  }

  /**
   * As {@link #acceptFrames(State, float[][], Consumer)} with a {@link Handoff} (null: none);
   * returns the stream that captioned the last frame.
   */
  public CaptionStream acceptFrames(State s, float[][] frames, Consumer<CaptionUpdate> out,
      Handoff handoff) {
    checkFrames(frames);
    begin(s, out, handoff);
    try {
      for (float[] f : frames) {
        feed(f);
      }
      return active;
    } finally {
      end();
    }
  }

  private void begin(State s, Consumer<CaptionUpdate> out, Handoff handoff) {
    bind(s);
    current = s;
    currentOut = out;
    currentHandoff = handoff;
    active = this;
  }

  private void end() {
    current = null;
    currentOut = null;
    currentHandoff = null;
    active = null;
  }

  /** One frame of the call in progress, on the active stream; a handoff at a boundary. */
  private void feed(float[] features) {
    if (active.frame(current, features, 0, currentOut) && currentHandoff != null) {
      CaptionStream next = currentHandoff.next(current, active);
      if (next != active) {
        next.requireSameFrontEnd(this);
        next.startSegmentOnThisModel(current);
        active = next;
      }
    }
  }

  /** The frames of this call keep coming from the caller's extractor: same width and clock. */
  private void requireSameFrontEnd(CaptionStream other) {
    if (model.inputSize() != other.model.inputSize() || frameShift != other.frameShift
        || sampleRate != other.sampleRate) {
      throw new IllegalArgumentException("a handoff must keep the front end: "
          + other.model.inputSize() + " features every " + other.frameShift + " of "
          + other.sampleRate + " samples/s, the new model reads " + model.inputSize()
          + " every " + frameShift + " of " + sampleRate);
    }
  }

  /** The checks of {@link #acceptFrames}, alone. */
  public void checkFrames(float[][] frames) {
    int d = model.inputSize();
    for (int t = 0; t < frames.length; t++) {
      float[] f = frames[t];
      if (f == null || f.length != d) {
        throw new IllegalArgumentException("frame " + t + " has " + (f == null ? 0 : f.length)
            + " values, the model expects " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!Float.isFinite(f[j])) {
          throw new IllegalArgumentException("frame " + t + " value " + j + " is " + f[j]);
        }
      }
    }
  }

  /**
   * The stream ended: the open segment ends (a final caption if it has text or partials), samples
   * short of a whole frame are dropped, and the state starts afresh for audio that may follow
   * under the same stream (segment indices and the clock go on).
   */
  public void endOfStream(State s, Consumer<CaptionUpdate> out) {
    bind(s);
    closeSegment(s, out);
    s.mel.reset();
  }

  /** Ends the open segment now, as an endpoint would (e.g. before a model swap). */
  public void endSegment(State s, Consumer<CaptionUpdate> out) {
    bind(s);
    closeSegment(s, out);
  }

  /**
   * The open segment's caption right now, without emitting or changing anything (its revision is
   * the one the next emitted caption would carry). Read-only: the live beams stay as they are.
   */
  public CaptionUpdate peek(State s) {
    bind(s);
    return caption(s, decoder.result(s.decoderState), false);
  }

  // ------------------------------------------------------------------ per frame

  /** One frame through model and decoder; returns whether it ended the segment. */
  private boolean frame(State s, float[] x, int off, Consumer<CaptionUpdate> out) {
    float[] y = model.step(s.rnn, x, off, ws);
    int c = logp.length;
    int best = 0;
    if (logits) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        max = Math.max(max, y[k]);
      }
      double sum = 0;
      for (int k = 0; k < c; k++) {
        sum += Math.exp(y[k] - max);
      }
      double lse = max + Math.log(sum);
      for (int k = 0; k < c; k++) {
        logp[k] = y[k] - lse;
      }
    } else {
      for (int k = 0; k < c; k++) {
        logp[k] = Math.log(y[k]);
      }
    }
    for (int k = 1; k < c; k++) {
      if (logp[k] > logp[best]) {
        best = k;
      }
    }
    decoder.step(s.decoderState, logp, 0);
    s.frames++;
    if (best == blank) {
      s.trailingBlanks++;
    } else {
      s.trailingBlanks = 0;
      s.said = true;
    }
    long segmentFrames = s.frames - s.segmentStart;
    int endpoint = config.endpointBlankFrames();
    if ((endpoint > 0 && s.said && s.trailingBlanks >= endpoint)
        || segmentFrames >= config.maxSegmentFrames()) {
      closeSegment(s, out);
      return true;
    }
    if (config.partials() && segmentFrames % config.partialIntervalFrames() == 0) {
      CtcResult r = decoder.result(s.decoderState);
      if (!r.text().equals(s.lastText) || !r.stable().equals(s.lastStable)) {
        CaptionUpdate u = caption(s, r, false);
        s.revision++;
        s.lastText = r.text();
        s.lastStable = r.stable();
        out.accept(u);
      }
    }
    return false;
  }

  /** Emits the final caption if the segment has anything to show, then starts the next one. */
  private void closeSegment(State s, Consumer<CaptionUpdate> out) {
    CtcResult r = decoder.finalResult(s.decoderState);
    if (!r.text().isEmpty() || s.revision > 0) {
      CaptionUpdate u = caption(s, r, true);
      s.segment++;
      out.accept(u);
    }
    resetSegment(s);
  }

  private void resetSegment(State s) {
    if (s.rnn.values().length == model.stateSize()) {
      s.rnn.reset();
    } else {
      s.rnn = model.newState();
    }
    s.decoderState = decoder.newState();
    s.decoderBytes = null;
    s.boundTo = decoder;
    s.revision = 0;
    s.trailingBlanks = 0;
    s.said = false;
    s.segmentStart = s.frames;
    s.lastText = "";
    s.lastStable = "";
  }

  private CaptionUpdate caption(State s, CtcResult r, boolean isFinal) {
    int[] labels = r.labels();
    long[] frames = r.frames();
    List<CaptionWord> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    long first = -1;
    long last = -1;
    for (int i = 0; i <= labels.length; i++) {
      int cp = i < labels.length ? alphabet.codePoint(labels[i]) : ' ';
      if (Character.isWhitespace(cp)) {
        if (w.length() > 0) {
          words.add(new CaptionWord(w.toString(), millis(s.segmentStart + first),
              millis(s.segmentStart + last + 1)));
          w.setLength(0);
        }
      } else {
        if (w.length() == 0) {
          first = frames[i];
        }
        last = frames[i];
        w.appendCodePoint(cp);
      }
    }
    String stable = isFinal ? r.text() : r.stable();
    String unstable = isFinal ? "" : r.text().substring(r.stable().length());
    return new CaptionUpdate(s.segment, s.revision, stable, unstable, isFinal, words,
        millis(s.segmentStart), millis(s.frames));
  }

  private void bind(State s) {
    if (s.boundTo != decoder || s.rnn.values().length != model.stateSize()) {
      adopt(s); // a state that does not fit this model starts a new segment on it
    }
  }

  private void requirePcmFrontEnd() {
    if (model.inputSize() != extractor.numMelBins()) {
      throw new IllegalArgumentException("model '" + model.info().name() + "' reads "
          + model.inputSize() + " features per frame but the PCM front end makes "
          + extractor.numMelBins() + "; send feature frames instead");
    }
  }

  // ------------------------------------------------------------------ state

  /**
   * One stream: the extractor's pending samples, the LSTM state, the decoder state and the
   * segment bookkeeping. Serializable ({@link #toBytes}, {@link #fromBytes}); a restored state
   * binds to the {@link CaptionStream} that next uses it.
   */
  public static final class State {
    LogMelState mel;
    RnnState rnn;
    Object decoderState; // live, for boundTo; or null with decoderBytes set
    byte[] decoderBytes;
    CtcDecoder<Object> boundTo;
    long frames;
    long segment;
    int revision;
    long segmentStart;
    int trailingBlanks;
    boolean said;
    String lastText = "";
    String lastStable = "";

    State() {}

    /** Feature frames consumed since the stream started. */
    public long frames() {
      return frames;
    }

    /** Index of the open segment. */
    public long segment() {
      return segment;
    }

    /** Revision the next caption of the open segment carries. */
    public int revision() {
      return revision;
    }

    /** Frame at which the open segment started. */
    public long segmentStart() {
      return segmentStart;
    }

    /** Consecutive frames (up to now) whose most probable class is the blank. */
    public int trailingBlanks() {
      return trailingBlanks;
    }

    /** Whether the open segment has had a non-blank frame. */
    public boolean said() {
      return said;
    }

    public LogMelState mel() {
      return mel;
    }

    public RnnState rnn() {
      return rnn;
    }

    /** The decoder state's own versioned bytes ({@code CtcDecoder.toBytes}). */
    public byte[] decoderBytes() {
      return decoderState != null ? boundTo.toBytes(decoderState) : decoderBytes.clone();
    }

    /**
     * Layout (version 1, big-endian): {@code u8 version, i64 frames, i64 segment, i32 revision,
     * i64 segmentStart, i32 trailingBlanks, u8 flags (1 = said), str lastStable, str lastText,
     * bytes mel (LogMelState), i64 rnnSteps, i32 n, n x f32 rnn values, bytes decoder}; {@code str}
     * and {@code bytes} are an i32 length and the (UTF-8) bytes.
     */
    public byte[] toBytes() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 4 * rnn.values().length);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(STATE_VERSION);
        out.writeLong(frames);
        out.writeLong(segment);
        out.writeInt(revision);
        out.writeLong(segmentStart);
        out.writeInt(trailingBlanks);
        out.writeByte(said ? 1 : 0);
        writeBytes(out, lastStable.getBytes(StandardCharsets.UTF_8));
        writeBytes(out, lastText.getBytes(StandardCharsets.UTF_8));
        writeBytes(out, mel.toBytes());
        out.writeLong(rnn.steps());
        float[] v = rnn.values();
        out.writeInt(v.length);
        for (float f : v) {
          out.writeInt(Float.floatToRawIntBits(f));
        }
        writeBytes(out, decoderBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    /**
     * Reads {@link #toBytes}; the decoder part stays bytes until a {@link CaptionStream} uses the
     * state.
     *
     * @throws IllegalArgumentException for corrupt or unknown-version bytes, saying which
     */
    public static State fromBytes(byte[] bytes) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        int version = in.readUnsignedByte();
        if (version != STATE_VERSION) {
          throw new IllegalArgumentException("caption stream state version " + version
              + " is not supported (this build reads version " + STATE_VERSION + "); restore"
              + " with the rnnstream build that wrote it, or start the stream afresh");
        }
        State s = new State();
        s.frames = in.readLong();
        s.segment = in.readLong();
        s.revision = in.readInt();
        s.segmentStart = in.readLong();
        s.trailingBlanks = in.readInt();
        s.said = (in.readUnsignedByte() & 1) != 0;
        s.lastStable = new String(readBytes(in, "lastStable"), StandardCharsets.UTF_8);
        s.lastText = new String(readBytes(in, "lastText"), StandardCharsets.UTF_8);
        s.mel = LogMelState.fromBytes(readBytes(in, "mel"));
        long steps = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > in.available() / 4 || steps < 0) {
          throw new IllegalArgumentException("corrupt caption stream state: " + n
              + " LSTM state floats, " + steps + " steps");
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = Float.intBitsToFloat(in.readInt());
        }
        s.rnn = new RnnState(v, steps);
        s.decoderBytes = readBytes(in, "decoder");
        if (in.available() != 0 || s.frames < 0 || s.segmentStart > s.frames
            || s.revision < 0 || s.trailingBlanks < 0 || s.segment < 0) {
          throw new IllegalArgumentException("corrupt caption stream state: inconsistent"
              + " counters or trailing bytes");
        }
        return s;
      } catch (IOException e) {
        throw new IllegalArgumentException("corrupt caption stream state: " + e.getMessage(), e);
      }
    }

    /** A deep copy (unbound: its decoder part is bytes). */
    public State copy() {
      return fromBytes(toBytes());
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
      out.writeInt(b.length);
      out.write(b);
    }

    private static byte[] readBytes(DataInputStream in, String what) throws IOException {
      int n = in.readInt();
      if (n < 0 || n > in.available()) {
        throw new IllegalArgumentException("corrupt caption stream state: " + what + " length "
            + n);
      }
      return in.readNBytes(n);
    }

    @Override
    public String toString() {
      return "CaptionStream.State{frames=" + frames + ", segment=" + segment + ", revision="
          + revision + ", segmentStart=" + segmentStart + ", trailingBlanks=" + trailingBlanks
          + ", said=" + said + "}";
    }
  }
}
