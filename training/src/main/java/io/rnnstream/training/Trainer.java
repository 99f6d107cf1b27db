package io.rnnstream.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch training of one {@link TrainableModel}: per batch, the gradients of its examples
 * (full or truncated BPTT, see {@link Bptt}) are summed and divided by the batch size, clipped
 * (by value, then by global norm, when configured) and handed to the optimiser.
 *
 * <p>With {@link Builder#updateEveryWindow(boolean)} the examples are instead processed one at a
 * time and the optimiser steps after every truncated-BPTT window (online TBPTT for long
 * streams): the next window runs forward with the updated weights from the carried state.
 *
 * <p>Deterministic: single-threaded, shuffling from a {@link SplittableRandom} seeded at build
 * time, so the same seed, data and initial weights give bit-identical weights.
 */
public final class Trainer {
  private final TrainableModel model;
  private final Optimizer optimizer;
  private final int window;
  private final double clipNorm;
  private final double clipValue;
  private final int batchSize;
  private final boolean updateEveryWindow;
  private final SplittableRandom random;
  private final Gradients grads;
  private double lastNorm;

  private Trainer(Builder b) {
    this.model = b.model;
    this.optimizer = b.optimizer;
    this.window = b.window;
    this.clipNorm = b.clipNorm;
    this.clipValue = b.clipValue;
    this.batchSize = b.batchSize;
    this.updateEveryWindow = b.updateEveryWindow;
    this.random = new SplittableRandom(b.seed);
    this.grads = model.newGradients();
  }

  public static Builder builder(TrainableModel model, Optimizer optimizer) {
    return new Builder(model, optimizer);
  }

  public TrainableModel model() {
    return model;
  }

  /** Global gradient norm of the last update, before clipping. */
  public double lastGradientNorm() {
    return lastNorm;
  }

  /**
   * One optimiser step on {@code batch} (or one per window per example with
   * {@code updateEveryWindow}).
   *
   * @return the mean loss of the batch's examples (computed during the forward passes)
   */
  public double trainBatch(List<Example> batch) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    if (updateEveryWindow) {
      double loss = 0;
      for (Example ex : batch) {
        loss += trainOnline(ex);
      }
      return loss / batch.size();
    }
    grads.zero();
    double loss = 0;
    for (Example ex : batch) {
      loss += Bptt.accumulate(model, ex, window, grads);
    }
    grads.scale(1.0 / batch.size());
    update();
    return loss / batch.size();
  }

  private double trainOnline(Example ex) {
    int n = ex.length();
    int k = Bptt.windowLength(model, window, n);
    TrainState state = null;
    double loss = 0;
    for (int from = 0; from < n; from += k) {
      int to = Math.min(n, from + k);
      SequenceTape tape = ex.forward(model, from, to, state);
      double[][] y = tape.outputs();
      double[][] dy = new double[y.length][y[0].length];
      loss += ex.loss().evaluate(y, from, n, dy);
      if (to < n) {
        state = tape.finalState();
      }
      if (!Bptt.allZero(dy)) {
        grads.zero();
        tape.backward(dy, grads);
        update();
      }
    }
    return loss;
  }

  private void update() {
    if (clipValue > 0) {
      grads.clipByValue(clipValue);
    }
    lastNorm = clipNorm > 0 ? grads.clipByGlobalNorm(clipNorm) : grads.globalNorm();
    optimizer.step(model, grads);
  }

  /**
   * One pass over {@code data} in a seeded random order, in batches of {@code batchSize}.
   *
   * @return the mean loss over the epoch's examples
   */
  public double trainEpoch(List<Example> data) {
    List<Example> order = new ArrayList<>(data);
    for (int i = order.size() - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      Example tmp = order.get(i);
      order.set(i, order.get(j));
      order.set(j, tmp);
    }
    double loss = 0;
    for (int from = 0; from < order.size(); from += batchSize) {
      List<Example> batch = order.subList(from, Math.min(order.size(), from + batchSize));
      loss += trainBatch(batch) * batch.size();
    }
    return loss / order.size();
  }

  /** Mean loss over {@code data} with the current weights (no update). */
  public double evaluate(List<Example> data) {
    double loss = 0;
    for (Example ex : data) {
      loss += Bptt.loss(model, ex);
    }
    return loss / data.size();
  }

  /** Checks each field as it is set. */
  public static final class Builder {
    private final TrainableModel model;
    private final Optimizer optimizer;
    private int window;
    private double clipNorm;
    private double clipValue;
    private int batchSize = 1;
    private boolean updateEveryWindow;
    private long seed;

    private Builder(TrainableModel model, Optimizer optimizer) {
      if (model == null) {
        throw new IllegalArgumentException("model must be set");
      }
      if (optimizer == null) {
        throw new IllegalArgumentException("optimizer must be set");
      }
      this.model = model;
      this.optimizer = optimizer;
    }

    /** Truncated-BPTT window in steps; 0 (default) is full BPTT. */
    public Builder window(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("window must be >= 0 (0 = full BPTT), got " + v);
      }
      window = v;
      return this;
    }

    /** Clip the (batch-averaged) gradient to this global L2 norm; 0 (default) disables. */
    public Builder clipGlobalNorm(double v) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException("clipGlobalNorm must be >= 0, got " + v);
      }
      clipNorm = v;
      return this;
    }

    /** Clip every gradient entry into [-v, v]; 0 (default) disables. */
    public Builder clipValue(double v) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException("clipValue must be >= 0, got " + v);
      }
      clipValue = v;
      return this;
    }

    public Builder batchSize(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, got " + v);
      }
      batchSize = v;
      return this;
    }

    /** Step the optimiser after every truncated-BPTT window instead of once per batch. */
    public Builder updateEveryWindow(boolean v) {
      updateEveryWindow = v;
      return this;
    }

    /** Seed of the epoch shuffling. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Trainer build() {
      return new Trainer(this);
    }
  }
}
