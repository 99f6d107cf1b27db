package io.rnnstream.training;

/**
 * Standard losses. Classification losses take <b>logits</b>: train a model whose head has
 * activation {@code identity}; the loss applies the (log-)softmax or sigmoid itself, which is
 * exact and numerically stable. Serve the trained model with the matching head activation via
 * {@link Serving#withHeadActivation} / {@link Serving#softmaxHead}, so the served outputs are the
 * probabilities the loss modelled.
 *
 * <p>Normalisation: per-step losses average over the labelled steps of the whole sequence (so a
 * sequence's loss does not grow with its length, and truncated-BPTT windows sum to it);
 * multi-unit losses sum over units (BCE) or average (MSE) as documented on each.
 */
public final class Losses {
  private Losses() {}

  /**
   * Many-to-one softmax cross-entropy {@code -log softmax(y_T)[label]} on the last step's
   * output (the pooled vector's logits).
   */
  public static OutputLoss softmaxCrossEntropy(int label) {
    return (y, from, length, dy) -> {
      int last = length - 1 - from;
      if (last < 0 || last >= y.length) {
        return 0;
      }
      return softmaxCe(y[last], label, 1.0, dy[last]);
    };
  }

  /**
   * Per-step (tagging) softmax cross-entropy, averaged over the steps with a label;
   * {@code labels[t] < 0} means "no label at step t".
   */
  public static OutputLoss softmaxCrossEntropyPerStep(int[] labels) {
    int[] l = labels.clone();
    int count = 0;
    for (int v : l) {
      count += v >= 0 ? 1 : 0;
    }
    double weight = count == 0 ? 0 : 1.0 / count;
    return (y, from, length, dy) -> {
      checkLength(l.length, length);
      double loss = 0;
      for (int i = 0; i < y.length; i++) {
        int label = l[from + i];
        if (label >= 0) {
          loss += softmaxCe(y[i], label, weight, dy[i]);
        }
      }
      return loss;
    };
  }

  /**
   * Many-to-one sigmoid binary cross-entropy on the last step's logits, summed over the output
   * units: {@code sum_j BCE(sigmoid(y_j), target_j)}, targets in [0, 1].
   */
  public static OutputLoss sigmoidBinaryCrossEntropy(double[] targets) {
    double[] tg = targets.clone();
    return (y, from, length, dy) -> {
      int last = length - 1 - from;
      if (last < 0 || last >= y.length) {
        return 0;
      }
      return bce(y[last], tg, 1.0, dy[last]);
    };
  }

  /**
   * Per-step sigmoid BCE on logits, summed over units and averaged over the steps whose target
   * row is not null.
   */
  public static OutputLoss sigmoidBinaryCrossEntropyPerStep(double[][] targets) {
    double[][] tg = targets.clone();
    double weight = weightOfRows(tg);
    return (y, from, length, dy) -> {
      checkLength(tg.length, length);
      double loss = 0;
      for (int i = 0; i < y.length; i++) {
        if (tg[from + i] != null) {
          loss += bce(y[i], tg[from + i], weight, dy[i]);
        }
      }
      return loss;
    };
  }

  /**
   * Mean squared error over the steps whose target row is not null and over the units:
   * {@code sum (y - target)^2 / (labelled steps * units)}. Regression heads use activation
   * identity (or any other: the output is taken as is).
   */
  public static OutputLoss meanSquaredError(double[][] targets) {
    double[][] tg = targets.clone();
    int rows = 0;
    int units = 0;
    for (double[] r : tg) {
      if (r != null) {
        rows++;
        units = r.length;
      }
    }
    double weight = rows == 0 ? 0 : 1.0 / ((double) rows * units);
    return (y, from, length, dy) -> {
      checkLength(tg.length, length);
      double loss = 0;
      for (int i = 0; i < y.length; i++) {
        double[] t = tg[from + i];
        if (t == null) {
          continue;
        }
        checkWidth(t.length, y[i].length);
        for (int j = 0; j < t.length; j++) {
          double d = y[i][j] - t[j];
          loss += weight * d * d;
          dy[i][j] += 2 * weight * d;
        }
      }
      return loss;
    };
  }

  /** Mean squared error on the last step's output only (many-to-one regression). */
  public static OutputLoss meanSquaredErrorLast(double[] target) {
    double[] tg = target.clone();
    return (y, from, length, dy) -> {
      int last = length - 1 - from;
      if (last < 0 || last >= y.length) {
        return 0;
      }
      checkWidth(tg.length, y[last].length);
      double w = 1.0 / tg.length;
      double loss = 0;
      for (int j = 0; j < tg.length; j++) {
        double d = y[last][j] - tg[j];
        loss += w * d * d;
        dy[last][j] += 2 * w * d;
      }
      return loss;
    };
  }

  /** Natural-log softmax of logits (stable). */
  public static double[] logSoftmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : logits) {
      sum += Math.exp(v - max);
    }
    double lse = max + Math.log(sum);
    double[] out = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = logits[i] - lse;
    }
    return out;
  }

  /** weight * -log softmax(z)[label]; dz += weight * (softmax(z) - onehot(label)). */
  private static double softmaxCe(double[] z, int label, double weight, double[] dz) {
    if (label < 0 || label >= z.length) {
      throw new IllegalArgumentException(
          "label " + label + " out of range [0, " + z.length + ")");
    }
    double[] lp = logSoftmax(z);
    for (int j = 0; j < z.length; j++) {
      dz[j] += weight * (Math.exp(lp[j]) - (j == label ? 1 : 0));
    }
    return -weight * lp[label];
  }

  /** weight * sum_j BCE-with-logits; dz += weight * (sigmoid(z) - t). */
  private static double bce(double[] z, double[] t, double weight, double[] dz) {
    checkWidth(t.length, z.length);
    double loss = 0;
    for (int j = 0; j < z.length; j++) {
      double v = z[j];
      // max(v, 0) - v t + log(1 + exp(-|v|)): stable for any v
      loss += Math.max(v, 0) - v * t[j] + Math.log1p(Math.exp(-Math.abs(v)));
      dz[j] += weight * (DMath.sigmoid(v) - t[j]);
    }
    return weight * loss;
  }

  private static double weightOfRows(double[][] rows) {
    int n = 0;
    for (double[] r : rows) {
      n += r == null ? 0 : 1;
    }
    return n == 0 ? 0 : 1.0 / n;
  }

  private static void checkLength(int targets, int length) {
    if (targets != length) {
      throw new IllegalArgumentException(
          "loss has targets for " + targets + " steps, the sequence has " + length);
    }
  }

  private static void checkWidth(int targets, int outputs) {
    if (targets != outputs) {
      throw new IllegalArgumentException(
          "target has " + targets + " units, the model outputs " + outputs);
    }
  }
}
