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
 * Audio chunks (and, optionally, ready-made feature frames) in, live captions out. Sources and
 * sinks are the caller's: {@link CaptionJob} wires Kafka, tests pass their own streams.
 */
public final class CaptionPipeline {
  public static final String DEFAULT_MODEL = "captions";

  private CaptionPipeline() {}

  /** Captions and dead letters (encoded to Avro at the sink, see {@link CaptionRecords}). */
  public record Outputs(DataStream<Caption> captions, DataStream<DeadLetter> deadLetters) {}

  /** Audio chunks only (Avro {@code AudioChunk} records). */
  public static Outputs build(DataStream<RawRecord> audio, DataStream<RawRecord> snapshots,
      Captioning captioning) {
    return build(audio, null, snapshots, captioning);
  }

  /**
   * Audio chunks and, when {@code frames} is not null, feature frames (Avro {@code FeatureFrames}
   * records) side by side: both become {@code AudioEvent}s of one keyed operator, so a stream
   * sends one kind or the other (its sequence numbers order its events).
   */
  public static Outputs build(DataStream<RawRecord> audio, DataStream<RawRecord> frames,
      DataStream<RawRecord> snapshots, Captioning captioning) {
    OutputTag<DeadLetter> decodeErrors =
        new OutputTag<>("caption-decode-errors", TypeInformation.of(DeadLetter.class));
    SingleOutputStreamOperator<AudioEvent> pcm = audio
        .process(new AudioChunkDecoder(decodeErrors), TypeInformation.of(AudioEvent.class))
        .name("decode-audio").uid("decode-audio");
    SingleOutputStreamOperator<ModelUpdate> updates = snapshots
        .process(new SnapshotDecoder(decodeErrors), TypeInformation.of(ModelUpdate.class))
        .name("decode-caption-snapshots").uid("decode-caption-snapshots");
    DataStream<AudioEvent> events = pcm;
    DataStream<DeadLetter> dead = pcm.getSideOutput(decodeErrors)
        .union(updates.getSideOutput(decodeErrors));
    if (frames != null) {
      SingleOutputStreamOperator<AudioEvent> features = frames
          .process(new FeatureFramesDecoder(decodeErrors), TypeInformation.of(AudioEvent.class))
          .name("decode-feature-frames").uid("decode-feature-frames");
      events = pcm.union(features);
      dead = dead.union(features.getSideOutput(decodeErrors));
    }
    Captioning.Result result = captioning.apply(events, updates);
    return new Outputs(result.captions(), result.deadLetters().union(dead));
  }
}
