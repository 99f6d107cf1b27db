package io.rnnstream.operators.api;

import java.util.Arrays;

/**
 * One input event for one key: one or a few time steps of one sequence. A Flink POJO (public
 * fields, no-arg constructor), so Flink serializes it without Kryo.
 *
 * <p>Exactly one of {@link #x}, {@link #ids} or {@link #tokens} carries the steps:
 *
 * <ul>
 *   <li>{@code x}: dense inputs, row-major (steps x inputSize) for models without an embedding;
 *   <li>{@code ids}: token ids for models with an embedding;
 *   <li>{@code tokens}: words, mapped to ids by the model's vocabulary (unknown words go to
 *       {@code <unk>} when the vocabulary has it).
 * </ul>
 *
 * An event with no steps is allowed: it can close a segment or reset a key.
 */
public class RnnEvent {
  /** The entity whose sequence this is (conversation, speaker stream, session). */
  public String key;

  /** Per-key sequence number (0, 1, 2, ...); negative = unordered (no duplicate/gap checks). */
  public long seq = -1;

  /** Model name; null means the pipeline's default model. */
  public String model;

  public float[] x;
  public int[] ids;
  public String[] tokens;

  /** The segment (message, utterance) ends with this event's last step. */
  public boolean endOfSegment;

  /** Start this key from the zero state (segment and rolling) before this event's steps. */
  public boolean reset;

  /** When the event entered the system (epoch ms), for end-to-end latency; 0 if unknown. */
  public long timestampMs;

  /** Where the event came from ("topic/partition/offset"), quoted in dead letters. */
  public String source;

  public RnnEvent() {}

  public static RnnEvent dense(String key, long seq, float[] x) {
    RnnEvent e = new RnnEvent();
    e.key = key;
    e.seq = seq;
    e.x = x;
    return e;
  }

  public static RnnEvent tokens(String key, long seq, String... tokens) {
    RnnEvent e = new RnnEvent();
    e.key = key;
    e.seq = seq;
    e.tokens = tokens;
    return e;
  }

  public static RnnEvent ids(String key, long seq, int... ids) {
    RnnEvent e = new RnnEvent();
    e.key = key;
    e.seq = seq;
    e.ids = ids;
    return e;
  }

  public RnnEvent model(String name) {
    this.model = name;
    return this;
  }

  public RnnEvent endOfSegment() {
    this.endOfSegment = true;
    return this;
  }

  public RnnEvent reset() {
    this.reset = true;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RnnEvent e && java.util.Objects.equals(key, e.key) && seq == e.seq
        && java.util.Objects.equals(model, e.model) && Arrays.equals(x, e.x)
        && Arrays.equals(ids, e.ids) && Arrays.equals(tokens, e.tokens)
        && endOfSegment == e.endOfSegment && reset == e.reset && timestampMs == e.timestampMs
        && java.util.Objects.equals(source, e.source);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(key, seq, model);
  }

  @Override
  public String toString() {
    return "RnnEvent{key=" + key + ", seq=" + seq + (model == null ? "" : ", model=" + model)
        + (x != null ? ", x[" + x.length + "]" : "")
        + (ids != null ? ", ids=" + Arrays.toString(ids) : "")
        + (tokens != null ? ", tokens=" + Arrays.toString(tokens) : "")
        + (endOfSegment ? ", end" : "") + (reset ? ", reset" : "") + "}";
  }
}
