package io.rnnstream.training;

/**
 * Backpropagation through time over one {@link Example}, full or truncated.
 *
 * <p>Truncated BPTT with window k: the sequence is cut into windows {@code [0, k), [k, 2k), ...};
 * each runs forward from the previous window's final {@link TrainState} (carried forward as a
 * constant: no gradient crosses a window boundary), gets its slice of dL/dy from the loss and
 * backpropagates within the window. The result is the sum of the windows' gradients (k1 = k2 = k
 * in Williams and Peng's terms). A many-to-one loss therefore trains only through the last
 * window. Bidirectional models need the whole segment: they only accept full BPTT.
 */
public final class Bptt {
  private Bptt() {}

  /**
   * Accumulates dL/dθ of one example into {@code into}.
   *
   * @param window truncation length; {@code <= 0} (or {@code >= length}) means full BPTT
   * @return the example's loss
   */
  public static double accumulate(TrainableModel model, Example ex, int window, Gradients into) {
    int n = ex.length();
    int k = windowLength(model, window, n);
    TrainState state = null;
    double loss = 0;
    for (int from = 0; from < n; from += k) {
      int to = Math.min(n, from + k);
      SequenceTape tape = ex.forward(model, from, to, state);
      double[][] y = tape.outputs();
      double[][] dy = new double[y.length][y[0].length];
      loss += ex.loss().evaluate(y, from, n, dy);
      if (!allZero(dy)) {
        tape.backward(dy, into);
      }
      if (to < n) {
        state = tape.finalState();
      }
    }
    return loss;
  }

  /** The example's loss without gradients (full forward). */
  public static double loss(TrainableModel model, Example ex) {
    SequenceTape tape = ex.forward(model, 0, ex.length(), null);
    double[][] y = tape.outputs();
    return ex.loss().evaluate(y, 0, ex.length(), new double[y.length][y[0].length]);
  }

  static int windowLength(TrainableModel model, int window, int n) {
    int k = window <= 0 || window >= n ? n : window;
    if (k < n && model.spec().bidirectional()) {
      throw new IllegalArgumentException(
          "bidirectional models need whole segments: truncated BPTT (window " + window
              + " < length " + n + ") is not possible");
    }
    return k;
  }

  static boolean allZero(double[][] a) {
    for (double[] r : a) {
      for (double v : r) {
        if (v != 0) {
          return false;
        }
      }
    }
    return true;
  }
}
