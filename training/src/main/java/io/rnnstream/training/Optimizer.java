package io.rnnstream.training;

/**
 * Updates a model's parameters in place from a gradient. Implementations keep per-tensor state
 * (momentum, moments) keyed by tensor name, so one instance serves one model.
 *
 * <p>Weight decay is <b>decoupled</b> (Loshchilov and Hutter: SGDW / AdamW): before the gradient
 * step every weight is multiplied by {@code 1 - lr * weightDecay}; the decay never enters the
 * gradient, the momentum or Adam's moments, and is not affected by clipping. Tensors of kind
 * {@link io.rnnstream.models.model.Parameters.Kind#BIAS} are not decayed.
 */
public interface Optimizer {
  void step(TrainableModel model, Gradients gradients);

  /** Decoupled weight decay of one tensor (skips biases). */
  static void decay(TrainableModel model, String name, double lr, double weightDecay) {
    if (weightDecay == 0
        || model.kind(name) == io.rnnstream.models.model.Parameters.Kind.BIAS) {
      return;
    }
    double f = 1 - lr * weightDecay;
    double[] w = model.param(name);
    for (int i = 0; i < w.length; i++) {
      w[i] *= f;
    }
  }
}
