package io.rnnstream.operators.api;

/** A record that could not be processed, with the reason. A Flink POJO. */
public class DeadLetter {
  /** Key of the event, or the model name for rejected snapshots. */
  public String key;
  /** "event" or "snapshot". */
  public String kind;
  /** Where the record came from ("topic/partition/offset"), if known. */
  public String source;
  public String reason;
  /** A short description of the rejected record (never the full payload of a large snapshot). */
  public String detail;
  /**
   * The raw record value bytes when the rejecting stage still had them (decoders; snapshots the
   * operator refused, which carry their record along), else null.
   */
  public byte[] payload;
  /** The raw record key bytes, when known along with {@link #payload}; else null. */
  public byte[] recordKey;
  public long timestampMs;

  public DeadLetter() {}

  public static DeadLetter of(String kind, String key, String source, String reason, String detail) {
    DeadLetter d = new DeadLetter();
    d.kind = kind;
    d.key = key;
    d.source = source;
    d.reason = reason;
    d.detail = detail;
    d.timestampMs = System.currentTimeMillis();
    return d;
  }

  @Override
  public String toString() {
    return "DeadLetter{" + kind + " key=" + key + " source=" + source + ": " + reason + "}";
  }
}
