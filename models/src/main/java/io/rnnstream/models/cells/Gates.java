package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/** The affine pre-activation shared by every cell: {@code g = W_ih x + b_ih + W_hh h + b_hh}. */
final class Gates {
  private Gates() {}

  /** g[0..n) = b1 + b2 (either may be null: {@code bias=False}). */
  static void initBias(float[] g, Tensor b1, Tensor b2, int n) {
    if (b1 == null) {
      java.util.Arrays.fill(g, 0, n, 0f);
    } else {
      System.arraycopy(b1.data(), 0, g, 0, n);
    }
    if (b2 != null) {
      float[] b = b2.data();
      for (int i = 0; i < n; i++) {
        g[i] += b[i];
      }
    }
  }

  /** g (R) = b1 + b2 + W_ih (R, D) x + W_hh (R, H) h. */
  static void affine(
      float[] g,
      Matrix wIh,
      Tensor bIh,
      float[] x,
      int xOff,
      Matrix wHh,
      Tensor bHh,
      float[] h,
      int hOff) {
    initBias(g, bIh, bHh, wIh.rows());
    wIh.multiplyAdd(x, xOff, g, 0);
    wHh.multiplyAdd(h, hOff, g, 0);
  }

  /** {@link #affine} for n keys: gs[b] = b1 + b2 + W_ih xs[b][xOffs[b]..] + W_hh hs[b][hOff..]. */
  static void affineBatch(
      int n,
      float[][] gs,
      Matrix wIh,
      Tensor bIh,
      float[][] xs,
      int[] xOffs,
      Matrix wHh,
      Tensor bHh,
      float[][] hs,
      int hOff) {
    for (int b = 0; b < n; b++) {
      initBias(gs[b], bIh, bHh, wIh.rows());
    }
    wIh.multiplyAddBatch(n, xs, xOffs, 0, gs);
    wHh.multiplyAddBatch(n, hs, null, hOff, gs);
  }
}
