package io.rnnstream.training.tasks;

import io.rnnstream.models.audio.LogMelConfig;
import io.rnnstream.models.audio.LogMelExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded silence and noise around (and between) the caption trainer's utterances, fresh every
 * epoch, in raw log-mel space (before normalisation and {@link Augment}).
 *
 * <p>Why: espeak-ng starts speaking at the very first frame, so without this every training
 * sequence began with speech from a zero LSTM state, and since many transcripts start with "t"
 * (two, three, turn, ...) the model learned "first frame after a reset: emit t", whatever the
 * audio. The caption operator resets the state at every endpoint, so the shipped model wrote a
 * stray "t" into every pause. Here each training sequence is
 *
 * <ul>
 *   <li>{@value #MAX_LEAD} frames at most (uniform 0-{@value #MAX_LEAD}, 0-500 ms) of leading
 *       silence or noise, from the zero state;
 *   <li>the utterance up to its last loud frame plus {@value #SPEECH_MARGIN} frames, with the
 *       noise mixed in (power domain);
 *   <li>with probability {@value #CONCAT_P}, a gap of {@value #MIN_GAP}-{@value #MAX_GAP} frames
 *       and a second (random) utterance, the transcripts joined by a space: speech after silence
 *       in mid-sequence;
 *   <li>{@value #MIN_TAIL}-{@value #MAX_TAIL} frames of trailing silence or noise (this replaces
 *       the fixed 20-frame margin of {@link CaptionTask#trimmed}).
 * </ul>
 *
 * <p>The padding alone did not settle it: CTC fixes the order of the characters, not when they
 * are emitted, so a model can still emit an utterance's first characters on the first frames of
 * the lead, from the prior (the models trained without the blank lead in {@code
 * models/pretrained/README.md} did, and then lost
 * the first phoneme after every pause). {@link Padded#lead()} says where the lead ends, so that
 * the trainer can require the blank there ({@link TrainingOptions#blankLead()}).
 *
 * <p>The background is digital silence (the extractor's floor) with probability {@value
 * #SILENT_P}, else white noise of one of {@link #NOISE_AMPLITUDES} (PCM16 standard deviation,
 * about -84 to -48 dBFS), precomputed once with the streaming extractor from a fixed seed.
 */
final class SilencePad {
  static final int MAX_LEAD = 50;
  static final int SPEECH_MARGIN = 3;
  static final int MIN_TAIL = 2;
  static final int MAX_TAIL = 20;
  static final double CONCAT_P = 0.1;
  static final int MIN_GAP = 15;
  static final int MAX_GAP = 60;
  static final double SILENT_P = 0.5;
  /** Whether the background noise is also mixed into the utterance itself. */
  static final boolean MIX_INTO_SPEECH = false;
  static final double[] NOISE_AMPLITUDES = {2, 4, 8, 16, 32, 64, 128};
  static final int NOISE_FRAMES = 600;
  private static final long NOISE_SEED = 0x51_1E_4CE5L;

  /**
   * A padded utterance in raw log-mel space, its transcript, and how many of its first frames are
   * the leading background (no speech).
   */
  record Padded(String text, float[][] frames, int lead) {}

  private final List<CaptionTask.Clip> clips;
  private final int[] speechEnd;
  private final float[][][] noise;
  private final float[] silence;
  private final double floor;

  SilencePad(List<CaptionTask.Clip> clips) {
    this.clips = clips;
    this.speechEnd = new int[clips.size()];
    for (int i = 0; i < clips.size(); i++) {
      float[][] f = clips.get(i).frames();
      int last = f.length - 1;
      while (last > 0 && max(f[last]) < CaptionTask.SILENCE_LEVEL) {
        last--;
      }
      speechEnd[i] = Math.min(f.length, last + 1 + SPEECH_MARGIN);
    }
    LogMelExtractor x = new LogMelExtractor();
    this.floor = Math.log(LogMelConfig.defaults().logFloor()); // ln of the power floor
    float[][] zeros = x.extract(new short[16000]);
    this.silence = zeros[zeros.length / 2].clone();
    SplittableRandom rnd = new SplittableRandom(NOISE_SEED);
    noise = new float[NOISE_AMPLITUDES.length][][];
    int samples = NOISE_FRAMES * 160 + 400;
    for (int k = 0; k < NOISE_AMPLITUDES.length; k++) {
      short[] pcm = new short[samples];
      for (int s = 0; s < samples; s++) {
        pcm[s] = (short) Math.max(-32768, Math.min(32767,
            Math.round(NOISE_AMPLITUDES[k] * rnd.nextGaussian())));
      }
      float[][] f = x.extract(pcm);
      noise[k] = java.util.Arrays.copyOfRange(f, 2, Math.min(f.length, 2 + NOISE_FRAMES));
    }
  }

  /** Utterance {@code i} with fresh padding (draws from {@code rnd} in a fixed order). */
  Padded apply(int i, SplittableRandom rnd) {
    boolean silent = rnd.nextDouble() < SILENT_P;
    float[][] bg = silent ? null : noise[rnd.nextInt(noise.length)];
    int bgAt = bg == null ? 0 : rnd.nextInt(bg.length);
    int lead = rnd.nextInt(MAX_LEAD + 1);
    int tail = MIN_TAIL + rnd.nextInt(MAX_TAIL - MIN_TAIL + 1);
    int second = -1;
    int gap = 0;
    if (rnd.nextDouble() < CONCAT_P) {
      second = rnd.nextInt(clips.size());
      gap = MIN_GAP + rnd.nextInt(MAX_GAP - MIN_GAP + 1);
    }
    List<float[]> out = new ArrayList<>();
    for (int t = 0; t < lead; t++) {
      out.add(background(bg, bgAt + out.size()));
    }
    speech(i, bg, bgAt, out);
    String text = clips.get(i).text();
    if (second >= 0) {
      for (int t = 0; t < gap; t++) {
        out.add(background(bg, bgAt + out.size()));
      }
      speech(second, bg, bgAt, out);
      text = text + " " + clips.get(second).text();
    }
    for (int t = 0; t < tail; t++) {
      out.add(background(bg, bgAt + out.size()));
    }
    return new Padded(text, out.toArray(new float[0][]), lead);
  }

  private void speech(int i, float[][] bg, int bgAt, List<float[]> out) {
    float[][] f = clips.get(i).frames();
    for (int t = 0; t < speechEnd[i]; t++) {
      if (bg == null || !MIX_INTO_SPEECH) {
        out.add(f[t]);
      } else {
        float[] n = bg[(bgAt + out.size()) % bg.length];
        float[] m = new float[f[t].length];
        for (int j = 0; j < m.length; j++) {
          m[j] = mix(f[t][j], n[j]);
        }
        out.add(m);
      }
    }
  }

  private float[] background(float[][] bg, int at) {
    return bg == null ? silence : bg[at % bg.length];
  }

  /** Log of the summed powers of two log-mel values (the floor counts as no power). */
  private float mix(float a, float b) {
    double pa = a <= floor + 1e-4 ? 0 : Math.exp(a);
    double pb = b <= floor + 1e-4 ? 0 : Math.exp(b);
    return (float) Math.max(Math.log(pa + pb), floor);
  }

  private static float max(float[] v) {
    float m = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
