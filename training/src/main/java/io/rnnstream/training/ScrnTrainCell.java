package io.rnnstream.training;

/**
 * SCRN: {@code s' = (1 - alpha) B x + alpha s}, {@code h' = sigmoid(P s' + A x + b_ih + R h +
 * b_hh)}. State and output {@code [h (H), s (S)]}.
 */
final class ScrnTrainCell extends TrainCell {
  private final Linear a; // (H, D) weight_ih + bias_ih
  private final Linear r; // (H, H) weight_hh + bias_hh
  private final Linear b; // (S, D) weight_cx
  private final Linear p; // (H, S) weight_hc
  private final double alpha;
  private final int hidden;
  private final int context;

  private record Cache(double[] x, double[] prev, double[] s, double[] h) {}

  ScrnTrainCell(Linear a, Linear r, Linear b, Linear p, float alpha) {
    super(a.cols, a.rows + b.rows, a.rows + b.rows);
    this.a = a;
    this.r = r;
    this.b = b;
    this.p = p;
    this.alpha = alpha;
    this.hidden = a.rows;
    this.context = b.rows;
  }

  @Override
  Object forward(double[] x, double[] prev, long t, double[] next) {
    double[] bx = new double[context];
    b.forward(x, bx);
    double[] s = new double[context];
    for (int j = 0; j < context; j++) {
      s[j] = (1 - alpha) * bx[j] + alpha * prev[hidden + j];
    }
    double[] z = new double[hidden];
    a.forward(x, z);
    r.forward(prev, z); // reads h = prev[0..H)
    p.forward(s, z);
    double[] h = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      h[j] = DMath.sigmoid(z[j]);
    }
    System.arraycopy(h, 0, next, 0, hidden);
    System.arraycopy(s, 0, next, hidden, context);
    return new Cache(x, prev, s, h);
  }

  @Override
  void backward(Object cache, double[] dNext, double[] dx, double[] dPrev, Gradients g) {
    Cache c = (Cache) cache;
    double[] dz = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      dz[j] = dNext[j] * c.h[j] * (1 - c.h[j]);
    }
    double[] ds = java.util.Arrays.copyOfRange(dNext, hidden, hidden + context);
    p.backward(dz, c.s, ds, g);
    a.backward(dz, c.x, dx, g);
    double[] dh = new double[hidden];
    r.backward(dz, c.prev, dh, g);
    double[] dbx = new double[context];
    for (int j = 0; j < context; j++) {
      dbx[j] = (1 - alpha) * ds[j];
      dPrev[hidden + j] = alpha * ds[j];
    }
    b.backward(dbx, c.x, dx, g);
    System.arraycopy(dh, 0, dPrev, 0, hidden);
  }
}
