package io.rnnstream.jobs.captions;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.captions.AudioEvent;
import io.rnnstream.schemas.AudioChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/**
 * Audio topic records (Avro {@code AudioChunk}: PCM16 bytes) to caption events, keyed by stream.
 * Undecodable and oversize records become dead letters carrying the raw bytes ("malformed audio
 * chunk: ..."); the audio itself is checked by the caption operator.
 */
public final class AudioChunkDecoder extends AudioEventDecoder {
  private static final long serialVersionUID = 1L;
  private final AvroCodec<AudioChunk> codec = new AvroCodec<>(AudioChunk.class);

  public AudioChunkDecoder(OutputTag<DeadLetter> deadLetters) {
    super(deadLetters, "audio chunk");
  }

  @Override
  AudioEvent decode(RawRecord r) throws IOException {
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
    return e;
  }
}
