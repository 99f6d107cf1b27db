package io.rnnstream.training;

/**
 * GRU, PyTorch convention (rows {@code r, z, n}; the reset gate multiplies
 * {@code W_hn h + b_hn}). State {@code [h (H)]}.
 */
final class GruTrainCell extends TrainCell {
  private final Linear ih; // (3H, D)
  private final Linear hh; // (3H, H)
  private final int n;

  private record Cache(
      double[] x, double[] prev, double[] r, double[] z, double[] cand, double[] ghn) {}

  GruTrainCell(Linear ih, Linear hh) {
    super(ih.cols, hh.cols, hh.cols);
    this.ih = ih;
    this.hh = hh;
    this.n = hh.cols;
  }

  @Override
  Object forward(double[] x, double[] prev, long t, double[] next) {
    double[] gi = new double[3 * n];
    double[] gh = new double[3 * n];
    ih.forward(x, gi);
    hh.forward(prev, gh);
    double[] r = new double[n];
    double[] z = new double[n];
    double[] cand = new double[n];
    double[] ghn = new double[n];
    for (int j = 0; j < n; j++) {
      r[j] = DMath.sigmoid(gi[j] + gh[j]);
      z[j] = DMath.sigmoid(gi[n + j] + gh[n + j]);
      ghn[j] = gh[2 * n + j];
      cand[j] = Math.tanh(gi[2 * n + j] + r[j] * ghn[j]);
      next[j] = (1 - z[j]) * cand[j] + z[j] * prev[j];
    }
    return new Cache(x, prev, r, z, cand, ghn);
  }

  @Override
  void backward(Object cache, double[] dNext, double[] dx, double[] dPrev, Gradients g) {
    Cache s = (Cache) cache;
    double[] dgi = new double[3 * n];
    double[] dgh = new double[3 * n];
    for (int j = 0; j < n; j++) {
      double dh = dNext[j];
      double z = s.z[j];
      double r = s.r[j];
      double cand = s.cand[j];
      double dan = dh * (1 - z) * (1 - cand * cand);
      double daz = dh * (s.prev[j] - cand) * z * (1 - z);
      double dar = dan * s.ghn[j] * r * (1 - r);
      dgi[j] = dar;
      dgh[j] = dar;
      dgi[n + j] = daz;
      dgh[n + j] = daz;
      dgi[2 * n + j] = dan;
      dgh[2 * n + j] = dan * r;
      dPrev[j] = dh * z;
    }
    ih.backward(dgi, s.x, dx, g);
    hh.backward(dgh, s.prev, dPrev, g);
  }
}
