package io.rnnstream.training;

/**
 * A loss on a model's per-step outputs, supplying dL/dy per step: the one thing backward needs.
 * Cross-entropy, MSE and BCE are in {@link Losses}; a CTC loss implements this interface the same
 * way (see {@link #requireWholeSequence}).
 *
 * <p>Under truncated BPTT the trainer calls {@link #evaluate} once per window with that window's
 * outputs; the total loss is the sum over windows. Losses that decompose over steps (everything
 * in {@link Losses}) handle any window; a loss that needs the whole sequence at once (CTC) should
 * call {@link #requireWholeSequence} and is then used with full BPTT (window 0).
 */
@FunctionalInterface
public interface OutputLoss {
  /**
   * @param y outputs of steps {@code [from, from + y.length)} of a sequence of {@code length}
   *     steps, {@code y[i] (O)}; do not modify
   * @param from index in the whole sequence of {@code y[0]}
   * @param length steps of the whole sequence
   * @param dy zero-filled, same shape as {@code y}: write dL/dy here
   * @return this window's contribution to the sequence's loss
   */
  double evaluate(double[][] y, int from, int length, double[][] dy);

  /** Throws unless the window is the whole sequence (for losses like CTC). */
  static void requireWholeSequence(double[][] y, int from, int length) {
    if (from != 0 || y.length != length) {
      throw new IllegalArgumentException(
          "this loss needs the whole sequence at once: use full BPTT (window 0), got steps ["
              + from + ", " + (from + y.length) + ") of " + length);
    }
  }
}
