package io.rnnstream.training;

import io.rnnstream.models.kernels.Activation;

/**
 * Elman ({@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}) and, with clock periods, the Clockwork
 * RNN: only modules with {@code t % T_i == 0} update, the others copy their previous value, and
 * W_hh is block upper-triangular. State {@code [h (H)]}.
 */
final class ElmanTrainCell extends TrainCell {
  private final Linear ih; // (H, D)
  private final Linear hh; // (H, H), masked for Clockwork
  private final Activation activation;
  private final int[] periods; // null: every unit updates every step
  private final int moduleSize;

  private record Cache(double[] x, double[] prev, double[] a, double[] next, boolean[] active) {}

  ElmanTrainCell(Linear ih, Linear hh, Activation activation, int[] periods) {
    super(ih.cols, ih.rows, ih.rows);
    this.ih = ih;
    this.hh = hh;
    this.activation = activation;
    this.periods = periods == null ? null : periods.clone();
    this.moduleSize = periods == null ? ih.rows : ih.rows / periods.length;
  }

  @Override
  Object forward(double[] x, double[] prev, long t, double[] next) {
    int h = stateSize;
    double[] a = new double[h];
    ih.forward(x, a);
    hh.forward(prev, a);
    boolean[] active = new boolean[h];
    for (int j = 0; j < h; j++) {
      active[j] = periods == null || t % periods[j / moduleSize] == 0;
      next[j] = active[j] ? DMath.apply(activation, a[j]) : prev[j];
    }
    return new Cache(x, prev, a, next, active);
  }

  @Override
  void backward(Object cache, double[] dNext, double[] dx, double[] dPrev, Gradients g) {
    Cache c = (Cache) cache;
    int h = stateSize;
    double[] da = new double[h];
    java.util.Arrays.fill(dPrev, 0);
    for (int j = 0; j < h; j++) {
      if (c.active[j]) {
        da[j] = dNext[j] * DMath.derivative(activation, c.a[j], c.next[j]);
      } else {
        dPrev[j] = dNext[j]; // an inactive module passes its value (and gradient) through
      }
    }
    ih.backward(da, c.x, dx, g);
    hh.backward(da, c.prev, dPrev, g);
  }
}
