package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/**
 * LSTM in PyTorch's layout: gate rows {@code i, f, g, o} in {@code W_ih (4H, D)} and
 * {@code W_hh (4H, H)}.
 *
 * <pre>
 * i = sigmoid(z_i + p_i * c)        f = sigmoid(z_f + p_f * c)
 * g = candidate(z_g)                c' = f * c + i * g
 * o = sigmoid(z_o + p_o * c')       h' = o * cellActivation(c')
 * </pre>
 *
 * The peephole weights {@code p (3H)} (rows i, f, o; Gers and Schmidhuber) are optional. The
 * lecture's memory example uses identity candidate and cell activations. State:
 * {@code [h (H), c (H)]}.
 */
public final class LstmCell implements Cell {
  private final Matrix wIh; // (4H, D)
  private final Matrix wHh; // (4H, H)
  private final Tensor bIh; // (4H) or null
  private final Tensor bHh; // (4H) or null
  private final float[] peep; // (3H): i, f, o; or null
  private final Activation candidate;
  private final Activation cellActivation;
  private final int hidden;

  public LstmCell(
      Matrix wIh,
      Matrix wHh,
      Tensor bIh,
      Tensor bHh,
      Tensor peepholes,
      Activation candidate,
      Activation cellActivation) {
    this.wIh = wIh;
    this.wHh = wHh;
    this.bIh = bIh;
    this.bHh = bHh;
    this.peep = peepholes == null ? null : peepholes.data();
    this.candidate = candidate;
    this.cellActivation = cellActivation;
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
    return 2 * hidden;
  }

  @Override
  public int outputOffset() {
    return 0;
  }

  @Override
  public int scratchSize() {
    return 4 * hidden;
  }

  @Override
  public void step(float[] x, int xOff, float[] state, int sOff, long t, float[] g) {
    Gates.affine(g, wIh, bIh, x, xOff, wHh, bHh, state, sOff);
    gatesToState(g, state, sOff);
  }

  @Override
  public void stepBatch(int n, float[][] xs, int[] xOffs, float[][] states, int sOff, long[] ts,
      float[][] scratch) {
    Gates.affineBatch(n, scratch, wIh, bIh, xs, xOffs, wHh, bHh, states, sOff);
    for (int b = 0; b < n; b++) {
      gatesToState(scratch[b], states[b], sOff);
    }
  }

  @Override
  public int projectionSize() {
    return 4 * hidden;
  }

  @Override
  public void project(float[] x, int xOff, float[] p) {
    Gates.project(p, wIh, bIh, x, xOff);
  }

  @Override
  public void stepProjected(float[] p, int pOff, float[] state, int sOff, long t, float[] g) {
    Gates.affineProjected(g, p, pOff, wHh, bHh, state, sOff);
    gatesToState(g, state, sOff);
  }

  @Override
  public void stepBatchProjected(int n, float[][] ps, int[] pOffs, float[][] states, int sOff,
      long[] ts, float[][] scratch) {
    Gates.affineProjectedBatch(n, scratch, ps, pOffs, wHh, bHh, states, sOff);
    for (int b = 0; b < n; b++) {
      gatesToState(scratch[b], states[b], sOff);
    }
  }

  /**
   * From the pre-activations {@code g = [z_i, z_f, z_g, z_o] (4H)} to the next
   * {@code [h, c]}. Activations run over whole gate blocks (vectorised by the backend); the
   * candidate block is reused for c' so that the cell activation can run in bulk too.
   */
  private void gatesToState(float[] g, float[] state, int sOff) {
    final int n = hidden;
    final int cOff = sOff + n;
    if (peep != null) {
      for (int j = 0; j < n; j++) {
        float c = state[cOff + j];
        g[j] += peep[j] * c;
        g[n + j] += peep[n + j] * c;
      }
    }
    Activation.SIGMOID.apply(g, 0, 2 * n); // i, f
    candidate.apply(g, 2 * n, n); // g
    for (int j = 0; j < n; j++) {
      float c = g[n + j] * state[cOff + j] + g[j] * g[2 * n + j];
      state[cOff + j] = c;
      g[2 * n + j] = c;
    }
    if (peep != null) {
      for (int j = 0; j < n; j++) {
        g[3 * n + j] += peep[2 * n + j] * g[2 * n + j];
      }
    }
    Activation.SIGMOID.apply(g, 3 * n, n); // o, peeping at c'
    cellActivation.apply(g, 2 * n, n); // act(c')
    for (int j = 0; j < n; j++) {
      state[sOff + j] = g[3 * n + j] * g[2 * n + j];
    }
  }
}
