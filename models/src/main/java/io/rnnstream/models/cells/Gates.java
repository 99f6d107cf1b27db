package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/**
 * The affine pre-activation shared by LSTM and Elman cells:
 * {@code g = (b_ih + W_ih x) + b_hh + W_hh h}, in that order of float additions.
 */
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

  /** g[0..n) += b (nothing if b is null: {@code bias=False}). */
  static void addBias(float[] g, Tensor b, int n) {
    if (b != null) {
      float[] v = b.data();
      for (int i = 0; i < n; i++) {
        g[i] += v[i];
      }
    }
  }

  /**
   * The input projection p (R) = b_ih + W_ih (R, D) x, at offset 0 of {@code p}. Every path
   * computes it in this order, and then adds {@code b_hh + W_hh h}, so that a projection
   * precomputed for a token ({@link Cell#project}) gives the same bits as one computed in the
   * step.
   */
  static void project(float[] p, Matrix wIh, Tensor bIh, float[] x, int xOff) {
    initBias(p, bIh, null, wIh.rows());
    wIh.multiplyAdd(x, xOff, p, 0);
  }

  /** g (R) = (b_ih + W_ih (R, D) x) + b_hh + W_hh (R, H) h. */
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
    project(g, wIh, bIh, x, xOff);
    addBias(g, bHh, wHh.rows());
    wHh.multiplyAdd(h, hOff, g, 0);
  }

  /** {@link #affine} with the input projection precomputed: g = p[pOff..pOff+R) + b_hh + W_hh h. */
  static void affineProjected(float[] g, float[] p, int pOff, Matrix wHh, Tensor bHh, float[] h,
      int hOff) {
    int rows = wHh.rows();
    System.arraycopy(p, pOff, g, 0, rows);
    addBias(g, bHh, rows);
    wHh.multiplyAdd(h, hOff, g, 0);
  }

  /**
   * {@link #affine} for n keys:
   * {@code gs[b] = (b_ih + W_ih xs[b][xOffs[b]..]) + b_hh + W_hh hs[b][hOff..]}.
   */
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
    int rows = wIh.rows();
    for (int b = 0; b < n; b++) {
      initBias(gs[b], bIh, null, rows);
    }
    wIh.multiplyAddBatch(n, xs, xOffs, 0, gs);
    for (int b = 0; b < n; b++) {
      addBias(gs[b], bHh, rows);
    }
    wHh.multiplyAddBatch(n, hs, null, hOff, gs);
  }

  /** {@link #affineProjected} for n keys: gs[b] = ps[b][pOffs[b]..] + b_hh + W_hh hs[b][hOff..]. */
  static void affineProjectedBatch(int n, float[][] gs, float[][] ps, int[] pOffs, Matrix wHh,
      Tensor bHh, float[][] hs, int hOff) {
    int rows = wHh.rows();
    for (int b = 0; b < n; b++) {
      System.arraycopy(ps[b], pOffs[b], gs[b], 0, rows);
      addBias(gs[b], bHh, rows);
    }
    wHh.multiplyAddBatch(n, hs, null, hOff, gs);
  }
}
