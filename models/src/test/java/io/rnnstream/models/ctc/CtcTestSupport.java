package io.rnnstream.models.ctc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random inputs and slow, obviously correct references for the CTC tests (shared with other
 * modules' tests through the models test-jar).
 */
public final class CtcTestSupport {
  private CtcTestSupport() {}

  /**
   * Random normalised log-probabilities (T, C): log_softmax of Gaussian logits times
   * {@code sharpness}; with {@code zeros} > 0 that fraction of non-argmax entries is -Infinity.
   */
  static double[][] randomLogp(SplittableRandom rnd, int frames, int classes, double sharpness,
      double zeros) {
    double[][] logits = new double[frames][classes];
    for (double[] row : logits) {
      for (int k = 0; k < classes; k++) {
        row[k] = gaussian(rnd) * sharpness;
      }
      if (zeros > 0) {
        int keep = rnd.nextInt(classes);
        for (int k = 0; k < classes; k++) {
          if (k != keep && rnd.nextDouble() < zeros) {
            row[k] = Double.NEGATIVE_INFINITY;
          }
        }
      }
    }
    return CtcLoss.logSoftmax(logits);
  }

  static double gaussian(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /** A random alphabet "abc..." of {@code classes - 1} letters with a random blank position. */
  static CtcAlphabet alphabet(SplittableRandom rnd, int classes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < classes - 1; i++) {
      sb.append((char) ('a' + i));
    }
    return CtcAlphabet.of(sb.toString(), rnd.nextInt(classes));
  }

  /** Best path: argmax per frame (first max), repeats collapsed, blanks dropped. */
  public static int[] bestPath(double[][] logp, int blank) {
    List<Integer> out = new ArrayList<>();
    int prev = -1;
    for (double[] row : logp) {
      int arg = 0;
      for (int k = 1; k < row.length; k++) {
        if (row[k] > row[arg]) {
          arg = k;
        }
      }
      if (arg != blank && arg != prev) {
        out.add(arg);
      }
      prev = arg;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The most probable labelling by brute force, with the runner-up's log-probability. */
  record Oracle(int[] labels, double logProb, double runnerUp) {}

  /**
   * Enumerates every labelling of length 0..T over the non-blank classes and scores each with a
   * CTC forward pass; the maximum is the exact most probable labelling.
   */
  static Oracle oracle(double[][] logp, int blank) {
    int c = logp[0].length;
    int[] symbols = new int[c - 1];
    for (int k = 0, j = 0; k < c; k++) {
      if (k != blank) {
        symbols[j++] = k;
      }
    }
    int[] best = new int[0];
    double bestLp = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (int len = 0; len <= logp.length; len++) {
      int[] digits = new int[len];
      while (true) {
        int[] labels = new int[len];
        for (int i = 0; i < len; i++) {
          labels[i] = symbols[digits[i]];
        }
        double lp = -CtcLoss.negLogLikelihood(logp, labels, blank);
        if (lp > bestLp) {
          second = bestLp;
          bestLp = lp;
          best = labels;
        } else if (lp > second) {
          second = lp;
        }
        int i = len - 1;
        while (i >= 0 && ++digits[i] == symbols.length) {
          digits[i--] = 0;
        }
        if (i < 0) {
          break;
        }
      }
    }
    return new Oracle(best, bestLp, second);
  }

  /** ln p(labels) by summing every one of the C^T paths that collapses to them. */
  static double pathSum(double[][] logp, int[] labels, int blank) {
    int t = logp.length;
    int c = logp[0].length;
    double total = Double.NEGATIVE_INFINITY;
    int[] path = new int[t];
    while (true) {
      if (Arrays.equals(collapse(path, blank), labels)) {
        double lp = 0;
        for (int f = 0; f < t; f++) {
          lp += logp[f][path[f]];
        }
        total = LogMath.logAdd(total, lp);
      }
      int i = t - 1;
      while (i >= 0 && ++path[i] == c) {
        path[i--] = 0;
      }
      if (i < 0) {
        return total;
      }
    }
  }

  static int[] collapse(int[] path, int blank) {
    List<Integer> out = new ArrayList<>();
    int prev = -1;
    for (int k : path) {
      if (k != blank && k != prev) {
        out.add(k);
      }
      prev = k;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Random chunk sizes (0 included) covering {@code frames}. */
  static int[] chunks(SplittableRandom rnd, int frames) {
    List<Integer> sizes = new ArrayList<>();
    int left = frames;
    while (left > 0) {
      int size = rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(Math.min(left, 1 + rnd.nextInt(9)));
      size = Math.min(size, left);
      sizes.add(size);
      left -= size;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Feeds {@code logp} through {@code decoder} in the given chunks. */
  static <S> S feed(CtcDecoder<S> decoder, S state, double[][] logp, int[] chunks) {
    int t = 0;
    for (int size : chunks) {
      decoder.advance(state, Arrays.copyOfRange(logp, t, t + size));
      t += size;
    }
    return state;
  }
}
