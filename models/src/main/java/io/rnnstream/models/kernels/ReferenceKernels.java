package io.rnnstream.models.kernels;

/** Naive, obviously-correct kernels that the fast ones in {@link Kernels} are tested against. */
public final class ReferenceKernels {
  private ReferenceKernels() {}

  /** y (R) += W (R, C) @ x (C), row by row from the row-major tensor, in double precision. */
  public static void gemvAdd(Tensor w, float[] x, int xOff, float[] y, int yOff) {
    int rows = w.dim(0);
    int cols = w.dim(1);
    float[] d = w.data();
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        sum += (double) d[r * cols + c] * x[xOff + c];
      }
      y[yOff + r] += (float) sum;
    }
  }
}
