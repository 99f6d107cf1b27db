package io.rnnstream.models.ctc;

/** Log-space arithmetic shared by the CTC loss and decoders (natural logarithms). */
final class LogMath {
  static final double NEG_INF = Double.NEGATIVE_INFINITY;

  private LogMath() {}

  /** {@code log(exp(a) + exp(b))}, exact for -inf operands, stable for large ones. */
  static double logAdd(double a, double b) {
    if (a == NEG_INF) {
      return b;
    }
    if (b == NEG_INF) {
      return a;
    }
    return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
  }

  /**
   * Checks one frame of {@code c} log-probabilities at {@code logp[offset..offset+c)}: every value
   * is finite or {@code -Infinity} (a probability of 0).
   */
  static void checkFrame(double[] logp, int offset, int c) {
    if (logp == null) {
      throw new IllegalArgumentException("logp must not be null");
    }
    if (offset < 0 || offset + c > logp.length) {
      throw new IllegalArgumentException("frame [" + offset + ", " + (offset + c)
          + ") is outside logp of length " + logp.length);
    }
    for (int k = 0; k < c; k++) {
      double v = logp[offset + k];
      if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("logp[" + k + "] = " + v
            + " is not a log-probability (finite or -Infinity)");
      }
    }
  }
}
