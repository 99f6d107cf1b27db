package io.rnnstream.training;

import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnState;

/**
 * The recurrent state a unidirectional model carries between truncated-BPTT windows, in double
 * precision: every layer's cell state, the pooling accumulators and the step count (Clockwork
 * clock, mean-pooling divisor). It is a constant for the window that starts from it: no gradient
 * flows back through it. Same layout as {@link RnnState} ({@link #toRnnState()}). Immutable.
 */
public final class TrainState {
  final double[][] layers; // per layer: [h], [h, c] (LSTM), [y, h] (Jordan), [h, s] (SCRN)
  final double[] pool; // MEAN: sum (P); ATTENTION: [m, z, sum (P)] scaled by exp(-m); else empty
  final long steps;

  TrainState(double[][] layers, double[] pool, long steps) {
    this.layers = layers;
    this.pool = pool;
    this.steps = steps;
  }

  /** The zero state a sequence starts from. */
  public static TrainState zeros(ModelSpec spec) {
    int layers = spec.bidirectional() ? 0 : spec.numLayers();
    double[][] s = new double[layers][cellStateSize(spec)];
    int pool = spec.bidirectional() ? 0 : spec.pooling().stateSize(spec.topOutputSize());
    return new TrainState(s, new double[pool], 0);
  }

  /** The state of a unidirectional model after an inference run ({@link RnnState} layout). */
  public static TrainState fromRnnState(ModelSpec spec, RnnState state) {
    TrainState z = zeros(spec);
    float[] v = state.values();
    int expected = z.layers.length * cellStateSize(spec) + z.pool.length;
    if (v.length != expected) {
      throw new IllegalArgumentException(
          "state has " + v.length + " floats, this model needs " + expected);
    }
    int off = 0;
    for (double[] layer : z.layers) {
      for (int j = 0; j < layer.length; j++) {
        layer[j] = v[off++];
      }
    }
    for (int j = 0; j < z.pool.length; j++) {
      z.pool[j] = v[off++];
    }
    return new TrainState(z.layers, z.pool, state.steps());
  }

  static int cellStateSize(ModelSpec spec) {
    int h = spec.hiddenSize();
    return switch (spec.cell()) {
      case LSTM -> 2 * h;
      case JORDAN -> spec.feedbackSize() + h;
      case SCRN -> h + spec.contextSize();
      default -> h;
    };
  }

  public long steps() {
    return steps;
  }

  /** This state rounded to float in {@link RnnState}'s layout, to continue with inference. */
  public RnnState toRnnState() {
    int n = pool.length;
    for (double[] l : layers) {
      n += l.length;
    }
    float[] v = new float[n];
    int off = 0;
    for (double[] l : layers) {
      for (double d : l) {
        v[off++] = (float) d;
      }
    }
    for (double d : pool) {
      v[off++] = (float) d;
    }
    return new RnnState(v, steps);
  }
}
