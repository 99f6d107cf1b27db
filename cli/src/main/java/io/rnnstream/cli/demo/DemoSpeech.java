package io.rnnstream.cli.demo;

import io.rnnstream.models.audio.WavReader;
import io.rnnstream.training.data.SentimentData;
import io.rnnstream.training.data.SpeechManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The captions demo's speakers: the vendored test-voice utterances ({@code data/speech/demo/},
 * made by {@code data/speech/demo.sh}) laid out on concurrent audio streams, each stream saying
 * several of them with a pause after each, as a person talking to a device would.
 */
final class DemoSpeech {
  /** 16 kHz mono PCM16: 32 bytes per millisecond. */
  static final int BYTES_PER_MS = WavReader.SAMPLE_RATE / 1000 * 2;

  private DemoSpeech() {}

  /** One recorded utterance and its known transcript; {@code pcm} is PCM16 little-endian. */
  record Utterance(String text, String voice, byte[] pcm) {}

  /** Where an utterance sits on its stream (ms since the stream's first sample). */
  record Span(String text, long startMs, long endMs) {}

  /** One speaker's audio (PCM16 little-endian) and where its utterances are in it. */
  record Stream(String id, byte[] pcm, List<Span> spans) {
    long lengthMs() {
      return pcm.length / BYTES_PER_MS;
    }
  }

  /** {@code <data>/speech/demo/manifest.jsonl}, found like every dataset (see data/README.md). */
  static Path defaultManifest() {
    return SentimentData.dataRoot().resolve("speech").resolve("demo").resolve("manifest.jsonl");
  }

  /** Every utterance of a manifest in synth.sh's format (any split). */
  static List<Utterance> load(Path manifest) throws IOException {
    if (!Files.isRegularFile(manifest)) {
      throw new IllegalStateException("missing " + manifest.toAbsolutePath() + ": the demo's"
          + " utterances are committed under data/speech/demo/ (regenerate them with"
          + " data/speech/demo.sh)");
    }
    List<Utterance> out = new ArrayList<>();
    for (SpeechManifest.Utterance u : SpeechManifest.load(manifest)) {
      out.add(new Utterance(u.text(), u.voice(), littleEndian(WavReader.read(u.wav()))));
    }
    if (out.isEmpty()) {
      throw new IllegalStateException(manifest + " lists no utterances");
    }
    return out;
  }

  static byte[] littleEndian(short[] samples) {
    byte[] le = new byte[samples.length * 2];
    ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(samples);
    return le;
  }

  /**
   * How utterances sit on a stream (ms).
   *
   * @param pauseMs silence after each utterance but the last (the rest of the speaker's turn,
   *     see {@link AudioFeed}): longer than the endpoint (0.6 s of blank), so that the endpoint,
   *     not the end of the turn, usually gives the utterance its final caption
   * @param tailMs silence after the last utterance; the end of the stream closes its segment
   * @param staggerMs the k-th of every 4 streams starts k x staggerMs late (speakers do not all
   *     start at once)
   */
  record Timing(int pauseMs, int tailMs, int staggerMs) {
    static final Timing DEFAULT = new Timing(800, 300, 150);
  }

  /**
   * {@code streams} streams of {@code perStream} utterances each: stream s says utterances s,
   * s + streams, s + 2 streams, ... (mod the number of utterances), so that concurrent speakers
   * say different things.
   */
  static List<Stream> layout(List<Utterance> utterances, int streams, int perStream,
      Timing timing) {
    List<Stream> out = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      List<Utterance> said = new ArrayList<>();
      for (int j = 0; j < perStream; j++) {
        said.add(utterances.get((s + j * streams) % utterances.size()));
      }
      out.add(stream(String.format(Locale.ROOT, "spk-%d", s + 1), said,
          (s % 4) * timing.staggerMs(), timing));
    }
    return out;
  }

  /** One stream: {@code leadMs} of silence, then each utterance and its pause (tail). */
  static Stream stream(String id, List<Utterance> said, int leadMs, Timing timing) {
    int bytes = leadMs * BYTES_PER_MS;
    for (int j = 0; j < said.size(); j++) {
      bytes += said.get(j).pcm().length
          + (j == said.size() - 1 ? timing.tailMs() : timing.pauseMs()) * BYTES_PER_MS;
    }
    byte[] pcm = new byte[bytes]; // zeros = silence
    List<Span> spans = new ArrayList<>();
    int at = leadMs * BYTES_PER_MS;
    for (Utterance u : said) {
      System.arraycopy(u.pcm(), 0, pcm, at, u.pcm().length);
      spans.add(new Span(u.text(), at / BYTES_PER_MS, (at + u.pcm().length) / BYTES_PER_MS));
      at += u.pcm().length + timing.pauseMs() * BYTES_PER_MS;
    }
    return new Stream(id, pcm, List.copyOf(spans));
  }
}
