package io.rnnstream.models.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rnnstream.models.kernels.Activation;

/** A linear output layer {@code y = activation(W v + b)}, W (outputSize, top width). */
public record HeadSpec(
    @JsonProperty("outputSize") int outputSize,
    @JsonProperty("activation") Activation activation,
    @JsonProperty("bias") boolean bias) {

  public HeadSpec {
    if (outputSize < 1) {
      throw new IllegalArgumentException("head.outputSize must be >= 1, got " + outputSize);
    }
    if (activation == null) {
      activation = Activation.IDENTITY;
    }
  }
}
