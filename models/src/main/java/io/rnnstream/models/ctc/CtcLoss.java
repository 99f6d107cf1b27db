package io.rnnstream.models.ctc;

import static io.rnnstream.models.ctc.LogMath.NEG_INF;
import static io.rnnstream.models.ctc.LogMath.logAdd;

/**
 * Connectionist temporal classification loss (Graves et al. 2006): the negative log-likelihood
 * {@code -ln p(l | x)} of a label sequence {@code l} given per-frame log-probabilities, summed over
 * every alignment by the forward-backward recursion, in log space, in double precision.
 *
 * <p>Input: {@code logp} (T, C), natural-log probabilities per frame (row t, class k), blank class
 * configurable (default 0); labels are class indices in {@code [0, C)}, none equal to the blank.
 * Rows need not be normalised for {@link #negLogLikelihood} and {@link Result#gradLogp()}; they
 * must be for {@link Result#gradLogits()}. {@code -Infinity} entries (probability 0) are fine.
 *
 * <p>Recursion over the extended sequence {@code l'} = blank, l1, blank, l2, ..., blank
 * (S = 2|l| + 1): {@code alpha_t(s)} is the log-probability of all alignment prefixes that emit
 * {@code l'_s} at frame t, {@code beta_t(s)} that of the alignment suffixes after frame t given
 * {@code l'_s} at t (frame t itself excluded). A step may stay on s, move to s+1, or skip a blank
 * to s+2 when {@code l'_(s+2) != l'_s} (so repeated labels need a blank between them).
 *
 * <p>Gradients (for a possible labelling): with the posterior
 * {@code gamma_t(k) = sum_{s: l'_s = k} exp(alpha_t(s) + beta_t(s) - ln p)} (the probability that an
 * alignment emits k at t; rows sum to 1),
 * <ul>
 *   <li>{@code d(-ln p) / d logp[t][k] = -gamma_t(k)} ({@link Result#gradLogp()}: logp treated as
 *       free inputs);
 *   <li>{@code d(-ln p) / d logits[t][k] = softmax(logits_t)_k - gamma_t(k)} when
 *       {@code logp = log_softmax(logits)} ({@link Result#gradLogits()}, the usual "softmax minus
 *       posterior").
 * </ul>
 * Beware: PyTorch's {@code nn.CTCLoss} reports the second one as the gradient with respect to its
 * {@code log_probs} input (its backward assumes a preceding {@code log_softmax}); the two agree only
 * after the chain rule through {@code log_softmax}.
 *
 * <p>Impossible labellings ({@code T < |l| + number of adjacent repeats}, or every alignment
 * passes through a -Infinity entry): the loss is {@code +Infinity}, like PyTorch with
 * {@code zero_infinity=False}, and both gradients are all zeros (PyTorch gives NaN there; its
 * {@code zero_infinity=True} gives zeros and a zero loss). Empty labels: {@code p} is the
 * probability of blank at every frame. {@code T = 0}: loss 0 for empty labels, else +Infinity.
 */
public final class CtcLoss {
  private CtcLoss() {}

  /** Loss and gradients of one sequence. Arrays are fresh, owned by the caller. */
  public record Result(double loss, double[][] gradLogp, double[][] gradLogits,
      double[][] posterior) {
    /** {@code ln p(l | x) = -loss}. */
    public double logLikelihood() {
      return -loss;
    }

    /** Whether the labelling has probability zero (loss +Infinity, zero gradients). */
    public boolean impossible() {
      return loss == Double.POSITIVE_INFINITY;
    }
  }

  /** {@code -ln p(labels | logp)} with the blank at class 0 (forward pass only). */
  public static double negLogLikelihood(double[][] logp, int[] labels) {
    return negLogLikelihood(logp, labels, 0);
  }

  /** {@code -ln p(labels | logp)} (forward pass only); +Infinity when impossible. */
  public static double negLogLikelihood(double[][] logp, int[] labels, int blank) {
    int c = check(logp, labels, blank);
    int t = logp.length;
    int[] ext = extended(labels, blank);
    if (t == 0) {
      return labels.length == 0 ? 0.0 : Double.POSITIVE_INFINITY;
    }
    double[][] alpha = alpha(logp, ext, c);
    return -total(alpha[t - 1], ext.length);
  }

  /** Loss and gradients with the blank at class 0. */
  public static Result forwardBackward(double[][] logp, int[] labels) {
    return forwardBackward(logp, labels, 0);
  }

  /**
   * Loss, posterior and gradients (see the class comment) by the forward-backward recursion.
   *
   * @param logp (T, C) natural-log probabilities; not modified
   * @param labels class indices, none equal to {@code blank}
   */
  public static Result forwardBackward(double[][] logp, int[] labels, int blank) {
    int c = check(logp, labels, blank);
    int t = logp.length;
    double[][] gradLogp = new double[t][c];
    double[][] gradLogits = new double[t][c];
    double[][] posterior = new double[t][c];
    int[] ext = extended(labels, blank);
    if (t == 0) {
      return new Result(labels.length == 0 ? 0.0 : Double.POSITIVE_INFINITY, gradLogp, gradLogits,
          posterior);
    }
    int s = ext.length;
    double[][] alpha = alpha(logp, ext, c);
    double logP = total(alpha[t - 1], s);
    if (logP == NEG_INF) {
      return new Result(Double.POSITIVE_INFINITY, gradLogp, gradLogits, posterior);
    }
    double[][] beta = beta(logp, ext);
    double[] acc = new double[c];
    for (int f = 0; f < t; f++) {
      java.util.Arrays.fill(acc, NEG_INF);
      for (int i = 0; i < s; i++) {
        acc[ext[i]] = logAdd(acc[ext[i]], alpha[f][i] + beta[f][i]);
      }
      double rowMax = NEG_INF;
      for (int k = 0; k < c; k++) {
        rowMax = Math.max(rowMax, logp[f][k]);
      }
      double rowNorm = 0; // softmax of the row: exp(logp - logsumexp(row)), 1 when normalised
      for (int k = 0; k < c; k++) {
        rowNorm += Math.exp(logp[f][k] - rowMax);
      }
      double rowLse = rowMax + Math.log(rowNorm);
      for (int k = 0; k < c; k++) {
        double gamma = Math.exp(acc[k] - logP);
        posterior[f][k] = gamma;
        gradLogp[f][k] = -gamma;
        gradLogits[f][k] = Math.exp(logp[f][k] - rowLse) - gamma;
      }
    }
    return new Result(-logP, gradLogp, gradLogits, posterior);
  }

