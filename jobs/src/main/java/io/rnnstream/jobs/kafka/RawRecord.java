package io.rnnstream.jobs.kafka;

/**
 * A Kafka record as it arrived: coordinates, key and value bytes, not yet decoded. Decoding
 * happens in the pipeline so that a malformed record becomes a dead letter with its coordinates
 * instead of failing the source. A Flink POJO.
 */
public class RawRecord {
  public String topic;
  public int partition;
  public long offset;
  public long timestampMs;
  public byte[] key;
  public byte[] value;

  public RawRecord() {}

  public static RawRecord of(String topic, int partition, long offset, byte[] key, byte[] value) {
    RawRecord r = new RawRecord();
    r.topic = topic;
    r.partition = partition;
    r.offset = offset;
    r.key = key;
    r.value = value;
    return r;
  }

  /** "topic/partition/offset", the form dead letters quote. */
  public String source() {
    return topic + "/" + partition + "/" + offset;
  }

  public String keyString() {
    return key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
  }
}
