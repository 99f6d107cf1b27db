package io.rnnstream.training;

/**
 * An affine map {@code y (R) += W (R, C) x (C) + b (R)} over live parameter arrays of a
 * {@link TrainableModel}, with its backward pass. The bias may be absent ({@code bias=False}).
 * With {@code moduleSize > 0} W is block upper-triangular (Clockwork W_hh): row r only reads
 * columns {@code c >= (r / moduleSize) * moduleSize}; the entries below are neither read nor
 * given gradient.
 */
final class Linear {
  final String weightName;
  final String biasName; // or null
  final int rows;
  final int cols;
  private final double[] w;
  private final double[] b;
  private final int moduleSize;

  Linear(TrainableModel m, String weightName, String biasName, int rows, int cols, int moduleSize) {
    this.weightName = weightName;
    this.biasName = biasName;
    this.rows = rows;
    this.cols = cols;
    this.w = m.param(weightName);
    this.b = biasName == null ? null : m.param(biasName);
    this.moduleSize = moduleSize;
    if (w.length != rows * cols) {
      throw new IllegalStateException(weightName + " has " + w.length + " values, expected "
          + rows + "x" + cols);
    }
  }

  Linear(TrainableModel m, String weightName, String biasName, int rows, int cols) {
    this(m, weightName, biasName, rows, cols, 0);
  }

  private int colStart(int r) {
    return moduleSize > 0 ? (r / moduleSize) * moduleSize : 0;
  }

  /** y += W x + b. */
  void forward(double[] x, double[] y) {
    for (int r = 0; r < rows; r++) {
      double s = b == null ? 0 : b[r];
      int base = r * cols;
      for (int c = colStart(r); c < cols; c++) {
        s += w[base + c] * x[c];
      }
      y[r] += s;
    }
  }

  /**
   * Given dL/dy: dW += dy x^T, db += dy, and (when {@code dx} is not null) dx += W^T dy.
   */
  void backward(double[] dy, double[] x, double[] dx, Gradients g) {
    double[] dw = g.get(weightName);
    double[] db = biasName == null ? null : g.get(biasName);
    for (int r = 0; r < rows; r++) {
      double d = dy[r];
      if (d == 0) {
        continue;
      }
      if (db != null) {
        db[r] += d;
      }
      int base = r * cols;
      for (int c = colStart(r); c < cols; c++) {
        dw[base + c] += d * x[c];
        if (dx != null) {
          dx[c] += w[base + c] * d;
        }
      }
    }
  }
}