  /**
   * Loss and gradients from unnormalised scores: {@code logp = log_softmax(logits)} row by row,
   * then {@link #forwardBackward}; {@link Result#gradLogits()} is then the gradient with respect
   * to {@code logits}.
   */
  public static Result fromLogits(double[][] logits, int[] labels, int blank) {
    return forwardBackward(logSoftmax(logits), labels, blank);
  }

  /** Row-wise {@code log_softmax} (a fresh array). */
  public static double[][] logSoftmax(double[][] logits) {
    double[][] out = new double[logits.length][];
    for (int f = 0; f < logits.length; f++) {
      double[] row = logits[f];
      double max = NEG_INF;
      for (double v : row) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : row) {
        sum += Math.exp(v - max);
      }
      double lse = max + Math.log(sum);
      out[f] = new double[row.length];
      for (int k = 0; k < row.length; k++) {
        out[f][k] = row[k] - lse;
      }
    }
    return out;
  }

  /** Checks shapes and labels; returns C. */
  private static int check(double[][] logp, int[] labels, int blank) {
    if (logp == null || labels == null) {
      throw new IllegalArgumentException("logp and labels must not be null");
    }
    // T = 0: no frame says C; only the blank's and the labels' signs can be checked
    int c = logp.length == 0 ? Integer.MAX_VALUE : logp[0].length;
    if (blank < 0 || blank >= c) {
      throw new IllegalArgumentException("blank must be in [0, " + c + "), got " + blank);
    }
    for (int f = 0; f < logp.length; f++) {
      if (logp[f].length != c) {
        throw new IllegalArgumentException(
            "logp[" + f + "] has " + logp[f].length + " classes, logp[0] has " + c);
      }
      LogMath.checkFrame(logp[f], 0, c);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= c || labels[i] == blank) {
        throw new IllegalArgumentException("labels[" + i + "] = " + labels[i]
            + " is not a non-blank class in [0, " + c + ") (blank " + blank + ")");
      }
    }
    return c;
  }

  /** l' = blank, l1, blank, l2, ..., blank. */
  private static int[] extended(int[] labels, int blank) {
    int[] ext = new int[2 * labels.length + 1];
    for (int i = 0; i < ext.length; i++) {
      ext[i] = (i & 1) == 0 ? blank : labels[i >> 1];
    }
    return ext;
  }

  /** Whether the recursion may skip from s-2 to s (s odd and a label differing from s-2's). */
  private static boolean canSkip(int[] ext, int s) {
    return s >= 2 && ext[s] != ext[s - 2];
  }

  /** alpha (T, S): alpha_t(s) includes the emission at frame t. */
  private static double[][] alpha(double[][] logp, int[] ext, int c) {
    int t = logp.length;
    int s = ext.length;
    double[][] alpha = new double[t][s];
    for (double[] row : alpha) {
      java.util.Arrays.fill(row, NEG_INF);
    }
    alpha[0][0] = logp[0][ext[0]];
    if (s > 1) {
      alpha[0][1] = logp[0][ext[1]];
    }
    for (int f = 1; f < t; f++) {
      double[] prev = alpha[f - 1];
      for (int i = 0; i < s; i++) {
        double a = prev[i];
        if (i >= 1) {
          a = logAdd(a, prev[i - 1]);
        }
        if (canSkip(ext, i)) {
          a = logAdd(a, prev[i - 2]);
        }
        alpha[f][i] = a == NEG_INF ? NEG_INF : a + logp[f][ext[i]];
      }
    }
    return alpha;
  }

  /** beta (T, S): beta_t(s) covers frames t+1 .. T-1 only. */
  private static double[][] beta(double[][] logp, int[] ext) {
    int t = logp.length;
    int s = ext.length;
    double[][] beta = new double[t][s];
    for (double[] row : beta) {
      java.util.Arrays.fill(row, NEG_INF);
    }
    beta[t - 1][s - 1] = 0;
    if (s > 1) {
      beta[t - 1][s - 2] = 0;
    }
    for (int f = t - 2; f >= 0; f--) {
      double[] next = beta[f + 1];
      double[] lp = logp[f + 1];
      for (int i = 0; i < s; i++) {
        double b = next[i] + lp[ext[i]];
        if (i + 1 < s) {
          b = logAdd(b, next[i + 1] + lp[ext[i + 1]]);
        }
        if (i + 2 < s && canSkip(ext, i + 2)) {
          b = logAdd(b, next[i + 2] + lp[ext[i + 2]]);
        }
        beta[f][i] = b;
      }
    }
    return beta;
  }

  /** ln p = logsumexp of the last two positions of the last frame. */
  private static double total(double[] last, int s) {
    return s > 1 ? logAdd(last[s - 1], last[s - 2]) : last[s - 1];
  }
}
