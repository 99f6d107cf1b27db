package io.rnnstream.operators.inference;

import io.rnnstream.operators.api.RnnOutput;
import java.util.List;

/** Turns a head output into a label and its probability, using the model's label list. */
final class Labels {
  private Labels() {}

  /**
   * One sigmoid output with two labels: label 1 when y >= 0.5. As many labels as outputs: the
   * arg-max. Otherwise no label, and the probability is the largest output.
   */
  static void decide(List<String> labels, RnnOutput o) {
    if (o.kind == RnnOutput.Kind.STEPS) {
      stepLabels(labels, o);
      return;
    }
    float[] y = o.y;
    if (y.length == 1 && labels.size() == 2) {
      boolean positive = y[0] >= 0.5f;
      o.label = labels.get(positive ? 1 : 0);
      o.probability = positive ? y[0] : 1f - y[0];
      return;
    }
    int best = 0;
    for (int i = 1; i < y.length; i++) {
      if (y[i] > y[best]) {
        best = i;
      }
    }
    o.probability = y.length == 0 ? 0f : y[best];
    o.label = labels.size() == y.length && y.length > 0 ? labels.get(best) : null;
  }

  /** Per-step arg-max labels of a STEPS output (y is steps x width, width = labels). */
  private static void stepLabels(List<String> labels, RnnOutput o) {
    int steps = o.step;
    if (steps == 0 || labels.isEmpty() || o.y.length != steps * labels.size()) {
      return;
    }
    int width = labels.size();
    o.stepLabels = new String[steps];
    for (int t = 0; t < steps; t++) {
      int best = 0;
      for (int j = 1; j < width; j++) {
        if (o.y[t * width + j] > o.y[t * width + best]) {
          best = j;
        }
      }
      o.stepLabels[t] = labels.get(best);
    }
  }
}
