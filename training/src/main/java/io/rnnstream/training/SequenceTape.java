package io.rnnstream.training;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.TensorNames;

/**
 * One forward pass over a sequence (or a truncated-BPTT window of one), recording what the
 * backward pass needs. The computation is {@link io.rnnstream.models.model.RnnModel#forward} in
 * double precision: embedding lookup (token models), every layer and direction (bidirectional
 * layers concatenate {@code [forward, reverse]} per step), incremental pooling, head. The outputs
 * are per step, exactly what the served model returns per step: the head's output of the pooled
 * vector so far ({@link Pooling#NONE}/{@link Pooling#LAST}: of the current top output).
 *
 * <p>{@link #backward} takes dL/dy for every step (zeros where the loss does not look, e.g. all
 * but the last step for many-to-one) and accumulates dL/dθ into a {@link Gradients}; any loss
 * that can produce per-step output gradients (cross-entropy, MSE, CTC) plugs in. It returns
 * dL/dx per step. Gradients stop at the initial {@link TrainState}: that is the truncation of
 * truncated BPTT.
 */
public final class SequenceTape {
  private final TrainableModel model;
  private final ModelSpec spec;
  private final int steps;
  private final int[] tokens; // or null
  private final Object[][][] caches; // [layer][dir][i], i in processing order
  private final double[][] top; // [t] (P): top layer output, directions concatenated
  private final double[][] pooled; // [t] (P)
  private final long[] counts; // [t] steps including t (mean divisor)
  private final double[] scores; // [t] attention score a . v_t
  private final double[] maxes; // [t] running max of scores
  private final double[] norms; // [t] running normaliser, scaled by exp(-max)
  private final double[][] headZ; // [t] (O) head pre-activation, or null without head
  private final double[][] outputs; // [t] (O)
  private final TrainState finalState; // null for bidirectional models

  private SequenceTape(TrainableModel model, double[][] xs, int[] tokens, TrainState init) {
    this.model = model;
    this.spec = model.spec();
    this.steps = xs.length;
    this.tokens = tokens;
    if (steps == 0) {
      throw new IllegalArgumentException("a sequence needs at least one step");
    }
    if (init == null) {
      init = TrainState.zeros(spec);
    }
    if (spec.bidirectional() && init.steps != 0) {
      throw new IllegalArgumentException(
          "bidirectional models run whole segments from the zero state (no truncated BPTT)");
    }
    if (!spec.bidirectional() && init.layers.length != spec.numLayers()) {
      throw new IllegalArgumentException("initial state is for a different model");
    }
    int layers = spec.numLayers();
    int dirs = spec.directions();
    int lo = spec.layerOutputSize();
    this.caches = new Object[layers][dirs][steps];
    double[][] in = xs;
    double[][] finalLayers = new double[spec.bidirectional() ? 0 : layers][];
    for (int k = 0; k < layers; k++) {
      double[][] out = new double[steps][lo * dirs];
      for (int dir = 0; dir < dirs; dir++) {
        TrainCell cell = model.cell(k, dir);
        boolean rev = dir == 1;
        double[] state = rev || spec.bidirectional()
            ? new double[cell.stateSize]
            : init.layers[k];
        for (int i = 0; i < steps; i++) {
          int t = rev ? steps - 1 - i : i;
          long clock = rev ? i : init.steps + i;
          double[] next = new double[cell.stateSize];
          caches[k][dir][i] = cell.forward(in[t], state, clock, next);
          System.arraycopy(next, 0, out[t], dir * lo, lo);
          state = next;
        }
        if (!spec.bidirectional()) {
          finalLayers[k] = state;
        }
      }
      in = out;
    }
    this.top = in;

    // pooling
    int p = spec.topOutputSize();
    Pooling pooling = spec.pooling();
    this.pooled = new double[steps][];
    this.counts = new long[steps];
    this.scores = new double[steps];
    this.maxes = new double[steps];
    this.norms = new double[steps];
    double[] acc = init.pool.length == 0
        ? new double[pooling.stateSize(p)]
        : init.pool.clone();
    double[] att = pooling == Pooling.ATTENTION ? model.param(TensorNames.ATTENTION) : null;
    for (int t = 0; t < steps; t++) {
      long count = init.steps + t + 1;
      counts[t] = count;
      double[] v = top[t];
      double[] out = new double[p];
      switch (pooling) {
        case NONE, LAST -> System.arraycopy(v, 0, out, 0, p);
        case MEAN -> {
          for (int j = 0; j < p; j++) {
            acc[j] += v[j];
            out[j] = acc[j] / count;
          }
        }
        case ATTENTION -> {
          double s = DMath.dot(att, v);
          double m = acc[0];
          double z = acc[1];
          if (count == 1 || s > m) {
            double scale = count == 1 ? 0 : Math.exp(m - s);
            for (int j = 0; j < p; j++) {
              acc[2 + j] *= scale;
            }
            z *= scale;
            m = s;
          }
          double e = Math.exp(s - m);
          z += e;
          acc[0] = m;
          acc[1] = z;
          for (int j = 0; j < p; j++) {
            acc[2 + j] += e * v[j];
            out[j] = acc[2 + j] / z;
          }
          scores[t] = s;
          maxes[t] = m;
          norms[t] = z;
        }
      }
      pooled[t] = out;
    }

    // head
    this.outputs = new double[steps][];
    if (spec.head() == null) {
      this.headZ = null;
      for (int t = 0; t < steps; t++) {
        outputs[t] = pooled[t].clone();
      }
    } else {
      Linear head = head();
      this.headZ = new double[steps][];
      for (int t = 0; t < steps; t++) {
        double[] z = new double[head.rows];
        head.forward(pooled[t], z);
        headZ[t] = z;
        outputs[t] = DMath.activate(spec.head().activation(), z);
      }
    }
    this.finalState = spec.bidirectional()
        ? null
        : new TrainState(finalLayers, acc, init.steps + steps);
  }

