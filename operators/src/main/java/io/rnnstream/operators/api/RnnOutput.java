package io.rnnstream.operators.api;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One prediction. Every output names the model version that produced it. Flink serializes and
 * copies it with {@link RnnOutputSerializer} (not the reflective POJO serializer: see there).
 */
@TypeInfo(RnnOutputTypeInfo.Factory.class)
public class RnnOutput {
  /** What the output summarises. */
  public enum Kind {
    /** Many-to-many: one per step. */
    STEP,
    /**
     * Many-to-many with {@code segmentOutputs(true)}: one per segment holding every step's output,
     * {@code y} row-major (steps x outputSize), {@link #step} = number of steps.
     */
    STEPS,
    /** Many-to-one: one per segment (a message), from a state reset at the segment's start. */
    SEGMENT,
    /** Many-to-one over the key's whole history (conversation mood), emitted per segment. */
    ROLLING
  }

  public String key;
  /** Sequence number of the event that completed this output. */
  public long seq;
  public String model;
  public long modelVersion;
  public Kind kind;
  /** Index of the segment within the key (0, 1, ...). */
  public long segment;
  /** Step index within the segment (STEP outputs), or the segment's length. */
  public int step;
  /** Head output (probabilities for softmax / sigmoid heads). */
  public float[] y;
  /** Label of the arg-max (or of the sigmoid decision) when the model has labels, else null. */
  public String label;
  /** STEPS outputs: the arg-max label of each step when the model has one label per output. */
  public String[] stepLabels;
  /** Probability of {@link #label} (or the max output). */
  public float probability;
  /**
   * STEPS outputs: the segment's tokens when the whole segment arrived as one {@code tokens}
   * event (the usual case for an utterance), so taggers can name the words they tag; else null.
   */
  public String[] tokens;
  /** Processing time minus the event's {@code timestampMs} (0 when unknown). */
  public long latencyMs;

  public RnnOutput() {}

  /** Equality of the prediction itself, ignoring latency (which differs run to run). */
  @Override
  public boolean equals(Object o) {
    return o instanceof RnnOutput r && java.util.Objects.equals(key, r.key) && seq == r.seq
        && java.util.Objects.equals(model, r.model) && modelVersion == r.modelVersion
        && kind == r.kind && segment == r.segment && step == r.step && Arrays.equals(y, r.y)
        && java.util.Objects.equals(label, r.label) && probability == r.probability;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(key, seq, model, modelVersion, kind, segment, step);
  }

  @Override
  public String toString() {
    return "RnnOutput{" + key + " seq=" + seq + " " + model + " v" + modelVersion + " " + kind
        + " seg=" + segment + " step=" + step + " y=" + Arrays.toString(y)
        + (label == null ? "" : " " + label + "@" + probability) + "}";
  }
}
