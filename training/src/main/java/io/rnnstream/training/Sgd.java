package io.rnnstream.training;

import java.util.HashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, PyTorch's form:
 * {@code v = momentum * v + g; w -= lr * v} (plain SGD for momentum 0), plus decoupled weight
 * decay (see {@link Optimizer}).
 */
public final class Sgd implements Optimizer {
  private final double learningRate;
  private final double momentum;
  private final double weightDecay;
  private final Map<String, double[]> velocity = new HashMap<>();

  private Sgd(Builder b) {
    this.learningRate = b.learningRate;
    this.momentum = b.momentum;
    this.weightDecay = b.weightDecay;
  }

  public static Builder builder(double learningRate) {
    return new Builder(learningRate);
  }

  @Override
  public void step(TrainableModel model, Gradients gradients) {
    for (String name : model.names()) {
      Optimizer.decay(model, name, learningRate, weightDecay);
      double[] w = model.param(name);
      double[] g = gradients.get(name);
      if (momentum == 0) {
        for (int i = 0; i < w.length; i++) {
          w[i] -= learningRate * g[i];
        }
        continue;
      }
      double[] v = velocity.computeIfAbsent(name, k -> new double[w.length]);
      for (int i = 0; i < w.length; i++) {
        v[i] = momentum * v[i] + g[i];
        w[i] -= learningRate * v[i];
      }
    }
  }

  /** Immutable once built; every setter checks its field. */
  public static final class Builder {
    private final double learningRate;
    private double momentum;
    private double weightDecay;

    private Builder(double learningRate) {
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
      }
      this.learningRate = learningRate;
    }

    public Builder momentum(double v) {
      if (!(v >= 0 && v < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + v);
      }
      momentum = v;
      return this;
    }

    public Builder weightDecay(double v) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException("weightDecay must be >= 0, got " + v);
      }
      weightDecay = v;
      return this;
    }

    public Sgd build() {
      return new Sgd(this);
    }
  }
}
