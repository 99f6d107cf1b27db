package io.rnnstream.jobs.kafka;

import io.rnnstream.models.text.TaggedSentence;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.schemas.Prediction;
import io.rnnstream.schemas.SlotResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * The Avro records of the output topics. Streams inside the job carry Flink POJOs; the Avro
 * encoding happens only here, at the sink.
 */
public final class Records {
  private Records() {}

  public static Prediction prediction(RnnOutput o) {
    List<Float> p = new ArrayList<>(o.y.length);
    for (float v : o.y) {
      p.add(v);
    }
    return Prediction.newBuilder()
        .setKey(o.key)
        .setSeq(o.seq)
        .setModelName(o.model)
        .setModelVersion(o.modelVersion)
        .setLabel(o.label == null ? "" : o.label)
        .setProbabilities(p)
        .setLatencyMs(o.latencyMs)
        .setKind(o.kind.name().toLowerCase(Locale.ROOT))
        .setSegment(o.segment)
        .build();
  }

  /**
   * A STEPS output of a tagger as an Avro {@code SlotResult}: the tags are the operator's
   * per-step labels (the model's labels are the BIO tag set), the slots their spans' words.
   */
  public static SlotResult slotResult(RnnOutput o) {
    List<String> tags = o.stepLabels != null
        ? List.of(o.stepLabels) : java.util.Collections.nCopies(o.step, "O");
    List<String> tokens = o.tokens != null
        ? List.of(o.tokens) : java.util.Collections.nCopies(o.step, "?");
    return SlotResult.newBuilder()
        .setKey(o.key)
        .setSeq(o.seq)
        .setTokens(new ArrayList<>(tokens))
        .setTags(new ArrayList<>(tags))
        .setSlots(new java.util.HashMap<>(new TaggedSentence(tokens, tags, null).slots()))
        .setModelName(o.model)
        .setModelVersion(o.modelVersion)
        .setLatencyMs(o.latencyMs)
        .build();
  }

  /** Kafka value of a tagger's output: Avro {@code SlotResult}. */
  public static final class SlotResultValue implements SerializationSchema<RnnOutput> {
    private static final long serialVersionUID = 1L;
    private final AvroCodec<SlotResult> codec = new AvroCodec<>(SlotResult.class);

    @Override
    public byte[] serialize(RnnOutput o) {
      return codec.encode(slotResult(o));
    }
  }

  /** Kafka value of a prediction: Avro {@code Prediction}. */
  public static final class PredictionValue implements SerializationSchema<RnnOutput> {
    private static final long serialVersionUID = 1L;
    private final AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.class);

    @Override
    public byte[] serialize(RnnOutput o) {
      return codec.encode(prediction(o));
    }
  }

  /** Kafka key of a prediction: its key (conversation), so a key's outputs stay in order. */
  public static final class PredictionKey implements SerializationSchema<RnnOutput> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(RnnOutput o) {
      return o.key.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Kafka value of a dead letter: Avro {@code DeadLetter}. */
  public static final class DeadLetterValue implements SerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final AvroCodec<io.rnnstream.schemas.DeadLetter> codec =
        new AvroCodec<>(io.rnnstream.schemas.DeadLetter.class);

    @Override
    public byte[] serialize(DeadLetter d) {
      return codec.encode(DeadLetterRecords.toAvro(d));
    }
  }

  /**
   * Kafka key of a dead letter: the rejected record's key bytes as received when known, else its
   * key as text, or none.
   */
  public static final class DeadLetterKey implements SerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(DeadLetter d) {
      if (d.recordKey != null) {
        return d.recordKey;
      }
      return d.key == null ? null : d.key.getBytes(StandardCharsets.UTF_8);
    }
  }
}
