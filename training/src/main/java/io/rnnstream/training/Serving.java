package io.rnnstream.training;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.HeadSpec;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;

/**
 * Turns a model trained on logits (head activation {@code identity}, losses from {@link Losses})
 * into the model to serve: same weights, head activation softmax (after softmax cross-entropy)
 * or sigmoid (after binary cross-entropy).
 */
public final class Serving {
  private Serving() {}

  /** The same model with head activation {@code activation}. */
  public static RnnModel withHeadActivation(RnnModel trained, Activation activation) {
    ModelSpec spec = trained.spec();
    if (spec.head() == null) {
      throw new IllegalArgumentException("model '" + trained.info().name() + "' has no head");
    }
    HeadSpec h = spec.head();
    ModelSpec served = spec.toBuilder()
        .head(new HeadSpec(h.outputSize(), activation, h.bias())).build();
    return RnnModel.create(served, trained.tensors(), trained.info(), "serving conversion");
  }

  /** A logits head (activation identity) turned into a softmax head. */
  public static RnnModel softmaxHead(RnnModel trained) {
    return fromLogits(trained, Activation.SOFTMAX);
  }

  /** A logits head (activation identity) turned into a sigmoid head. */
  public static RnnModel sigmoidHead(RnnModel trained) {
    return fromLogits(trained, Activation.SIGMOID);
  }

  private static RnnModel fromLogits(RnnModel trained, Activation activation) {
    if (trained.spec().head() == null
        || trained.spec().head().activation() != Activation.IDENTITY) {
      throw new IllegalArgumentException(
          "expected a logits head (activation identity), got "
              + (trained.spec().head() == null ? "no head" : trained.spec().head().activation()));
    }
    return withHeadActivation(trained, activation);
  }
}
