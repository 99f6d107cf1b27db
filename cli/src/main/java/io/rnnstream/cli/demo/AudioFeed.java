package io.rnnstream.cli.demo;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.schemas.AudioChunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends the demo's audio streams to the audio topic as push-to-talk clients would: a speaker's
 * turn (an utterance and the pause after it) goes out in {@code chunkMs} pieces, one Avro
 * {@code AudioChunk} per piece (key = stream id, seq counting on across turns), the turn's last
 * (possibly shorter) piece flagged {@code endOfStream}. Every {@code chunkMs / speed} ms of wall
 * time the next piece of each stream is sent. The end of a turn closes the open segment and is
 * where the stream moves to a newly published model version (see docs/captions.md for
 * continuous streams). Remembers when each piece went out, so that a caption's latency can be
 * measured from the moment the audio it covers was sent.
 */
final class AudioFeed {
  /** A piece of a stream's PCM, bytes [from, to), and whether it ends a turn. */
  private record Piece(int from, int to, boolean endsTurn) {}

  private final List<DemoSpeech.Stream> streams;
  private final int chunkBytes;
  private final double speed;
  /** [stream] -> its pieces in order. */
  private final List<List<Piece>> pieces = new ArrayList<>();
  /** [stream][piece] -> epoch ms the piece was sent (0 = not yet); read by the demo's reader. */
  private final AtomicLongArray[] sentAtMs;
  private final AvroCodec<AudioChunk> codec = new AvroCodec<>(AudioChunk.class);

  /** {@code speed} 1 = real time, 4 = four times faster, 0 = as fast as the producer goes. */
  AudioFeed(List<DemoSpeech.Stream> streams, int chunkMs, double speed) {
    if (chunkMs < 10) {
      throw new IllegalArgumentException("chunkMs must be >= 10, got " + chunkMs);
    }
    if (!(speed >= 0)) {
      throw new IllegalArgumentException("speed must be >= 0, got " + speed);
    }
    this.streams = streams;
    this.chunkBytes = chunkMs * DemoSpeech.BYTES_PER_MS;
    this.speed = speed;
    this.sentAtMs = new AtomicLongArray[streams.size()];
    for (int s = 0; s < streams.size(); s++) {
      pieces.add(cut(streams.get(s)));
      sentAtMs[s] = new AtomicLongArray(pieces.get(s).size());
    }
  }

  /** Turns end where the next utterance starts, and at the end of the stream. */
  private List<Piece> cut(DemoSpeech.Stream s) {
    List<Integer> ends = new ArrayList<>();
    for (int u = 1; u < s.spans().size(); u++) {
      ends.add((int) s.spans().get(u).startMs() * DemoSpeech.BYTES_PER_MS);
    }
    ends.add(s.pcm().length);
    List<Piece> out = new ArrayList<>();
    int from = 0;
    for (int end : ends) {
      while (from < end) {
        int to = Math.min(end, from + chunkBytes);
        out.add(new Piece(from, to, to == end));
        from = to;
      }
    }
    return out;
  }

  /** Sends one whole stream at once (the warm-up utterance). */
  void sendAll(KafkaProducer<byte[], byte[]> producer, String topic, DemoSpeech.Stream s) {
    List<Piece> all = cut(s);
    for (int c = 0; c < all.size(); c++) {
      producer.send(record(topic, s, c, all.get(c), System.currentTimeMillis()));
    }
    producer.flush();
  }

  /**
   * Streams everything, paced; {@code betweenTicks} runs after each round of pieces (e.g. to
   * publish a model version part-way).
   */
  void run(KafkaProducer<byte[], byte[]> producer, String topic, Runnable betweenTicks)
      throws InterruptedException {
    int ticks = pieces.stream().mapToInt(List::size).max().orElse(0);
    long start = System.nanoTime();
    long tickNanos = speed == 0 ? 0 : (long) (chunkBytes / DemoSpeech.BYTES_PER_MS * 1e6 / speed);
    for (int c = 0; c < ticks; c++) {
      long now = System.currentTimeMillis();
      for (int s = 0; s < streams.size(); s++) {
        if (c < pieces.get(s).size()) {
          sentAtMs[s].set(c, now);
          producer.send(record(topic, streams.get(s), c, pieces.get(s).get(c), now));
        }
      }
      producer.flush();
      betweenTicks.run();
      long sleep = start + (c + 1) * tickNanos - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
  }

  private ProducerRecord<byte[], byte[]> record(String topic, DemoSpeech.Stream s, int seq,
      Piece p, long now) {
    AudioChunk chunk = AudioChunk.newBuilder().setStream(s.id()).setSeq(seq)
        .setPcm(ByteBuffer.wrap(Arrays.copyOfRange(s.pcm(), p.from(), p.to())))
        .setEndOfStream(p.endsTurn()).setTimestampMs(now).build();
    return new ProducerRecord<>(topic, s.id().getBytes(StandardCharsets.UTF_8),
        codec.encode(chunk));
  }

  /** When the piece of stream {@code s} holding the audio just before {@code audioMs} was sent. */
  long sentAtMs(int s, long audioMs) {
    long at = Math.max(0, audioMs - 1) * DemoSpeech.BYTES_PER_MS;
    List<Piece> all = pieces.get(s);
    int lo = 0;
    int hi = all.size() - 1;
    while (lo < hi) { // the last piece starting at or before the byte
      int mid = (lo + hi + 1) >>> 1;
      if (all.get(mid).from() <= at) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return sentAtMs[s].get(lo);
  }

  /** Milliseconds of audio over all streams. */
  long audioMs() {
    return streams.stream().mapToLong(DemoSpeech.Stream::lengthMs).sum();
  }
}
