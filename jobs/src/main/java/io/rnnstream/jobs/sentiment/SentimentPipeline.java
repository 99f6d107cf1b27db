package io.rnnstream.jobs.sentiment;

import io.rnnstream.jobs.PipelineJob;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.jobs.kafka.SnapshotDecoder;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.SwapPolicy;
import io.rnnstream.operators.api.TrustedKeys;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Chat messages in, one sentiment per message plus a rolling conversation mood out. Sources and
 * sinks are the caller's: {@link SentimentJob} wires Kafka, tests pass their own streams.
 */
public final class SentimentPipeline {
  public static final String DEFAULT_MODEL = "sentiment";

  private SentimentPipeline() {}

  /** Cross-key micro-batching settings ({@code RnnInference.Builder#microBatch}); 0 = off. */
  public record MicroBatch(int maxEvents, Duration maxDelay) implements java.io.Serializable {
    public static final MicroBatch OFF = new MicroBatch(0, Duration.ofMillis(5));
  }

  /** Predictions and dead letters (encoded to Avro at the sink, see {@code Records}). */
  public static PipelineJob.Outputs build(DataStream<RawRecord> messages, DataStream<RawRecord> snapshots,
      String modelName, SwapPolicy swapPolicy) {
    return build(messages, snapshots, modelName, swapPolicy, MicroBatch.OFF);
  }

  /** {@link #build} with micro-batching of the inference operator. */
  public static PipelineJob.Outputs build(DataStream<RawRecord> messages,
      DataStream<RawRecord> snapshots, String modelName, SwapPolicy swapPolicy,
      MicroBatch microBatch) {
    return build(messages, snapshots, modelName, swapPolicy, microBatch, TrustedKeys.NONE);
  }

  /**
   * {@link #build} with micro-batching, serving only snapshots signed by one of {@code
   * trustedKeys} (none: any).
   */
  public static PipelineJob.Outputs build(DataStream<RawRecord> messages,
      DataStream<RawRecord> snapshots, String modelName, SwapPolicy swapPolicy,
      MicroBatch microBatch, TrustedKeys trustedKeys) {
    OutputTag<DeadLetter> decodeErrors =
        new OutputTag<>("decode-errors", TypeInformation.of(DeadLetter.class));
    SingleOutputStreamOperator<RnnEvent> events = messages
        .process(new ChatMessageDecoder(decodeErrors), TypeInformation.of(RnnEvent.class))
        .name("decode-chat").uid("decode-chat");
    SingleOutputStreamOperator<ModelUpdate> updates = snapshots
        .process(new SnapshotDecoder(decodeErrors), TypeInformation.of(ModelUpdate.class))
        .name("decode-snapshots").uid("decode-snapshots");

    RnnInference.Result result = RnnInference.builder()
        .mode(Mode.MANY_TO_ONE)
        .rolling(true)
        .defaultModel(modelName)
        .swapPolicy(swapPolicy)
        .idleTimeout(Duration.ofHours(6))
        .microBatch(microBatch.maxEvents(), microBatch.maxDelay())
        .trustedKeys(trustedKeys)
        .build()
        .apply(events, updates);

    DataStream<DeadLetter> dead = result.deadLetters()
        .union(events.getSideOutput(decodeErrors), updates.getSideOutput(decodeErrors));
    return new PipelineJob.Outputs(result.outputs(), dead);
  }
}
