package io.rnnstream.training.tasks;

import java.util.SplittableRandom;

/**
 * Seeded augmentation of standardised log-mel frames {@code x[t][band]} for the caption trainer,
 * fresh every epoch, aimed at voices never heard in training:
 *
 * <ul>
 *   <li>frequency warp (a cheap vocal-tract-length perturbation): band j reads band
 *       {@code j * a} (linear interpolation, clamped), {@code a} uniform in [0.88, 1.12];
 *   <li>tempo: frame t reads frame {@code t * r} (interpolated), {@code r} uniform in [0.9, 1.1];
 *   <li>gain: {@code U(-1, 1)} added to every band's log power (about +-4.3 dB), in standardised
 *       units (divided by each band's standard deviation);
 *   <li>masks (SpecAugment-like): one band range of 0-4 bands and two frame ranges of 0-8
 *       frames set to 0 (the training mean).
 * </ul>
 */
final class Augment {
  private Augment() {}

  /**
   * Augmented frames and how many of their first frames come from the input's first {@code
   * lead} frames alone (the padding's lead, after the tempo change).
   */
  record Result(double[][] frames, int lead) {}

  static double[][] apply(double[][] x, double[] sd, SplittableRandom rnd) {
    return apply(x, 0, sd, rnd).frames();
  }

  /** As {@link #apply(double[][], double[], SplittableRandom)}, tracking a lead of frames. */
  static Result apply(double[][] x, int lead, double[] sd, SplittableRandom rnd) {
    int n = x.length;
    int d = x[0].length;
    double warp = 0.88 + 0.24 * rnd.nextDouble();
    double rate = 0.9 + 0.2 * rnd.nextDouble();
    double gain = -1 + 2 * rnd.nextDouble();
    int m = Math.max(1, (int) Math.round(n / rate));
    double[][] out = new double[m][d];
    for (int t = 0; t < m; t++) {
      double src = Math.min(n - 1, t * rate);
      int t0 = (int) src;
      int t1 = Math.min(n - 1, t0 + 1);
      double ft = src - t0;
      for (int j = 0; j < d; j++) {
        double b = Math.min(d - 1, j * warp);
        int j0 = (int) b;
        int j1 = Math.min(d - 1, j0 + 1);
        double fj = b - j0;
        double v0 = x[t0][j0] * (1 - fj) + x[t0][j1] * fj;
        double v1 = x[t1][j0] * (1 - fj) + x[t1][j1] * fj;
        out[t][j] = v0 * (1 - ft) + v1 * ft + gain / sd[j];
      }
    }
    int fw = rnd.nextInt(5);
    int f0 = rnd.nextInt(d - fw + 1);
    for (int t = 0; t < m; t++) {
      for (int j = f0; j < f0 + fw; j++) {
        out[t][j] = 0;
      }
    }
    for (int k = 0; k < 2; k++) {
      int tw = Math.min(m, rnd.nextInt(9));
      int s0 = rnd.nextInt(m - tw + 1);
      for (int t = s0; t < s0 + tw; t++) {
        java.util.Arrays.fill(out[t], 0);
      }
    }
    // output frame t reads input frames floor(t * rate) and the one after it
    int outLead = 0;
    while (outLead < m && (int) Math.min(n - 1, outLead * rate) + 1 < lead) {
      outLead++;
    }
    return new Result(out, outLead);
  }
}
