package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.jobs.captions.ToyCaptionModel;
import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.WavReader;
import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnstream transcribe} through {@link RnnstreamCli#run}. */
class TranscribeCommandTest {
  static final Path WAV = ToyCaptionModel.WAVS.resolve("four_two_seven.wav");
  static final Path SHIPPED = Path.of("../models/pretrained/captions.rnn");
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final CliCapture cli = new CliCapture();

  @TempDir
  Path dir;

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : cli.stdout()) {
      lines.add(JSON.readTree(line));
    }
    cli.out.reset();
    return lines;
  }

  /** The final texts of the shared path, fed whole, joined like the command joins them. */
  static String offline(RnnModel m, CaptionConfig config) throws Exception {
    CaptionStream s = CaptionStream.create(m, CaptionStream.alphabetOf(m), config,
        new LogMelExtractor());
    CaptionStream.State st = s.newState();
    short[] pcm = WavReader.read(WAV);
    List<CaptionUpdate> got = new ArrayList<>();
    s.acceptPcm16(st, pcm, 0, pcm.length, got::add);
    s.endOfStream(st, got::add);
    return String.join(" ", got.stream().filter(CaptionUpdate::isFinal)
        .map(u -> u.text().strip()).filter(t -> !t.isEmpty()).toList());
  }

  @Test
  void shouldPrintPartialsThenTheFinalTextOfTheStreamingPath() throws Exception {
    RnnModel m = ToyCaptionModel.create("captions", 1, 3);
    Path model = dir.resolve("toy.rnn");
    SnapshotFormat.write(m, model);

    int rc = cli.run(null, "transcribe", "--model", model.toString(), "--wav", WAV.toString(),
        "--partials", "--words");
    assertThat(rc).as(cli.stderr()).isZero();
    List<JsonNode> lines = lines();
    JsonNode last = lines.get(lines.size() - 1);
    String text = offline(m, CaptionConfig.defaults());
    assertThat(text).isNotEmpty();
    assertThat(last.get("text").asText()).isEqualTo(text);
    assertThat(last.get("words")).isNotEmpty();
    List<JsonNode> partials = lines.subList(0, lines.size() - 1);
    assertThat(partials).hasSizeGreaterThan(3).allSatisfy(p -> {
      assertThat(p.has("partial")).isTrue();
      assertThat(p.get("partial").asText()).startsWith(p.get("stable").asText());
    });
    for (int i = 1; i < partials.size(); i++) { // stable only grows
      assertThat(partials.get(i).get("stable").asText())
          .startsWith(partials.get(i - 1).get("stable").asText());
    }

    // greedy, no partials, another chunk size: one line, greedy's text
    rc = cli.run(null, "transcribe", "--model", model.toString(), "--wav", WAV.toString(),
        "--decoder", "greedy", "--chunk-ms", "37");
    assertThat(rc).isZero();
    lines = lines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("text").asText()).isEqualTo(
        offline(m, CaptionConfig.builder().decoder(CaptionConfig.Decoder.GREEDY).build()));
  }

  @Test
  void shouldSayWhatIsWrongWithABadModelOrFile() throws Exception {
    Path model = dir.resolve("toy.rnn");
    SnapshotFormat.write(ToyCaptionModel.create("captions", 1, 3), model);
    assertThat(RnnstreamCli.run("transcribe", "--model", model.toString(), "--wav",
        dir.resolve("missing.wav").toString())).isEqualTo(1);
    assertThat(cli.err.toString(StandardCharsets.UTF_8)).contains("no such file");
    Path notWav = dir.resolve("x.wav");
    Files.writeString(notWav, "hello");
    assertThat(RnnstreamCli.run("transcribe", "--model", model.toString(), "--wav",
        notWav.toString())).isEqualTo(1);
    assertThat(cli.err.toString(StandardCharsets.UTF_8)).contains("not a RIFF/WAVE file");
  }

  /** The shipped caption model on an espeak-ng WAV. */
  @Test
  void shouldTranscribeTheSpeechWithTheShippedModel() throws Exception {
    int rc = cli.run(null, "transcribe", "--model", SHIPPED.toString(), "--wav",
        WAV.toString());
    assertThat(rc).as(cli.stderr()).isZero();
    String text = lines().get(0).get("text").asText();
    // a training voice; allow a few character errors (the model's aim is a CER of 10 % or less)
    assertThat(distance(text, "four two seven")).as("\"%s\"", text).isLessThanOrEqualTo(3);
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1,
            prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length()];
  }
}
