package io.rnnstream.jobs.captions;

import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.jobs.kafka.SnapshotDecoder;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.captions.AudioEvent;
import io.rnnstream.operators.captions.Caption;
import io.rnnstream.operators.captions.Captioning;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Audio chunks in, live captions out. Sources and sinks are the caller's: {@link CaptionJob}
 * wires Kafka, tests pass their own streams.
 */
public final class CaptionPipeline {
  public static final String DEFAULT_MODEL = "captions";

  private CaptionPipeline() {}

  /** Captions and dead letters (encoded to Avro at the sink, see {@link CaptionRecords}). */
  public record Outputs(DataStream<Caption> captions, DataStream<DeadLetter> deadLetters) {}

  public static Outputs build(DataStream<RawRecord> audio, DataStream<RawRecord> snapshots,
      Captioning captioning) {
    OutputTag<DeadLetter> decodeErrors =
        new OutputTag<>("caption-decode-errors", TypeInformation.of(DeadLetter.class));
    SingleOutputStreamOperator<AudioEvent> events = audio
        .process(new AudioChunkDecoder(decodeErrors), TypeInformation.of(AudioEvent.class))
        .name("decode-audio").uid("decode-audio");
    SingleOutputStreamOperator<ModelUpdate> updates = snapshots
        .process(new SnapshotDecoder(decodeErrors), TypeInformation.of(ModelUpdate.class))
        .name("decode-caption-snapshots").uid("decode-caption-snapshots");
    Captioning.Result result = captioning.apply(events, updates);
    DataStream<DeadLetter> dead = result.deadLetters()
        .union(events.getSideOutput(decodeErrors), updates.getSideOutput(decodeErrors));
    return new Outputs(result.captions(), dead);
  }
}
