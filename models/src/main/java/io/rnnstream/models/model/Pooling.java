package io.rnnstream.models.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a sequence of top-layer outputs becomes the one vector a many-to-one head reads. Every
 * choice is incremental: after each step the pooled vector covers the steps so far.
 */
public enum Pooling {
  /** Many-to-many: the head reads each step's output (same numbers as {@link #LAST}). */
  NONE,
  /** The last step's output. */
  LAST,
  /** Running mean; accumulator: sum (P). */
  MEAN,
  /**
   * Softmax-weighted sum with score {@code a . v_t}; accumulators: running max m, normaliser z,
   * weighted sum (P), rescaled whenever the max grows (the online-softmax trick).
   */
  ATTENTION;

  /** Floats of pooling state for a top output of width {@code p}. */
  public int stateSize(int p) {
    return switch (this) {
      case NONE, LAST -> 0;
      case MEAN -> p;
      case ATTENTION -> p + 2;
    };
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Pooling of(String id) {
    for (Pooling p : values()) {
      if (p.id().equalsIgnoreCase(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown pooling '" + id + "': expected one of none, last, mean, attention");
  }
}
