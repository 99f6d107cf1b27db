package io.rnnstream.training;

import io.rnnstream.models.kernels.Activation;

/**
 * Jordan network: {@code h = act(W_ih x + b_ih + W_hh y_prev + b_hh)},
 * {@code y = outAct(W_ho h + b_ho)}. State {@code [y (O), h (H)]}; only y is fed back, so the
 * gradient into the previous h is zero.
 */
final class JordanTrainCell extends TrainCell {
  private final Linear ih; // (H, D)
  private final Linear hh; // (H, O)
  private final Linear ho; // (O, H)
  private final Activation activation;
  private final Activation outputActivation;
  private final int hidden;
  private final int out;

  private record Cache(double[] x, double[] prev, double[] a, double[] h, double[] b, double[] y) {}

  JordanTrainCell(Linear ih, Linear hh, Linear ho, Activation activation,
      Activation outputActivation) {
    super(ih.cols, ho.rows, ho.rows + ih.rows);
    this.ih = ih;
    this.hh = hh;
    this.ho = ho;
    this.activation = activation;
    this.outputActivation = outputActivation;
    this.hidden = ih.rows;
    this.out = ho.rows;
  }

  @Override
  Object forward(double[] x, double[] prev, long t, double[] next) {
    double[] a = new double[hidden];
    ih.forward(x, a);
    hh.forward(prev, a); // reads y_prev = prev[0..O)
    double[] h = DMath.activate(activation, a);
    double[] b = new double[out];
    ho.forward(h, b);
    double[] y = DMath.activate(outputActivation, b);
    System.arraycopy(y, 0, next, 0, out);
    System.arraycopy(h, 0, next, out, hidden);
    return new Cache(x, prev, a, h, b, y);
  }

  @Override
  void backward(Object cache, double[] dNext, double[] dx, double[] dPrev, Gradients g) {
    Cache s = (Cache) cache;
    double[] dy = java.util.Arrays.copyOfRange(dNext, 0, out);
    double[] db = DMath.backward(outputActivation, s.b, s.y, dy);
    double[] dh = java.util.Arrays.copyOfRange(dNext, out, out + hidden);
    ho.backward(db, s.h, dh, g);
    double[] da = DMath.backward(activation, s.a, s.h, dh);
    ih.backward(da, s.x, dx, g);
    java.util.Arrays.fill(dPrev, 0);
    double[] dyPrev = new double[out];
    hh.backward(da, s.prev, dyPrev, g);
    System.arraycopy(dyPrev, 0, dPrev, 0, out);
  }
}
