package io.rnnstream.jobs.slots;

import io.rnnstream.jobs.PipelineJob;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.kafka.KafkaWiring;
import io.rnnstream.jobs.kafka.Records;
import io.rnnstream.operators.api.SwapPolicy;
import io.rnnstream.operators.api.TrustedKeys;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** The slot-filling job: utterances in, tags and filled slots (Avro {@code SlotResult}) out. */
public final class SlotFillingJob {
  public static final String NAME = "rnnstream slots";

  /** Topic names. */
  public record Topics(String utterances, String snapshots, String slots, String deadLetters) {
    public static Topics defaults() {
      return new Topics("utterances", "model-snapshots", "slot-results", "dead-letters");
    }
  }

  private SlotFillingJob() {}

  public static PipelineJob kafka(KafkaSettings k, Topics t, String groupId, String modelName,
      DeliveryGuarantee guarantee) {
    return kafka(k, t, groupId, modelName, guarantee, TrustedKeys.NONE);
  }

  /** {@link #kafka} serving only snapshots signed by one of {@code trustedKeys} (none: any). */
  public static PipelineJob kafka(KafkaSettings k, Topics t, String groupId, String modelName,
      DeliveryGuarantee guarantee, TrustedKeys trustedKeys) {
    return new PipelineJob(NAME,
        KafkaWiring.events(k, t.utterances(), groupId),
        KafkaWiring.snapshots(k, t.snapshots(), groupId),
        KafkaWiring.sink(k, t.slots(), new Records.PredictionKey(),
            new Records.SlotResultValue(), guarantee, groupId + "-slots"),
        KafkaWiring.sink(k, t.deadLetters(), new Records.DeadLetterKey(),
            new Records.DeadLetterValue(), guarantee, groupId + "-dead-letters"),
        (in, snapshots) -> SlotPipeline.build(in, snapshots, modelName,
            SwapPolicy.AT_SEGMENT_BOUNDARY, trustedKeys));
  }
}
