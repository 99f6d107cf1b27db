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
      case TANH -> Kernels.backend().tanh(a, off, len);
      case SIGMOID -> Kernels.backend().sigmoid(a, off, len);
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
      case TANH -> tanh(v);
      case SIGMOID -> sigmoid(v);
      case RELU -> Math.max(0f, v);
      case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
    };
  }

  /** Logistic function; relative error below 1e-6 (via {@link #exp}). */
  public static float sigmoid(float v) {
    return 1f / (1f + exp(-v));
  }

  /**
   * Hyperbolic tangent in float, relative error below 1e-6: an odd Taylor series near zero
   * (where {@code (e - 1) / (e + 1)} would cancel), the exponential form elsewhere. About 5x
   * faster than {@code (float) Math.tanh}, which dominated an LSTM step.
   */
  public static float tanh(float x) {
    float ax = Math.abs(x);
    if (ax < 0.25f) {
      float x2 = x * x; // x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835, next term < 3e-9 x
      return x * (1f - x2 * (0.33333334f - x2 * (0.13333334f - x2 * (0.053968254f
          - x2 * 0.021869488f))));
    }
    if (ax > 9.1f) {
      return Math.copySign(1f, x); // tanh(9.1) rounds to 1 in float
    }
    float e = exp(2f * x);
    return (e - 1f) / (e + 1f);
  }

  /**
   * e^x in float, relative error below 3e-7 over the whole float range: x = n ln2 + r with
   * |r| <= ln2 / 2 (ln2 split in two parts so that r is exact), a degree-6 Taylor polynomial in r,
   * and 2^n from the exponent bits. Outside [-87.3, 88] (where 2^n would not be a normal float)
   * it defers to {@link Math#exp}, so overflow is infinity and deep underflow 0, as expected.
   */
  public static float exp(float x) {
    if (!(x >= -87.3f && x <= 88f)) { // also NaN
      return (float) Math.exp(x);
    }
    float n = Math.round(x * 1.44269504f);
    float r = x - n * 0.693145751953125f - n * 1.428606765330187e-06f;
    float p = 1f + r * (1f + r * (0.5f + r * (0.16666667f + r * (0.041666668f
        + r * (0.008333334f + r * 0.0013888889f)))));
    return p * Float.intBitsToFloat(((int) n + 127) << 23);
  }

  /** Numerically stable softmax: subtract the max before exponentiating. */
  public static void softmax(float[] a, int off, int len) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = off; i < off + len; i++) {
      max = Math.max(max, a[i]);
    }
    double sum = 0;
    for (int i = off; i < off + len; i++) {
      float e = exp(a[i] - max);
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
