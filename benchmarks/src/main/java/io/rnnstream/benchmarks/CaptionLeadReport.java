package io.rnnstream.benchmarks;

import io.rnnstream.models.audio.LogMelConfig;
import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.WavReader;
import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.training.data.SpeechManifest;
import io.rnnstream.training.data.Split;
import io.rnnstream.training.tasks.CaptionTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Greedy dev CER of caption models with and without a lead before each utterance: the served
 * condition (the caption operator resets a stream's state at an endpoint and then hears the rest
 * of the pause) against the plain one. For each model file, first what it emits on the first
 * frames of digital silence after a reset (see {@link #firstFrames}), then the CER of:
 *
 * <ul>
 *   <li>{@code plain}: the utterance from the zero state (what training selects on);
 *   <li>{@code lead 0.3 s zeros}: 4 800 zero samples first, featurized with the utterance (the
 *       trainer's {@code dev_cer_lead03});
 *   <li>{@code lead 0.3 s noise N}: white noise of PCM standard deviation N instead;
 *   <li>{@code frame lead}: as many frames (30) of the extractor's silence frame, then the plain frames
 *       (how {@code SilencePad} pads in training: no frame straddles the onset);
 * </ul>
 *
 * and the {@code stream} rows: all dev utterances as one stream through {@code CaptionStream}
 * with 1 s pauses, greedy and beam (the product path; see {@code CaptionTask.streamCer}); then
 * the plain and zero-lead CER per dev voice and the first utterances the lead makes worse.
 * Needs the generated corpus ({@code data/speech/synth.sh}); reads only the dev split.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rnnstream.benchmarks.CaptionLeadReport \
 *   models/pretrained/captions.rnn [more.rnn ...]</pre>
 */
public final class CaptionLeadReport {
  /** The trainer's served condition: 0.3 s at 16 kHz. */
  static final int LEAD_SAMPLES = CaptionTask.SERVED_LEAD_SAMPLES;
  /** The same lead in frames (10 ms hop). */
  static final int LEAD_FRAMES = LEAD_SAMPLES / LogMelConfig.defaults().frameShift();
  static final int EXAMPLES = 8;
  static final int FIRST_FRAMES = 10;

  private CaptionLeadReport() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: CaptionLeadReport MODEL.rnn [MODEL.rnn ...]");
      System.exit(2);
    }
    List<SpeechManifest.Utterance> dev =
        SpeechManifest.load(SpeechManifest.defaultManifest(), Split.DEV);
    float[][] zeros = new LogMelExtractor().extract(new short[16000]);
    float[] silence = zeros[zeros.length / 2];
    List<String> refs = new ArrayList<>();
    Map<String, List<float[][]>> conditions = new java.util.LinkedHashMap<>();
    for (String c : List.of("plain", "lead 0.3 s zeros", "lead 0.3 s noise 8",
        "lead 0.3 s noise 64", "frame lead")) {
      conditions.put(c, new ArrayList<>());
    }
    List<short[]> pcms = new ArrayList<>();
    for (SpeechManifest.Utterance u : dev) {
      short[] pcm = WavReader.read(u.wav());
      pcms.add(pcm);
      refs.add(u.text());
      float[][] plain = new LogMelExtractor().extract(pcm);
      conditions.get("plain").add(plain);
      conditions.get("lead 0.3 s zeros").add(new LogMelExtractor().extract(lead(pcm, 0, 0)));
      conditions.get("lead 0.3 s noise 8").add(
          new LogMelExtractor().extract(lead(pcm, 8, u.wav().getFileName().hashCode())));
      conditions.get("lead 0.3 s noise 64").add(
          new LogMelExtractor().extract(lead(pcm, 64, u.wav().getFileName().hashCode())));
      float[][] framed = new float[LEAD_FRAMES + plain.length][];
      java.util.Arrays.fill(framed, 0, LEAD_FRAMES, silence);
      System.arraycopy(plain, 0, framed, LEAD_FRAMES, plain.length);
      conditions.get("frame lead").add(framed);
    }
    for (String file : args) {
      RnnModel model = SnapshotFormat.read(Path.of(file));
      Map<String, List<String>> hyps = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, List<float[][]>> c : conditions.entrySet()) {
        List<String> h = new ArrayList<>();
        for (float[][] frames : c.getValue()) {
          h.add(CaptionTask.transcribe(model, frames));
        }
        hyps.put(c.getKey(), h);
      }
      System.out.printf(Locale.ROOT, "%s (%d dev utterances)%n", file, refs.size());
      System.out.printf(Locale.ROOT, "  %-20s %s%n", "silence from reset", firstFrames(model, zeros));
      for (Map.Entry<String, List<String>> h : hyps.entrySet()) {
        System.out.printf(Locale.ROOT, "  %-20s CER %.4f%n", h.getKey(),
            CaptionTask.cer(refs, h.getValue()));
      }
      for (CaptionConfig.Decoder decoder : CaptionConfig.Decoder.values()) {
        System.out.printf(Locale.ROOT, "  %-20s CER %.4f%n", "stream, " + decoder.name().toLowerCase(Locale.ROOT),
            CaptionTask.streamCer(model, decoder, pcms, refs));
      }
      List<String> plain = hyps.get("plain");
      List<String> led = hyps.get("lead 0.3 s zeros");
      Map<String, long[]> perVoice = new TreeMap<>();
      for (int i = 0; i < refs.size(); i++) {
        long[] e = perVoice.computeIfAbsent(dev.get(i).voice(), v -> new long[3]);
        e[0] += CaptionTask.editDistance(refs.get(i), plain.get(i));
        e[1] += CaptionTask.editDistance(refs.get(i), led.get(i));
        e[2] += refs.get(i).length();
      }
      perVoice.forEach((voice, e) -> System.out.printf(Locale.ROOT,
          "  voice %-22s plain %.4f, lead zeros %.4f%n", voice, e[0] / (double) e[2],
          e[1] / (double) e[2]));
      int shown = 0;
      for (int i = 0; i < refs.size() && shown < EXAMPLES; i++) {
        if (CaptionTask.editDistance(refs.get(i), led.get(i))
            > CaptionTask.editDistance(refs.get(i), plain.get(i))) {
          System.out.printf(Locale.ROOT, "  '%s': plain '%s', lead zeros '%s'%n", refs.get(i),
              plain.get(i), led.get(i));
          shown++;
        }
      }
    }
  }

  /**
   * The most probable class of the first {@value #FIRST_FRAMES} frames of digital silence from a
   * zero state ({@code _} the blank) and the blank's probability on the first two: a model that
   * emits a character here writes it after every endpoint (the prior, not the audio).
   */
  static String firstFrames(RnnModel model, float[][] silence) {
    String classes = "_" + CaptionTask.ALPHABET;
    float[][] y = model.forward(java.util.Arrays.copyOf(silence, FIRST_FRAMES));
    StringBuilder s = new StringBuilder();
    for (float[] p : y) {
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        best = p[k] > p[best] ? k : best;
      }
      s.append(classes.charAt(best));
    }
    return String.format(Locale.ROOT, "%s (blank p %.3f, %.3f)", s, y[0][0], y[1][0]);
  }

  /** {@link #LEAD_SAMPLES} samples of white noise (0: digital silence), then {@code pcm}. */
  static short[] lead(short[] pcm, double amplitude, long seed) {
    short[] out = new short[LEAD_SAMPLES + pcm.length];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < LEAD_SAMPLES && amplitude > 0; i++) {
      out[i] = (short) Math.max(-32768, Math.min(32767,
          Math.round(amplitude * rnd.nextGaussian())));
    }
    System.arraycopy(pcm, 0, out, LEAD_SAMPLES, pcm.length);
    return out;
  }
}
