package io.rnnstream.jobs.captions;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.operators.captions.Caption;
import io.rnnstream.schemas.CaptionWord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** The captions topic's records: Avro {@code Caption} values keyed by stream id. */
public final class CaptionRecords {
  private CaptionRecords() {}

  public static io.rnnstream.schemas.Caption toAvro(Caption c) {
    List<CaptionWord> words = new ArrayList<>(c.words == null ? 0 : c.words.length);
    if (c.words != null) {
      for (Caption.Word w : c.words) {
        words.add(CaptionWord.newBuilder().setText(w.text).setStartMs(w.startMs)
            .setEndMs(w.endMs).build());
      }
    }
    return io.rnnstream.schemas.Caption.newBuilder()
        .setStream(c.stream)
        .setSegment(c.segment)
        .setRevision(c.revision)
        .setStable(c.stable)
        .setUnstable(c.unstable)
        .setFinal$(c.isFinal)
        .setWords(words)
        .setModelName(c.modelName)
        .setModelVersion(c.modelVersion)
        .setStartMs(c.startMs)
        .setEndMs(c.endMs)
        .build();
  }

  /** Kafka value: Avro {@code Caption}. */
  public static final class Value implements SerializationSchema<Caption> {
    private static final long serialVersionUID = 1L;
    private final AvroCodec<io.rnnstream.schemas.Caption> codec =
        new AvroCodec<>(io.rnnstream.schemas.Caption.class);

    @Override
    public byte[] serialize(Caption c) {
      return codec.encode(toAvro(c));
    }
  }

  /** Kafka key: the stream id, so that a stream's captions stay in order in one partition. */
  public static final class Key implements SerializationSchema<Caption> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(Caption c) {
      return c.stream.getBytes(StandardCharsets.UTF_8);
    }
  }
}
