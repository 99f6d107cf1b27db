package io.rnnstream.jobs.captions;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.captions.AudioEvent;
import io.rnnstream.schemas.FeatureFrames;
import java.io.IOException;
import java.util.List;
import org.apache.flink.util.OutputTag;

/**
 * Frames topic records (Avro {@code FeatureFrames}: rows of features computed elsewhere, e.g.
 * 40 log-mel bands every 10 ms as {@code LogMelExtractor} makes them) to caption events, keyed by
 * the record's {@code key}. Undecodable and oversize records become dead letters carrying the raw
 * bytes ("malformed feature frames: ..."); frame widths and values are checked by the caption
 * operator against the serving model. The schema has no timestamp: latency counts from the Kafka
 * record's timestamp.
 */
public final class FeatureFramesDecoder extends AudioEventDecoder {
  private static final long serialVersionUID = 1L;
  private final AvroCodec<FeatureFrames> codec = new AvroCodec<>(FeatureFrames.class);

  public FeatureFramesDecoder(OutputTag<DeadLetter> deadLetters) {
    super(deadLetters, "feature frames");
  }

  @Override
  AudioEvent decode(RawRecord r) throws IOException {
    FeatureFrames f = codec.decode(r.value);
    AudioEvent e = new AudioEvent();
    e.stream = f.getKey();
    e.seq = f.getSeq();
    e.frames = toArray(f.getFrames()); // null for no frames: only the end-of-stream flag matters
    e.endOfStream = f.getEndOfStream();
    e.timestampMs = r.timestampMs;
    return e;
  }

  /** Avro's {@code array<array<float>>} (frames x features) as a {@code float[frames][]}. */
  static float[][] toArray(List<List<Float>> rows) {
    if (rows.isEmpty()) {
      return null;
    }
    float[][] frames = new float[rows.size()][];
    for (int t = 0; t < frames.length; t++) {
      List<Float> row = rows.get(t);
      frames[t] = new float[row.size()];
      for (int k = 0; k < frames[t].length; k++) {
        frames[t][k] = row.get(k);
      }
    }
    return frames;
  }
}
