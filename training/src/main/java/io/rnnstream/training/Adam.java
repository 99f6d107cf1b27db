package io.rnnstream.training;

import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with bias correction, {@code w -= lr * m_hat / (sqrt(v_hat) + eps)}; with
 * weight decay it is AdamW (decoupled, see {@link Optimizer}). Defaults: beta1 0.9, beta2 0.999,
 * eps 1e-8, no decay.
 */
public final class Adam implements Optimizer {
  private double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final Map<String, double[]> m = new HashMap<>();
  private final Map<String, double[]> v = new HashMap<>();
  private long t;

  private Adam(Builder b) {
    this.learningRate = b.learningRate;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.epsilon = b.epsilon;
    this.weightDecay = b.weightDecay;
  }

  public static Builder builder(double learningRate) {
    return new Builder(learningRate);
  }

  /** The current learning rate. */
  public double learningRate() {
    return learningRate;
  }

  /** Changes the learning rate of the next steps (a schedule); the moments are kept. */
  public void setLearningRate(double v) {
    if (!(v > 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + v);
    }
    learningRate = v;
  }

  /** Steps taken so far. */
  public long steps() {
    return t;
  }

  @Override
  public void step(TrainableModel model, Gradients gradients) {
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (String name : model.names()) {
      Optimizer.decay(model, name, learningRate, weightDecay);
      double[] w = model.param(name);
      double[] g = gradients.get(name);
      double[] mm = m.computeIfAbsent(name, k -> new double[w.length]);
      double[] vv = v.computeIfAbsent(name, k -> new double[w.length]);
      for (int i = 0; i < w.length; i++) {
        mm[i] = beta1 * mm[i] + (1 - beta1) * g[i];
        vv[i] = beta2 * vv[i] + (1 - beta2) * g[i] * g[i];
        w[i] -= learningRate * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + epsilon);
      }
    }
  }

  /** Every setter checks its field. */
  public static final class Builder {
    private final double learningRate;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private double weightDecay;

    private Builder(double learningRate) {
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
      }
      this.learningRate = learningRate;
    }

    public Builder betas(double b1, double b2) {
      if (!(b1 >= 0 && b1 < 1)) {
        throw new IllegalArgumentException("beta1 must be in [0, 1), got " + b1);
      }
      if (!(b2 >= 0 && b2 < 1)) {
        throw new IllegalArgumentException("beta2 must be in [0, 1), got " + b2);
      }
      beta1 = b1;
      beta2 = b2;
      return this;
    }

    public Builder epsilon(double v) {
      if (!(v > 0)) {
        throw new IllegalArgumentException("epsilon must be > 0, got " + v);
      }
      epsilon = v;
      return this;
    }

    public Builder weightDecay(double v) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException("weightDecay must be >= 0, got " + v);
      }
      weightDecay = v;
      return this;
    }

    public Adam build() {
      return new Adam(this);
    }
  }
}
