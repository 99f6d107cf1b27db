package io.rnnstream.models.model;

import java.util.Arrays;

/**
 * The per-key recurrent state of one model: a flat float array plus the number of steps taken.
 *
 * <p>Layout of {@link #values} (sizes from {@link RnnModel#stateLayout()}): every layer's
 * recurrent state in order (for LSTM {@code [h (H), c (H)]}, for GRU and Elman {@code [h (H)]},
 * for Jordan {@code [y (O), h (H)]}, for SCRN {@code [h (H), s (S)]}), followed by the many-to-one
 * pooling accumulators. A state never references its model: the same model serves any number of
 * keys, and the state is a small record that Flink can checkpoint.
 *
 * <p>{@link #steps} counts steps since the last reset; the Clockwork RNN uses it as its clock and
 * mean pooling as its divisor.
 */
public final class RnnState {
  private final float[] values;
  private long steps;

  public RnnState(float[] values, long steps) {
    if (values == null) {
      throw new IllegalArgumentException("values must not be null");
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    this.values = values;
    this.steps = steps;
  }

  /** A zero state of {@code size} floats. */
  public static RnnState zeros(int size) {
    return new RnnState(new float[size], 0);
  }

  /** The backing array, mutated in place by {@link RnnModel#step}. */
  public float[] values() {
    return values;
  }

  public long steps() {
    return steps;
  }

  /** Advances the clock by one step; called by the model after each step. */
  void advance() {
    steps++;
  }

  /** Back to the zero state (start of a new sequence). */
  public void reset() {
    Arrays.fill(values, 0f);
    steps = 0;
  }

  public RnnState copy() {
    return new RnnState(values.clone(), steps);
  }

  /** Overwrites this state with {@code other} (same size) without allocating. */
  public void copyFrom(RnnState other) {
    if (other.values.length != values.length) {
      throw new IllegalArgumentException(
          "state sizes differ: " + other.values.length + " vs " + values.length);
    }
    System.arraycopy(other.values, 0, values, 0, values.length);
    steps = other.steps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RnnState s && s.steps == steps && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Long.hashCode(steps);
  }

  @Override
  public String toString() {
    return "RnnState{steps=" + steps + ", size=" + values.length + "}";
  }
}
