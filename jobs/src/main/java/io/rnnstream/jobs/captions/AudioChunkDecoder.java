package io.rnnstream.jobs.captions;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.captions.AudioEvent;
import io.rnnstream.schemas.AudioChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Audio topic records (Avro {@code AudioChunk}) to caption events, keyed by stream. Undecodable
 * and oversize records become dead letters carrying the raw bytes; the audio itself is checked by
 * the caption operator.
 */
public final class AudioChunkDecoder extends ProcessFunction<RawRecord, AudioEvent> {
  private static final long serialVersionUID = 1L;
  /** Largest record accepted here (the operator has its own, smaller, chunk limit). */
  static final int MAX_RECORD_BYTES = 4 << 20;
  private final OutputTag<DeadLetter> deadLetters;
  private final AvroCodec<AudioChunk> codec = new AvroCodec<>(AudioChunk.class);

  public AudioChunkDecoder(OutputTag<DeadLetter> deadLetters) {
    this.deadLetters = deadLetters;
  }

  @Override
  public void processElement(RawRecord r, Context ctx, Collector<AudioEvent> out) {
    try {
      if (r.value == null || r.value.length == 0) {
        throw new IOException("empty record");
      }
      if (r.value.length > MAX_RECORD_BYTES) {
        throw new IOException("oversize record: " + r.value.length + " bytes > "
            + MAX_RECORD_BYTES);
      }
      AudioChunk c = codec.decode(r.value);
      AudioEvent e = new AudioEvent();
      e.stream = c.getStream();
      e.seq = c.getSeq();
      ByteBuffer pcm = c.getPcm();
      e.pcm = new byte[pcm.remaining()];
      pcm.duplicate().get(e.pcm);
      if (e.pcm.length == 0) {
        e.pcm = null; // an empty chunk: only its end-of-stream flag matters
      }
      e.endOfStream = c.getEndOfStream();
      e.timestampMs = c.getTimestampMs() > 0 ? c.getTimestampMs() : r.timestampMs;
      e.source = r.source();
      out.collect(e);
    } catch (IOException | RuntimeException ex) {
      DeadLetter d = DeadLetter.of("event", r.keyString(), r.source(),
          "malformed audio chunk: " + ex.getMessage(), null);
      d.payload = r.value;
      ctx.output(deadLetters, d);
    }
  }
}
