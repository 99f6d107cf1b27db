package io.rnnstream.models.kernels;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Element-wise activations, applied in place on {@code (a, off, len)}. */
public enum Activation {
  IDENTITY,
  TANH,
  SIGMOID,
  RELU,
  /** Only meaningful for heads: normalises over the whole vector. */
  SOFTMAX;

  public void apply(float[] a, int off, int len) {
    switch (this) {
      case IDENTITY -> {}
      case TANH -> {
        for (int i = off; i < off + len; i++) {
          a[i] = (float) Math.tanh(a[i]);
        }
      }
      case SIGMOID -> {
        for (int i = off; i < off + len; i++) {
          a[i] = sigmoid(a[i]);
        }
      }
      case RELU -> {
        for (int i = off; i < off + len; i++) {
          a[i] = Math.max(0f, a[i]);
        }
      }
      case SOFTMAX -> softmax(a, off, len);
    }
  }

  /** Scalar form (not defined for {@link #SOFTMAX}). */
  public float apply(float v) {
    return switch (this) {
      case IDENTITY -> v;
      case TANH -> (float) Math.tanh(v);
      case SIGMOID -> sigmoid(v);
      case RELU -> Math.max(0f, v);
      case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
    };
  }

  public static float sigmoid(float v) {
    return (float) (1.0 / (1.0 + Math.exp(-v)));
  }

  /** Numerically stable softmax: subtract the max before exponentiating. */
  public static void softmax(float[] a, int off, int len) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = off; i < off + len; i++) {
      max = Math.max(max, a[i]);
    }
    double sum = 0;
    for (int i = off; i < off + len; i++) {
      float e = (float) Math.exp(a[i] - max);
      a[i] = e;
      sum += e;
    }
    float inv = (float) (1.0 / sum);
    for (int i = off; i < off + len; i++) {
      a[i] *= inv;
    }
  }

  /** Lower-case name as used in configs and snapshots ({@code "tanh"}). */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Activation of(String id) {
    for (Activation a : values()) {
      if (a.id().equalsIgnoreCase(id)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + id + "': expected one of identity, tanh, sigmoid, relu, softmax");
  }
}
