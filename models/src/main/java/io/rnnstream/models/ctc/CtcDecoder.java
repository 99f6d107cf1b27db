package io.rnnstream.models.ctc;

/**
 * A streaming CTC decoder: immutable configuration (thread-safe, shared by every stream) plus one
 * small mutable state {@code S} per stream, in the same spirit as a model and its per-key state.
 *
 * <p>Contract of every implementation:
 * <ul>
 *   <li><b>Chunking invariance.</b> {@link #step} consumes one frame; feeding a stream in chunks
 *       of any sizes (including zero) leaves exactly the same state (bit for bit, see
 *       {@link #toBytes}) and results as feeding it frame by frame.
 *   <li><b>Read-only results.</b> {@link #result} and {@link #finalResult} never change the state:
 *       taking a partial result mid-stream does not alter the live hypotheses.
 *   <li><b>Stability.</b> {@code result(state).stable()} is a prefix of every later result of the
 *       same stream, in particular of the final text.
 *   <li><b>Checkpointing.</b> {@code fromBytes(toBytes(state))} continues exactly like
 *       {@code state}; the bytes are versioned (a kind byte, a format version, the alphabet size
 *       and blank are checked on restore) and compact (varints, raw doubles).
 *   <li><b>Bounded.</b> The search state is bounded by the decoder's configuration (for beam
 *       search: beam width and {@link PrefixBeamSearch.Builder#commitAfterFrames}); the stable
 *       text grows with the stream until {@link #dropStable} releases it.
 * </ul>
 * A frame holds {@code C = alphabet().numClasses()} natural-log probabilities (finite or
 * {@code -Infinity}); rows need not be normalised. NaN and {@code +Infinity} are rejected before
 * the state changes.
 *
 * @param <S> the per-stream state
 */
public interface CtcDecoder<S> {

  CtcAlphabet alphabet();

  /** A fresh state: no frames seen, empty hypothesis. */
  S newState();

  /** Consumes one frame: the {@code C} log-probabilities at {@code logp[offset .. offset + C)}. */
  void step(S state, double[] logp, int offset);

  /** Consumes one frame given as floats (widened exactly to double). */
  default void step(S state, float[] logp, int offset) {
    int c = alphabet().numClasses();
    if (logp == null || offset < 0 || offset + c > logp.length) {
      throw new IllegalArgumentException("frame [" + offset + ", " + (offset + c)
          + ") is outside logp of length " + (logp == null ? 0 : logp.length));
    }
    double[] frame = new double[c];
    for (int k = 0; k < c; k++) {
      frame[k] = logp[offset + k];
    }
    step(state, frame, 0);
  }

  /** Consumes a chunk of frames, one row each. */
  default void advance(S state, double[][] frames) {
    for (double[] frame : frames) {
      if (frame == null || frame.length != alphabet().numClasses()) {
        throw new IllegalArgumentException("a frame has " + (frame == null ? 0 : frame.length)
            + " values, expected " + alphabet().numClasses());
      }
    }
    for (double[] frame : frames) {
      step(state, frame, 0);
    }
  }

  /** The partial result: the best hypothesis so far and its stable prefix. Read-only. */
  CtcResult result(S state);

  /**
   * The result at the end of the stream: the same hypothesis as {@link #result}, but all of it is
   * stable (no more frames will come). Read-only; start the next stream with {@link #newState}.
   */
  CtcResult finalResult(S state);

  /**
   * Removes the stable labels from the state and returns them (as a result whose text is all
   * stable). Later results cover only what follows, with {@link CtcResult#offset()} advanced. Use
   * it to keep a long stream's state bounded once the stable text has been emitted; decoding
   * itself is unaffected.
   */
  CtcResult dropStable(S state);

  /** The state as versioned bytes, exact (restoring continues bit-identically). */
  byte[] toBytes(S state);

  /**
   * Restores a state written by {@link #toBytes} of a decoder with the same alphabet size and
   * blank.
   *
   * @throws IllegalArgumentException for foreign, corrupt, future-version or mismatched bytes
   */
  S fromBytes(byte[] bytes);
}
