package io.rnnstream.jobs.slots;

import io.rnnstream.jobs.PipelineJob;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.jobs.kafka.SnapshotDecoder;
import io.rnnstream.jobs.sentiment.ChatMessageDecoder;
import io.rnnstream.models.text.SlotTagger;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
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
 * Utterances in (chat messages: Avro {@code ChatMessage} or JSON), one BIO tag per token and the
 * filled slots out. One utterance is one segment; the model (a bidirectional tagger) sees it
 * whole, so the operator emits one STEPS output per utterance.
 */
public final class SlotPipeline {
  public static final String DEFAULT_MODEL = "slots";

  private SlotPipeline() {}

  /** Tag sequences (STEPS outputs, with tokens and per-step labels) and dead letters. */
  public static PipelineJob.Outputs build(DataStream<RawRecord> utterances, DataStream<RawRecord> snapshots,
      String modelName, SwapPolicy swapPolicy) {
    return build(utterances, snapshots, modelName, swapPolicy, TrustedKeys.NONE);
  }

  /** {@link #build} serving only snapshots signed by one of {@code trustedKeys} (none: any). */
  public static PipelineJob.Outputs build(DataStream<RawRecord> utterances,
      DataStream<RawRecord> snapshots, String modelName, SwapPolicy swapPolicy,
      TrustedKeys trustedKeys) {
    OutputTag<DeadLetter> decodeErrors =
        new OutputTag<>("decode-errors", TypeInformation.of(DeadLetter.class));
    SingleOutputStreamOperator<RnnEvent> events = utterances
        .process(new ChatMessageDecoder(decodeErrors, SlotTagger::tokens),
            TypeInformation.of(RnnEvent.class))
        .name("decode-utterances").uid("decode-utterances");
    SingleOutputStreamOperator<ModelUpdate> updates = snapshots
        .process(new SnapshotDecoder(decodeErrors), TypeInformation.of(ModelUpdate.class))
        .name("decode-snapshots").uid("decode-snapshots");
    RnnInference.Result result = RnnInference.builder()
        .mode(Mode.MANY_TO_MANY)
        .segmentOutputs(true)
        .defaultModel(modelName)
        .swapPolicy(swapPolicy)
        .idleTimeout(Duration.ofHours(1))
        .trustedKeys(trustedKeys)
        .build()
        .apply(events, updates);
    DataStream<DeadLetter> dead = result.deadLetters()
        .union(events.getSideOutput(decodeErrors), updates.getSideOutput(decodeErrors));
    return new PipelineJob.Outputs(result.outputs(), dead);
  }
}
