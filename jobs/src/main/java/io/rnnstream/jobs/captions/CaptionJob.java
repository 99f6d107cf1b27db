package io.rnnstream.jobs.captions;

import io.rnnstream.jobs.KafkaJob;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.kafka.KafkaWiring;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.jobs.kafka.Records;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.captions.Caption;
import io.rnnstream.operators.captions.Captioning;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live-caption job: PCM chunks of audio streams in (Avro {@code AudioChunk}, keyed by
 * stream) and, optionally, feature frames computed elsewhere (Avro {@code FeatureFrames}, keyed
 * by stream) from a second topic; partial and final captions out (Avro {@code Caption}), the
 * caption model hot-swapped from the snapshot topic between utterances. Sources and sinks come
 * through the constructor; {@link #kafka} wires the real ones.
 */
public final class CaptionJob implements KafkaJob {
  public static final String NAME = "rnnstream captions";

  /**
   * Topic names; {@code frames} is the optional feature-frames input, null when not read (the
   * default: audio only).
   */
  public record Topics(String audio, String snapshots, String captions, String deadLetters,
      String frames) {
    /** The frames topic's name when it is switched on without a name ({@code --frames-topic}). */
    public static final String DEFAULT_FRAMES = "feature-frames";

    /** Audio only. */
    public Topics(String audio, String snapshots, String captions, String deadLetters) {
      this(audio, snapshots, captions, deadLetters, null);
    }

    public static Topics defaults() {
      return new Topics("audio-chunks", "model-snapshots", "captions", "dead-letters");
    }

    /** The same topics plus feature frames from {@code topic} (null: audio only). */
    public Topics withFrames(String topic) {
      return new Topics(audio, snapshots, captions, deadLetters, topic);
    }
  }

  private final Source<RawRecord, ?, ?> audio;
  private final Source<RawRecord, ?, ?> frames; // null: no feature-frames input
  private final Source<RawRecord, ?, ?> snapshots;
  private final Sink<Caption> captions;
  private final Sink<DeadLetter> deadLetters;
  private final Captioning captioning;

  /** Audio chunks only. */
  public CaptionJob(Source<RawRecord, ?, ?> audio, Source<RawRecord, ?, ?> snapshots,
      Sink<Caption> captions, Sink<DeadLetter> deadLetters, Captioning captioning) {
    this(audio, null, snapshots, captions, deadLetters, captioning);
  }

  /** Audio chunks and, when {@code frames} is not null, feature frames. */
  public CaptionJob(Source<RawRecord, ?, ?> audio, Source<RawRecord, ?, ?> frames,
      Source<RawRecord, ?, ?> snapshots, Sink<Caption> captions, Sink<DeadLetter> deadLetters,
      Captioning captioning) {
    this.audio = audio;
    this.frames = frames;
    this.snapshots = snapshots;
    this.captions = captions;
    this.deadLetters = deadLetters;
    this.captioning = captioning;
  }

  /** The job on Kafka: read-committed sources, EXACTLY_ONCE (default) transactional sinks. */
  public static CaptionJob kafka(KafkaSettings k, Topics t, String groupId, Captioning captioning,
      DeliveryGuarantee guarantee) {
    return new CaptionJob(
        KafkaWiring.events(k, t.audio(), groupId),
        t.frames() == null ? null : KafkaWiring.events(k, t.frames(), groupId),
        KafkaWiring.snapshots(k, t.snapshots(), groupId),
        KafkaWiring.sink(k, t.captions(), new CaptionRecords.Key(), new CaptionRecords.Value(),
            guarantee, groupId + "-captions"),
        KafkaWiring.sink(k, t.deadLetters(), new Records.DeadLetterKey(),
            new Records.DeadLetterValue(), guarantee, groupId + "-dead-letters"),
        captioning);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void build(StreamExecutionEnvironment env) {
    DataStream<RawRecord> in = env.fromSource(audio, WatermarkStrategy.noWatermarks(),
        "audio-chunks").uid("source-audio-chunks");
    DataStream<RawRecord> models = env.fromSource(snapshots, WatermarkStrategy.noWatermarks(),
        "model-snapshots").uid("source-model-snapshots").setParallelism(1);
    DataStream<RawRecord> features = frames == null ? null : env.fromSource(frames,
        WatermarkStrategy.noWatermarks(), "feature-frames").uid("source-feature-frames");
    CaptionPipeline.Outputs out = CaptionPipeline.build(in, features, models, captioning);
    out.captions().sinkTo(captions).name("captions").uid("sink-captions");
    out.deadLetters().sinkTo(deadLetters).name("dead-letters").uid("sink-dead-letters");
  }
}
