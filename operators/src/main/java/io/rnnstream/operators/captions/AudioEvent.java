package io.rnnstream.operators.captions;

import java.util.Arrays;

/**
 * One chunk of one audio stream (a Flink POJO). Exactly one of {@link #pcm} and {@link #frames}
 * carries the audio, or neither when the event only ends the stream.
 *
 * <ul>
 *   <li>{@code pcm}: 16 kHz mono PCM16, little-endian, any number of bytes (an odd byte waits for
 *       its partner in the next chunk);
 *   <li>{@code frames}: feature frames made elsewhere, one row of the model's input width (40
 *       log-mel bands, 10 ms hop) per frame.
 * </ul>
 */
public class AudioEvent {
  /** The stream (speaker, call leg, session): the key. */
  public String stream;

  /** Per-stream sequence number (0, 1, 2, ...); negative = unordered (no duplicate checks). */
  public long seq = -1;

  public byte[] pcm;

  public float[][] frames;

  /** The stream ends after this chunk: the open segment gets its final caption. */
  public boolean endOfStream;

  /** When the chunk entered the system (epoch ms), for latency; 0 if unknown. */
  public long timestampMs;

  /** Where the event came from ("topic/partition/offset"), quoted in dead letters. */
  public String source;

  public AudioEvent() {}

  public static AudioEvent pcm(String stream, long seq, byte[] pcm) {
    AudioEvent e = new AudioEvent();
    e.stream = stream;
    e.seq = seq;
    e.pcm = pcm;
    return e;
  }

  public static AudioEvent frames(String stream, long seq, float[][] frames) {
    AudioEvent e = new AudioEvent();
    e.stream = stream;
    e.seq = seq;
    e.frames = frames;
    return e;
  }

  /** An event that only ends the stream. */
  public static AudioEvent end(String stream, long seq) {
    AudioEvent e = new AudioEvent();
    e.stream = stream;
    e.seq = seq;
    e.endOfStream = true;
    return e;
  }

  public AudioEvent endOfStream() {
    endOfStream = true;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioEvent e && java.util.Objects.equals(stream, e.stream) && seq == e.seq
        && Arrays.equals(pcm, e.pcm) && Arrays.deepEquals(frames, e.frames)
        && endOfStream == e.endOfStream && timestampMs == e.timestampMs
        && java.util.Objects.equals(source, e.source);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(stream, seq);
  }

  @Override
  public String toString() {
    return "AudioEvent{stream=" + stream + ", seq=" + seq
        + (pcm != null ? ", pcm[" + pcm.length + " bytes]" : "")
        + (frames != null ? ", frames[" + frames.length + "]" : "")
        + (endOfStream ? ", end" : "") + "}";
  }
}
