package io.rnnstream.jobs.captions;

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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live-caption job: PCM chunks of audio streams in (Avro {@code AudioChunk}, keyed by
 * stream), partial and final captions out (Avro {@code Caption}), the caption model hot-swapped
 * from the snapshot topic between utterances. Sources and sinks come through the constructor;
 * {@link #kafka} wires the real ones.
 */
public final class CaptionJob {
  public static final String NAME = "rnnstream captions";

  /** Topic names. */
  public record Topics(String audio, String snapshots, String captions, String deadLetters) {
    public static Topics defaults() {
      return new Topics("audio-chunks", "model-snapshots", "captions", "dead-letters");
    }
  }

  private final Source<RawRecord, ?, ?> audio;
  private final Source<RawRecord, ?, ?> snapshots;
  private final Sink<Caption> captions;
  private final Sink<DeadLetter> deadLetters;
  private final Captioning captioning;

  public CaptionJob(Source<RawRecord, ?, ?> audio, Source<RawRecord, ?, ?> snapshots,
      Sink<Caption> captions, Sink<DeadLetter> deadLetters, Captioning captioning) {
    this.audio = audio;
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
        KafkaWiring.snapshots(k, t.snapshots(), groupId),
        KafkaWiring.sink(k, t.captions(), new CaptionRecords.Key(), new CaptionRecords.Value(),
            guarantee, groupId + "-captions"),
        KafkaWiring.sink(k, t.deadLetters(), new Records.DeadLetterKey(),
            new Records.DeadLetterValue(), guarantee, groupId + "-dead-letters"),
        captioning);
  }

  /** Adds the job's operators to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    DataStream<RawRecord> in = env.fromSource(audio, WatermarkStrategy.noWatermarks(),
        "audio-chunks").uid("source-audio-chunks");
    DataStream<RawRecord> models = env.fromSource(snapshots, WatermarkStrategy.noWatermarks(),
        "model-snapshots").uid("source-model-snapshots").setParallelism(1);
    CaptionPipeline.Outputs out = CaptionPipeline.build(in, models, captioning);
    out.captions().sinkTo(captions).name("captions").uid("sink-captions");
    out.deadLetters().sinkTo(deadLetters).name("dead-letters").uid("sink-dead-letters");
  }

  public JobClient start(StreamExecutionEnvironment env) throws Exception {
    build(env);
    return env.executeAsync(NAME);
  }

  public void run(StreamExecutionEnvironment env) throws Exception {
    build(env);
    env.execute(NAME);
  }
}
