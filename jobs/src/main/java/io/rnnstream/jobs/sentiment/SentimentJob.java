package io.rnnstream.jobs.sentiment;

import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.kafka.KafkaWiring;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.jobs.kafka.Records;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.api.SwapPolicy;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The sentiment job: chat messages in, one sentiment per message and a rolling conversation mood
 * out, models hot-swapped from the snapshot topic. Sources and sinks come through the
 * constructor; {@link #kafka} wires the real ones.
 */
public final class SentimentJob {
  /** Topic names and the model this job serves. */
  public record Topics(String messages, String snapshots, String predictions, String deadLetters) {
    public static Topics defaults() {
      return new Topics("chat-messages", "model-snapshots", "sentiment-predictions",
          "dead-letters");
    }
  }

  private final Source<RawRecord, ?, ?> messages;
  private final Source<RawRecord, ?, ?> snapshots;
  private final Sink<RnnOutput> predictions;
  private final Sink<DeadLetter> deadLetters;
  private final String modelName;
  private final SwapPolicy swapPolicy;

  public SentimentJob(Source<RawRecord, ?, ?> messages, Source<RawRecord, ?, ?> snapshots,
      Sink<RnnOutput> predictions, Sink<DeadLetter> deadLetters, String modelName,
      SwapPolicy swapPolicy) {
    this.messages = messages;
    this.snapshots = snapshots;
    this.predictions = predictions;
    this.deadLetters = deadLetters;
    this.modelName = modelName;
    this.swapPolicy = swapPolicy;
  }

  /** The job on Kafka: read-committed sources, EXACTLY_ONCE (default) transactional sinks. */
  public static SentimentJob kafka(KafkaSettings k, Topics t, String groupId, String modelName,
      DeliveryGuarantee guarantee) {
    return new SentimentJob(
        KafkaWiring.events(k, t.messages(), groupId),
        KafkaWiring.snapshots(k, t.snapshots(), groupId),
        KafkaWiring.sink(k, t.predictions(), new Records.PredictionKey(),
            new Records.PredictionValue(), guarantee, groupId + "-predictions"),
        KafkaWiring.sink(k, t.deadLetters(), new Records.DeadLetterKey(),
            new Records.DeadLetterValue(), guarantee, groupId + "-dead-letters"),
        modelName, SwapPolicy.AT_SEGMENT_BOUNDARY);
  }

  /** Adds the job's operators to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    DataStream<RawRecord> in = env.fromSource(messages, WatermarkStrategy.noWatermarks(),
        "chat-messages").uid("source-chat-messages");
    DataStream<RawRecord> models = env.fromSource(snapshots, WatermarkStrategy.noWatermarks(),
        "model-snapshots").uid("source-model-snapshots").setParallelism(1);
    SentimentPipeline.Outputs out = SentimentPipeline.build(in, models, modelName, swapPolicy);
    out.predictions().sinkTo(predictions).name("predictions").uid("sink-predictions");
    out.deadLetters().sinkTo(deadLetters).name("dead-letters").uid("sink-dead-letters");
  }

  public JobClient start(StreamExecutionEnvironment env) throws Exception {
    build(env);
    return env.executeAsync("rnnstream sentiment");
  }
}
