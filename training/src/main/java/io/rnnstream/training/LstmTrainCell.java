package io.rnnstream.training;

import io.rnnstream.models.kernels.Activation;

/**
 * LSTM, gate rows {@code i, f, g, o}, optional peepholes {@code p (3H)} (i, f from c; o from
 * c'), configurable candidate and cell activations. State {@code [h (H), c (H)]}.
 */
final class LstmTrainCell extends TrainCell {
  private final Linear ih; // (4H, D)
  private final Linear hh; // (4H, H)
  private final String peepName; // or null
  private final double[] peep; // (3H) or null
  private final Activation candidate;
  private final Activation cellActivation;
  private final int n;

  private record Cache(
      double[] x, double[] prev, double[] gates, double[] zg, double[] c, double[] zo,
      double[] k) {}

  LstmTrainCell(TrainableModel m, Linear ih, Linear hh, String peepName, Activation candidate,
      Activation cellActivation) {
    super(ih.cols, hh.cols, 2 * hh.cols);
    this.ih = ih;
    this.hh = hh;
    this.peepName = peepName;
    this.peep = peepName == null ? null : m.param(peepName);
    this.candidate = candidate;
    this.cellActivation = cellActivation;
    this.n = hh.cols;
  }

  @Override
  Object forward(double[] x, double[] prev, long t, double[] next) {
    double[] z = new double[4 * n];
    ih.forward(x, z);
    hh.forward(prev, z);
    // gates: [i, f, g, o] after their activations; zg and zo keep the pre-activations needed
    double[] gates = new double[4 * n];
    double[] zg = new double[n];
    double[] c = new double[n];
    double[] zo = new double[n];
    double[] k = new double[n];
    for (int j = 0; j < n; j++) {
      double cPrev = prev[n + j];
      double zi = z[j] + (peep == null ? 0 : peep[j] * cPrev);
      double zf = z[n + j] + (peep == null ? 0 : peep[n + j] * cPrev);
      double i = DMath.sigmoid(zi);
      double f = DMath.sigmoid(zf);
      zg[j] = z[2 * n + j];
      double gg = DMath.apply(candidate, zg[j]);
      c[j] = f * cPrev + i * gg;
      zo[j] = z[3 * n + j] + (peep == null ? 0 : peep[2 * n + j] * c[j]);
      double o = DMath.sigmoid(zo[j]);
      k[j] = DMath.apply(cellActivation, c[j]);
      gates[j] = i;
      gates[n + j] = f;
      gates[2 * n + j] = gg;
      gates[3 * n + j] = o;
      next[j] = o * k[j];
      next[n + j] = c[j];
    }
    return new Cache(x, prev, gates, zg, c, zo, k);
  }

  @Override
  void backward(Object cache, double[] dNext, double[] dx, double[] dPrev, Gradients g) {
    Cache s = (Cache) cache;
    double[] dz = new double[4 * n];
    double[] dPeep = peep == null ? null : g.get(peepName);
    java.util.Arrays.fill(dPrev, 0);
    for (int j = 0; j < n; j++) {
      double i = s.gates[j];
      double f = s.gates[n + j];
      double gg = s.gates[2 * n + j];
      double o = s.gates[3 * n + j];
      double cPrev = s.prev[n + j];
      double dh = dNext[j];
      double dzo = dh * s.k[j] * o * (1 - o);
      double dc = dNext[n + j]
          + dh * o * DMath.derivative(cellActivation, s.c[j], s.k[j]);
      if (peep != null) {
        dc += dzo * peep[2 * n + j];
        dPeep[2 * n + j] += dzo * s.c[j];
      }
      double dzi = dc * gg * i * (1 - i);
      double dzf = dc * cPrev * f * (1 - f);
      double dzg = dc * i * DMath.derivative(candidate, s.zg[j], gg);
      double dcPrev = dc * f;
      if (peep != null) {
        dcPrev += dzi * peep[j] + dzf * peep[n + j];
        dPeep[j] += dzi * cPrev;
        dPeep[n + j] += dzf * cPrev;
      }
      dz[j] = dzi;
      dz[n + j] = dzf;
      dz[2 * n + j] = dzg;
      dz[3 * n + j] = dzo;
      dPrev[n + j] = dcPrev;
    }
    ih.backward(dz, s.x, dx, g);
    double[] dh = new double[n];
    hh.backward(dz, s.prev, dh, g); // W_hh reads h = prev[0..H)
    System.arraycopy(dh, 0, dPrev, 0, n);
  }
}
