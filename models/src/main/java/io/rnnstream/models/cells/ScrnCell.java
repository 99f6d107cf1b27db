package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/**
 * Structurally Constrained Recurrent Network (Mikolov et al., ICLR 2015): a slow context layer s
 * with a fixed self-connection alpha beside a fast sigmoid hidden layer h.
 *
 * <pre>
 * s' = (1 - alpha) B x + alpha s                  B (S, D)
 * h' = sigmoid(P s' + A x + b_ih + R h + b_hh)    P (H, S), A (H, D), R (H, H)
 * </pre>
 *
 * The output is {@code [h', s']} (the paper's output layer reads both). State:
 * {@code [h (H), s (S)]}.
 */
public final class ScrnCell implements Cell {
  private final Matrix a; // (H, D) weight_ih
  private final Matrix r; // (H, H) weight_hh
  private final Tensor bIh;
  private final Tensor bHh;
  private final Matrix b; // (S, D) weight_cx
  private final Matrix p; // (H, S) weight_hc
  private final float alpha;
  private final int hidden;
  private final int context;

  public ScrnCell(
      Matrix a, Matrix r, Tensor bIh, Tensor bHh, Matrix b, Matrix p, float alpha) {
    if (!(alpha >= 0f && alpha <= 1f)) {
      throw new IllegalArgumentException("scrn: context alpha must be in [0, 1], got " + alpha);
    }
    this.a = a;
    this.r = r;
    this.bIh = bIh;
    this.bHh = bHh;
    this.b = b;
    this.p = p;
    this.alpha = alpha;
    this.hidden = a.rows();
    this.context = b.rows();
  }

  @Override
  public int inputSize() {
    return a.cols();
  }

  @Override
  public int outputSize() {
    return hidden + context;
  }

  @Override
  public int stateSize() {
    return hidden + context;
  }

  @Override
  public int outputOffset() {
    return 0;
  }

  @Override
  public int scratchSize() {
    return Math.max(hidden, context);
  }

  @Override
  public void step(float[] x, int xOff, float[] state, int sOff, long t, float[] g) {
    final int cOff = sOff + hidden;
    // context: s' = (1 - alpha) B x + alpha s
    java.util.Arrays.fill(g, 0, context, 0f);
    b.multiplyAdd(x, xOff, g, 0);
    for (int j = 0; j < context; j++) {
      state[cOff + j] = (1f - alpha) * g[j] + alpha * state[cOff + j];
    }
    // hidden: h' = sigmoid(P s' + A x + R h + b)
    Gates.affine(g, a, bIh, x, xOff, r, bHh, state, sOff);
    p.multiplyAdd(state, cOff, g, 0);
    Activation.SIGMOID.apply(g, 0, hidden);
    System.arraycopy(g, 0, state, sOff, hidden);
  }
}
