package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/**
 * GRU with PyTorch's convention (gate rows {@code r, z, n}; the reset gate multiplies the
 * recurrent product <em>after</em> its bias):
 *
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 * z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 *
 * State: {@code [h (H)]}. Scratch: recurrent part (3H) then input part (3H).
 */
public final class GruCell implements Cell {
  private final Matrix wIh; // (3H, D)
  private final Matrix wHh; // (3H, H)
  private final Tensor bIh; // (3H) or null
  private final Tensor bHh; // (3H) or null
  private final int hidden;

  public GruCell(Matrix wIh, Matrix wHh, Tensor bIh, Tensor bHh) {
    this.wIh = wIh;
    this.wHh = wHh;
    this.bIh = bIh;
    this.bHh = bHh;
    this.hidden = wHh.cols();
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
    return 6 * hidden;
  }

  @Override
  public void step(float[] x, int xOff, float[] state, int sOff, long t, float[] s) {
    final int n = hidden;
    // Both products are computed at offset 0 of the scratch, where the gemv loop vectorises
    // best (an offset destination measured several times slower): input part first, moved up.
    Gates.initBias(s, bIh, null, 3 * n);
    wIh.multiplyAdd(x, xOff, s, 0);
    System.arraycopy(s, 0, s, 3 * n, 3 * n);
    Gates.initBias(s, bHh, null, 3 * n);
    wHh.multiplyAdd(state, sOff, s, 0);
    gatesToState(s, state, sOff);
  }

  @Override
  public void stepBatch(int n, float[][] xs, int[] xOffs, float[][] states, int sOff, long[] ts,
      float[][] scratch) {
    final int h3 = 3 * hidden;
    for (int b = 0; b < n; b++) {
      Gates.initBias(scratch[b], bIh, null, h3);
    }
    wIh.multiplyAddBatch(n, xs, xOffs, 0, scratch);
    for (int b = 0; b < n; b++) {
      System.arraycopy(scratch[b], 0, scratch[b], h3, h3);
      Gates.initBias(scratch[b], bHh, null, h3);
    }
    wHh.multiplyAddBatch(n, states, null, sOff, scratch);
    for (int b = 0; b < n; b++) {
      gatesToState(scratch[b], states[b], sOff);
    }
  }

  @Override
  public int projectionSize() {
    return 3 * hidden;
  }

  @Override
  public void project(float[] x, int xOff, float[] p) {
    Gates.initBias(p, bIh, null, 3 * hidden);
    wIh.multiplyAdd(x, xOff, p, 0);
  }

  @Override
  public void stepProjected(float[] p, int pOff, float[] state, int sOff, long t, float[] s) {
    final int h3 = 3 * hidden;
    System.arraycopy(p, pOff, s, h3, h3);
    Gates.initBias(s, bHh, null, h3);
    wHh.multiplyAdd(state, sOff, s, 0);
    gatesToState(s, state, sOff);
  }

  @Override
  public void stepBatchProjected(int n, float[][] ps, int[] pOffs, float[][] states, int sOff,
      long[] ts, float[][] scratch) {
    final int h3 = 3 * hidden;
    for (int b = 0; b < n; b++) {
      System.arraycopy(ps[b], pOffs[b], scratch[b], h3, h3);
      Gates.initBias(scratch[b], bHh, null, h3);
    }
    wHh.multiplyAddBatch(n, states, null, sOff, scratch);
    for (int b = 0; b < n; b++) {
      gatesToState(scratch[b], states[b], sOff);
    }
  }

  /** Scratch {@code [recurrent r, z, n (3H) | input r, z, n (3H)]} to the next h. */
  private void gatesToState(float[] s, float[] state, int sOff) {
    final int n = hidden;
    final int gi = 3 * n;
    for (int j = 0; j < 2 * n; j++) {
      s[j] += s[gi + j]; // r and z pre-activations: input + recurrent
    }
    Activation.SIGMOID.apply(s, 0, 2 * n);
    for (int j = 0; j < n; j++) {
      s[gi + 2 * n + j] += s[j] * s[2 * n + j]; // n pre-activation: W_in x + b_in + r (W_hn h + b_hn)
    }
    Activation.TANH.apply(s, gi + 2 * n, n);
    for (int j = 0; j < n; j++) {
      float z = s[n + j];
      state[sOff + j] = (1f - z) * s[gi + 2 * n + j] + z * state[sOff + j];
    }
  }
}