  private Linear head() {
    return new Linear(model, TensorNames.HEAD_WEIGHT,
        spec.head().bias() ? TensorNames.HEAD_BIAS : null,
        spec.head().outputSize(), spec.topOutputSize());
  }

  /** Forward over dense inputs {@code xs[t] (D)} from the zero state. */
  public static SequenceTape forward(TrainableModel model, double[][] xs) {
    return forward(model, xs, null);
  }

  /**
   * Forward over dense inputs from {@code init} (a previous window's {@link #finalState()}; null
   * for the zero state). The inputs are copied.
   */
  public static SequenceTape forward(TrainableModel model, double[][] xs, TrainState init) {
    if (model.spec().readsTokenIds()) {
      throw new IllegalArgumentException("model reads token ids: use forwardTokens");
    }
    int d = model.spec().inputSize();
    double[][] copy = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      if (xs[t].length != d) {
        throw new IllegalArgumentException(
            "input step " + t + " has " + xs[t].length + " values, model expects " + d);
      }
      copy[t] = xs[t].clone();
    }
    return new SequenceTape(model, copy, null, init);
  }

  /** Forward over token ids (embedding lookup) from the zero state. */
  public static SequenceTape forwardTokens(TrainableModel model, int[] ids) {
    return forwardTokens(model, ids, null);
  }

  /** Forward over token ids from {@code init} (null for the zero state). */
  public static SequenceTape forwardTokens(TrainableModel model, int[] ids, TrainState init) {
    ModelSpec spec = model.spec();
    if (!spec.readsTokenIds()) {
      throw new IllegalArgumentException("model has no embedding: use forward with vectors");
    }
    double[] e = model.param(TensorNames.EMBEDDING);
    int d = spec.inputSize();
    double[][] xs = new double[ids.length][d];
    for (int t = 0; t < ids.length; t++) {
      if (ids[t] < 0 || ids[t] >= spec.vocabSize()) {
        throw new IllegalArgumentException(
            "token id " + ids[t] + " out of range [0, " + spec.vocabSize() + ")");
      }
      System.arraycopy(e, ids[t] * d, xs[t], 0, d);
    }
    return new SequenceTape(model, xs, ids.clone(), init);
  }

  public int length() {
    return steps;
  }

  /** Per-step outputs {@code [t] (O)}: the tape's own arrays, do not modify. */
  public double[][] outputs() {
    return outputs;
  }

  /**
   * The state after the last step, to start the next truncated-BPTT window from (or to continue
   * with inference via {@link TrainState#toRnnState()}).
   *
   * @throws IllegalStateException for bidirectional models, which keep no state
   */
  public TrainState finalState() {
    if (finalState == null) {
      throw new IllegalStateException("bidirectional models keep no state between segments");
    }
    return finalState;
  }

  /**
   * Backpropagation through time over this tape.
   *
   * @param dOutputs dL/dy per step {@code [t] (O)}; null rows count as zero
   * @param into accumulates dL/dθ (created by the same model's {@link
   *     TrainableModel#newGradients()})
   * @return dL/dx per step {@code [t] (D)} (for token models: w.r.t. the embedded vectors)
   */
  public double[][] backward(double[][] dOutputs, Gradients into) {
    if (dOutputs.length != steps) {
      throw new IllegalArgumentException(
          "dOutputs has " + dOutputs.length + " steps, the tape " + steps);
    }
    for (int t = 0; t < steps; t++) {
      if (dOutputs[t] != null && dOutputs[t].length != outputs[t].length) {
        throw new IllegalArgumentException("dOutputs[" + t + "] has " + dOutputs[t].length
            + " values, the model outputs " + outputs[t].length);
      }
    }
    int p = spec.topOutputSize();
    // head
    double[][] dPooled = new double[steps][];
    if (spec.head() == null) {
      for (int t = 0; t < steps; t++) {
        dPooled[t] = dOutputs[t] == null ? new double[p] : dOutputs[t].clone();
      }
    } else {
      Linear head = head();
      Activation act = spec.head().activation();
      for (int t = 0; t < steps; t++) {
        dPooled[t] = new double[p];
        if (dOutputs[t] == null || isZero(dOutputs[t])) {
          continue;
        }
        double[] dz = DMath.backward(act, headZ[t], outputs[t], dOutputs[t]);
        head.backward(dz, pooled[t], dPooled[t], into);
      }
    }
    double[][] dTop = poolBackward(dPooled, into);

    // layers, top down; every direction of a layer adds into the same dIn
    int lo = spec.layerOutputSize();
    for (int k = spec.numLayers() - 1; k >= 0; k--) {
      double[][] dIn = new double[steps][spec.layerInputSize(k)];
      for (int dir = 0; dir < spec.directions(); dir++) {
        TrainCell cell = model.cell(k, dir);
        boolean rev = dir == 1;
        double[] dState = new double[cell.stateSize];
        for (int i = steps - 1; i >= 0; i--) {
          int t = rev ? steps - 1 - i : i;
          double[] dNext = dState;
          for (int j = 0; j < lo; j++) {
            dNext[j] += dTop[t][dir * lo + j];
          }
          double[] dPrev = new double[cell.stateSize];
          cell.backward(caches[k][dir][i], dNext, dIn[t], dPrev, into);
          dState = dPrev;
        }
      }
      dTop = dIn;
    }
    if (tokens != null) {
      double[] de = into.get(TensorNames.EMBEDDING);
      int d = spec.inputSize();
      for (int t = 0; t < steps; t++) {
        for (int j = 0; j < d; j++) {
          de[tokens[t] * d + j] += dTop[t][j];
        }
      }
    }
    return dTop;
  }

  private double[][] poolBackward(double[][] dPooled, Gradients into) {
    int p = spec.topOutputSize();
    double[][] dTop = new double[steps][p];
    switch (spec.pooling()) {
      case NONE, LAST -> {
        for (int t = 0; t < steps; t++) {
          System.arraycopy(dPooled[t], 0, dTop[t], 0, p);
        }
      }
      case MEAN -> {
        // pooled_t = (carried sum + sum_{s<=t} v_s) / count_t
        double[] run = new double[p];
        for (int t = steps - 1; t >= 0; t--) {
          for (int j = 0; j < p; j++) {
            run[j] += dPooled[t][j] / counts[t];
            dTop[t][j] = run[j];
          }
        }
      }
      case ATTENTION -> {
        // pooled_t = (carried + sum_{s<=t} exp(e_s) v_s) / Z_t, e_s = a . v_s; the carried part
        // is constant. w_ts = exp(e_s - m_t) / z_t.
        double[] a = model.param(TensorNames.ATTENTION);
        double[] da = into.get(TensorNames.ATTENTION);
        for (int t = 0; t < steps; t++) {
          double[] dp = dPooled[t];
          if (isZero(dp)) {
            continue;
          }
          double dot = DMath.dot(dp, pooled[t]);
          for (int s = 0; s <= t; s++) {
            double w = Math.exp(scores[s] - maxes[t]) / norms[t];
            double[] v = top[s];
            double de = w * (DMath.dot(dp, v) - dot);
            for (int j = 0; j < p; j++) {
              dTop[s][j] += w * dp[j] + de * a[j];
              da[j] += de * v[j];
            }
          }
        }
      }
    }
    return dTop;
  }

  private static boolean isZero(double[] v) {
    for (double d : v) {
      if (d != 0) {
        return false;
      }
    }
    return true;
  }
}
