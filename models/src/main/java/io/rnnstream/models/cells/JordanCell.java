package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/**
 * Jordan network: the previous <em>output</em> y, not the hidden layer, is fed back.
 *
 * <pre>
 * h = act(W_ih x + b_ih + W_hh y_prev + b_hh)     W_hh (H, O)
 * y = outAct(W_ho h + b_ho)                       W_ho (O, H)
 * </pre>
 *
 * The cell's output (what the next layer or the head sees) is y. State: {@code [y (O), h (H)]}.
 */
public final class JordanCell implements Cell {
  private final Matrix wIh; // (H, D)
  private final Matrix wHh; // (H, O)
  private final Tensor bIh; // (H) or null
  private final Tensor bHh; // (H) or null
  private final Matrix wHo; // (O, H)
  private final Tensor bHo; // (O) or null
  private final Activation activation;
  private final Activation outputActivation;
  private final int hidden;
  private final int out;

  public JordanCell(
      Matrix wIh,
      Matrix wHh,
      Tensor bIh,
      Tensor bHh,
      Matrix wHo,
      Tensor bHo,
      Activation activation,
      Activation outputActivation) {
    this.wIh = wIh;
    this.wHh = wHh;
    this.bIh = bIh;
    this.bHh = bHh;
    this.wHo = wHo;
    this.bHo = bHo;
    this.activation = activation;
    this.outputActivation = outputActivation;
    this.hidden = wIh.rows();
    this.out = wHo.rows();
  }

  @Override
  public int inputSize() {
    return wIh.cols();
  }

  @Override
  public int outputSize() {
    return out;
  }

  @Override
  public int stateSize() {
    return out + hidden;
  }

  @Override
  public int outputOffset() {
    return 0;
  }

  @Override
  public int scratchSize() {
    return Math.max(hidden, out);
  }

  @Override
  public void step(float[] x, int xOff, float[] state, int sOff, long t, float[] s) {
    final int hOff = sOff + out;
    Gates.affine(s, wIh, bIh, x, xOff, wHh, bHh, state, sOff); // reads y_prev
    activation.apply(s, 0, hidden);
    System.arraycopy(s, 0, state, hOff, hidden);
    Gates.initBias(s, bHo, null, out);
    wHo.multiplyAdd(state, hOff, s, 0);
    outputActivation.apply(s, 0, out);
    System.arraycopy(s, 0, state, sOff, out);
  }
}
