package io.rnnstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.WavReader;
import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.captions.CaptionWord;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code transcribe --model M --wav F [--partials] [--decoder greedy|beam] [--beam N]}: the live
 * caption path ({@link CaptionStream}, the code the Flink caption operator runs) over a WAV file
 * fed in 100 ms chunks; partial lines while decoding, then the final text.
 */
@Command(
    name = "transcribe",
    description = "Caption a 16 kHz mono PCM16 WAV file through the streaming caption path"
        + " (log-mel features -> model -> CTC decoder, fed in 100 ms chunks, with endpointing)."
        + " With --partials prints {\"partial\": text so far, \"stable\": part that no longer"
        + " changes} whenever the caption changes; always ends with {\"text\": final text}"
        + " (utterances joined by a space).")
final class TranscribeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Decoder choice; lower-case so that picocli accepts exactly greedy|beam. */
  enum Decoder { greedy, beam }

  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "M",
      description = "caption model snapshot (labels: <blank> and one character per class)")
  Path model;

  @Option(names = "--wav", required = true, paramLabel = "F",
      description = "16 kHz mono 16-bit PCM WAV file")
  Path wav;

  @Option(names = "--partials", description = "print partial captions while decoding")
  boolean partials;

  @Option(names = "--decoder", defaultValue = "beam", paramLabel = "greedy|beam",
      description = "greedy (best path) or beam (prefix beam search, default)")
  Decoder decoder;

  @Option(names = "--beam", defaultValue = "" + CaptionConfig.DEFAULT_BEAM_WIDTH, paramLabel = "N",
      description = "beam width (default 8)")
  int beam;

  @Option(names = "--endpoint-frames", defaultValue = "60", paramLabel = "N",
      description = "an utterance ends after N frames (10 ms each) of blank once something was"
          + " said (default 60; 0 = only at the end of the file or --max-segment-frames)")
  int endpointFrames;

  @Option(names = "--max-segment-frames", defaultValue = "3000", paramLabel = "N",
      description = "longest utterance in frames (default 3000 = 30 s)")
  int maxSegmentFrames;

  @Option(names = "--chunk-ms", defaultValue = "100", paramLabel = "MS",
      description = "size of the chunks fed to the stream (default 100 ms; the output does not"
          + " depend on it)")
  int chunkMs;

  @Option(names = "--labels", paramLabel = "L",
      description = "the characters of the non-blank classes in class order (default: the"
          + " model's labels)")
  String labels;

  @Option(names = "--blank", defaultValue = "0", paramLabel = "B",
      description = "with --labels: index of the blank class (default 0)")
  int blank;

  @Option(names = "--words", description = "add \"words\": [{\"text\", \"startMs\", \"endMs\"}]"
      + " to the final line")
  boolean words;

  @Override
  public Integer call() throws Exception {
    if (beam < 1) {
      throw new ParameterException(spec.commandLine(), "--beam must be >= 1, got " + beam);
    }
    if (chunkMs < 1) {
      throw new ParameterException(spec.commandLine(), "--chunk-ms must be >= 1, got " + chunkMs);
    }
    if (endpointFrames < 0 || maxSegmentFrames < 1) {
      throw new ParameterException(spec.commandLine(),
          "--endpoint-frames must be >= 0 and --max-segment-frames >= 1");
    }
    RnnModel m = SnapshotFormat.read(model);
    CtcAlphabet alphabet;
    try {
      alphabet = labels != null ? CtcAlphabet.of(labels, blank) : CaptionStream.alphabetOf(m);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CaptionConfig config = CaptionConfig.builder()
        .decoder(decoder == Decoder.greedy ? CaptionConfig.Decoder.GREEDY
            : CaptionConfig.Decoder.BEAM)
        .beamWidth(beam)
        .endpointBlankFrames(endpointFrames)
        .maxSegmentFrames(maxSegmentFrames)
        .partials(partials)
        .build();
    CaptionStream stream = CaptionStream.create(m, alphabet, config, new LogMelExtractor());
    short[] pcm = WavReader.read(wav);

    BufferedWriter out = new BufferedWriter(
        new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    Transcript t = new Transcript(out);
    CaptionStream.State s = stream.newState();
    int chunk = Math.max(1, WavReader.SAMPLE_RATE * chunkMs / 1000);
    for (int at = 0; at < pcm.length; at += chunk) {
      stream.acceptPcm16(s, pcm, at, Math.min(chunk, pcm.length - at), t);
    }
    stream.endOfStream(s, t);
    ObjectNode fin = JSON.createObjectNode();
    fin.put("text", t.finals());
    if (words) {
      ArrayNode arr = fin.putArray("words");
      for (CaptionWord w : t.words) {
        arr.addObject().put("text", w.text()).put("startMs", w.startMs()).put("endMs", w.endMs());
      }
    }
    out.write(fin.toString());
    out.newLine();
    out.flush();
    return 0;
  }

  /** Collects final captions and prints partial lines for the whole file so far. */
  private static final class Transcript implements java.util.function.Consumer<CaptionUpdate> {
    private final BufferedWriter out;
    private final List<String> texts = new ArrayList<>();
    private final List<CaptionWord> words = new ArrayList<>();
    private String lastLine = "";

    Transcript(BufferedWriter out) {
      this.out = out;
    }

    String finals() {
      return join(String.join(" ", texts), "");
    }

    private static String join(String before, String now) {
      String n = now.strip();
      return before.isEmpty() ? n : n.isEmpty() ? before : before + " " + n;
    }

    @Override
    public void accept(CaptionUpdate u) {
      if (u.isFinal()) {
        String text = u.text().strip();
        if (!text.isEmpty()) {
          texts.add(text);
        }
        words.addAll(u.words());
        return;
      }
      String before = String.join(" ", texts);
      ObjectNode line = JSON.createObjectNode();
      line.put("partial", join(before, u.text()));
      line.put("stable", join(before, u.stable()));
      String json = line.toString();
      if (json.equals(lastLine)) {
        return; // the caption changed only in spaces at its ends
      }
      lastLine = json;
      try {
        out.write(json);
        out.newLine();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
