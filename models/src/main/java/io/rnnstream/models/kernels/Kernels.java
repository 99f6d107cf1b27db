package io.rnnstream.models.kernels;

/**
 * Fast kernels. Each has a naive twin in {@link ReferenceKernels} that tests compare against.
 * Arrays are passed as {@code (array, offset)} with lengths taken from the matrix.
 */
public final class Kernels {
  private Kernels() {}

  /** y (R) += W (R, C) @ x (C), as C axpy loops over W's columns (auto-vectorised by C2). */
  public static void gemvAdd(Matrix w, float[] x, int xOff, float[] y, int yOff) {
    int rows = w.rows();
    int cols = w.cols();
    if (yOff == 0) {
      for (int c = 0; c < cols; c++) {
        axpy(x[xOff + c], w.column(c), y, rows);
      }
    } else {
      for (int c = 0; c < cols; c++) {
        axpy(x[xOff + c], w.column(c), y, yOff, rows);
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
