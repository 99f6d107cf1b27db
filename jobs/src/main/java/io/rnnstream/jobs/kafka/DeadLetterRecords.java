package io.rnnstream.jobs.kafka;

import io.rnnstream.operators.api.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The operator's dead letters as the Avro records of the dead-letter topic. */
public final class DeadLetterRecords {
  private DeadLetterRecords() {}

  /** Splits "topic/partition/offset" back into its parts (unknown parts: "", -1, -1). */
  public static io.rnnstream.schemas.DeadLetter toAvro(DeadLetter d) {
    String topic = "";
    int partition = -1;
    long offset = -1;
    if (d.source != null) {
      String[] parts = d.source.split("/");
      if (parts.length == 3) {
        topic = parts[0];
        try {
          partition = Integer.parseInt(parts[1]);
          offset = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
          topic = d.source;
        }
      } else {
        topic = d.source;
      }
    }
    return io.rnnstream.schemas.DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setKey(d.key)
        .setPayload(ByteBuffer.wrap(d.payload != null
            ? d.payload : String.valueOf(d.detail).getBytes(StandardCharsets.UTF_8)))
        .setReason(d.kind + ": " + d.reason)
        .setTimestampMs(d.timestampMs)
        .build();
  }
}
