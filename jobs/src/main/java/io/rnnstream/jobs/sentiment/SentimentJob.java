package io.rnnstream.jobs.sentiment;

import io.rnnstream.jobs.PipelineJob;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.kafka.KafkaWiring;
import io.rnnstream.jobs.kafka.Records;
import io.rnnstream.operators.api.SwapPolicy;
import io.rnnstream.operators.api.TrustedKeys;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The sentiment job: chat messages in, one sentiment per message and a rolling conversation mood
 * out, models hot-swapped from the snapshot topic.
 */
public final class SentimentJob {
  public static final String NAME = "rnnstream sentiment";

  /** Topic names. */
  public record Topics(String messages, String snapshots, String predictions, String deadLetters) {
    public static Topics defaults() {
      return new Topics("chat-messages", "model-snapshots", "sentiment-predictions",
          "dead-letters");
    }
  }

  private SentimentJob() {}

  /** The job on Kafka: read-committed sources, EXACTLY_ONCE (default) transactional sinks. */
  public static PipelineJob kafka(KafkaSettings k, Topics t, String groupId, String modelName,
      DeliveryGuarantee guarantee) {
    return kafka(k, t, groupId, modelName, guarantee, SentimentPipeline.MicroBatch.OFF);
  }

  /** {@link #kafka} with cross-key micro-batching of the inference operator. */
  public static PipelineJob kafka(KafkaSettings k, Topics t, String groupId, String modelName,
      DeliveryGuarantee guarantee, SentimentPipeline.MicroBatch microBatch) {
    return kafka(k, t, groupId, modelName, guarantee, microBatch, TrustedKeys.NONE);
  }

  /**
   * {@link #kafka} with micro-batching, serving only snapshots signed by one of {@code
   * trustedKeys} (none: any).
   */
  public static PipelineJob kafka(KafkaSettings k, Topics t, String groupId, String modelName,
      DeliveryGuarantee guarantee, SentimentPipeline.MicroBatch microBatch,
      TrustedKeys trustedKeys) {
    return new PipelineJob(NAME,
        KafkaWiring.events(k, t.messages(), groupId),
        KafkaWiring.snapshots(k, t.snapshots(), groupId),
        KafkaWiring.sink(k, t.predictions(), new Records.PredictionKey(),
            new Records.PredictionValue(), guarantee, groupId + "-predictions"),
        KafkaWiring.sink(k, t.deadLetters(), new Records.DeadLetterKey(),
            new Records.DeadLetterValue(), guarantee, groupId + "-dead-letters"),
        (in, snapshots) -> SentimentPipeline.build(in, snapshots, modelName,
            SwapPolicy.AT_SEGMENT_BOUNDARY, microBatch, trustedKeys));
  }
}
