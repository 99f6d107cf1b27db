package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/**
 * Elman network: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}, PyTorch's {@code nn.RNN}
 * ({@code tanh} or {@code relu}; {@code identity} gives the lecture's linear RNN). With ReLU and an
 * identity {@code W_hh} this is the IRNN (see {@code Initializers.irnn}). State: {@code [h (H)]}.
 */
public final class ElmanCell implements Cell {
  private final Matrix wIh; // (H, D)
  private final Matrix wHh; // (H, H)
  private final Tensor bIh; // (H) or null
  private final Tensor bHh; // (H) or null
  private final Activation activation;
  private final int hidden;

  public ElmanCell(Matrix wIh, Matrix wHh, Tensor bIh, Tensor bHh, Activation activation) {
    this.wIh = wIh;
    this.wHh = wHh;
    this.bIh = bIh;
    this.bHh = bHh;
    this.activation = activation;
    this.hidden = wHh.rows();
  }

  @Override
  public int inputSize() {
    return wIh.cols();
  }

  @Override
  public int outputSize() {
    return hidden;
  }

  @Override
  public int stateSize() {
    return hidden;
  }

  @Override
  public int outputOffset() {
    return 0;
  }

  @Override
  public int scratchSize() {
    return hidden;
  }

  @Override
  public void step(float[] x, int xOff, float[] state, int sOff, long t, float[] scratch) {
    Gates.affine(scratch, wIh, bIh, x, xOff, wHh, bHh, state, sOff);
    activation.apply(scratch, 0, hidden);
    System.arraycopy(scratch, 0, state, sOff, hidden);
  }

  @Override
  public int projectionSize() {
    return hidden;
  }

  @Override
  public void project(float[] x, int xOff, float[] p) {
    Gates.project(p, wIh, bIh, x, xOff);
  }

  @Override
  public void stepProjected(float[] p, int pOff, float[] state, int sOff, long t,
      float[] scratch) {
    Gates.affineProjected(scratch, p, pOff, wHh, bHh, state, sOff);
    activation.apply(scratch, 0, hidden);
    System.arraycopy(scratch, 0, state, sOff, hidden);
  }

  @Override
  public void stepBatchProjected(int n, float[][] ps, int[] pOffs, float[][] states, int sOff,
      long[] ts, float[][] scratch) {
    Gates.affineProjectedBatch(n, scratch, ps, pOffs, wHh, bHh, states, sOff);
    for (int b = 0; b < n; b++) {
      activation.apply(scratch[b], 0, hidden);
      System.arraycopy(scratch[b], 0, states[b], sOff, hidden);
    }
  }

  @Override
  public void stepBatch(int n, float[][] xs, int[] xOffs, float[][] states, int sOff, long[] ts,
      float[][] scratch) {
    Gates.affineBatch(n, scratch, wIh, bIh, xs, xOffs, wHh, bHh, states, sOff);
    for (int b = 0; b < n; b++) {
      activation.apply(scratch[b], 0, hidden);
      System.arraycopy(scratch[b], 0, states[b], sOff, hidden);
    }
  }
}
