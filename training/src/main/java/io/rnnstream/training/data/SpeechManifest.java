package io.rnnstream.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Reads the manifest that {@code data/speech/synth.sh} writes ({@code data/speech/generated/manifest.jsonl}
 * by default): one JSON object per line, {@code {"wav", "text", "voice", "speed", "pitch", "split"}},
 * {@code wav} relative to the manifest's directory. The WAVs are not committed: run {@code
 * data/speech/synth.sh} first (about a minute for 2000 utterances).
 */
public final class SpeechManifest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One synthesized utterance.
   *
   * @param wav absolute path of the 16 kHz mono PCM16 WAV
   * @param text lower-case transcript (letters, spaces)
   * @param voice espeak-ng voice, language voice plus variant ({@code en-us+m3})
   * @param speed espeak-ng {@code -s} (words per minute)
   * @param pitch espeak-ng {@code -p} (0..99)
   * @param split train / dev / test; dev and test voices never occur in train
   */
  public record Utterance(Path wav, String text, String voice, int speed, int pitch, Split split) {
    public Utterance {
      Objects.requireNonNull(wav, "wav");
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(voice, "voice");
      Objects.requireNonNull(split, "split");
    }
  }

  private SpeechManifest() {}

  /** The default manifest, {@code <data>/speech/generated/manifest.jsonl} (see {@link SentimentData#dataRoot()}). */
  public static Path defaultManifest() {
    return SentimentData.dataRoot().resolve("speech").resolve("generated").resolve("manifest.jsonl");
  }

  /** Every utterance of the manifest, in file order. */
  public static List<Utterance> load(Path manifest) {
    if (!Files.isRegularFile(manifest)) {
      throw new IllegalStateException(
          "missing " + manifest.toAbsolutePath() + ": generate the speech corpus with data/speech/synth.sh"
              + " (see data/speech/README.md)");
    }
    Path dir = manifest.toAbsolutePath().getParent();
    List<Utterance> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        for (String field : new String[] {"wav", "text", "voice", "speed", "pitch", "split"}) {
          if (!n.hasNonNull(field)) {
            throw new IllegalStateException(manifest + ":" + lineNo + ": missing \"" + field + "\" in " + line);
          }
        }
        out.add(new Utterance(
            dir.resolve(n.get("wav").asText()).normalize(),
            n.get("text").asText(),
            n.get("voice").asText(),
            n.get("speed").asInt(),
            n.get("pitch").asInt(),
            Split.parse(n.get("split").asText())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifest, e);
    }
    return Collections.unmodifiableList(out);
  }

  /** The utterances of one split. */
  public static List<Utterance> load(Path manifest, Split split) {
    return load(manifest).stream().filter(u -> u.split() == split).toList();
  }
}
