package io.rnnstream.training.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped caption model ({@code models/pretrained/captions.rnn}) writes nothing on silence or
 * low-level noise from a zero state (what the caption operator feeds it after every endpoint):
 * every frame's most probable class is the blank. An earlier caption model, trained without
 * silence padding, wrote "t" on the first frame after every reset; {@link SilencePad} is the training-side fix.
 */
class CaptionSilenceTest {
  /** 16 kHz PCM16: {@code seconds} of Gaussian noise of standard deviation {@code amplitude}. */
  static short[] noise(double seconds, double amplitude, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    short[] pcm = new short[(int) (16000 * seconds)];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) Math.round(amplitude * rnd.nextGaussian());
    }
    return pcm;
  }

  /** The frames whose most probable class is not the blank, as "frame:label". */
  static List<String> nonBlankFrames(RnnModel m, short[] pcm) {
    float[][] p = m.forward(new LogMelExtractor().extract(pcm));
    List<String> out = new ArrayList<>();
    for (int t = 0; t < p.length; t++) {
      int k = 0;
      for (int j = 1; j < p[t].length; j++) {
        if (p[t][j] > p[t][k]) {
          k = j;
        }
      }
      if (k != 0) {
        out.add(t + ":" + CaptionTask.LABELS.get(k));
      }
    }
    return out;
  }

  @Test
  @Timeout(60)
  void shippedModelShouldEmitOnlyBlanksOnSilenceAndLowNoise() throws Exception {
    RnnModel m = SnapshotFormat.read(PretrainedModelsTest.DIR.resolve("captions.rnn"));
    // digital silence (what the demo's pauses are), 1 s and 2 s
    for (double seconds : new double[] {1, 2}) {
      short[] pcm = new short[(int) (16000 * seconds)];
      assertThat(nonBlankFrames(m, pcm)).as("%s s of digital silence", seconds).isEmpty();
      assertThat(CaptionTask.transcribe(m, new LogMelExtractor().extract(pcm))).isEmpty();
    }
    // white noise of about -70 dBFS and -56 dBFS (PCM16 standard deviation 10 and 50)
    for (double amplitude : new double[] {10, 50}) {
      for (double seconds : new double[] {1, 2}) {
        short[] pcm = noise(seconds, amplitude, 7 + (long) amplitude);
        assertThat(nonBlankFrames(m, pcm))
            .as("%s s of noise of amplitude %s", seconds, amplitude).isEmpty();
        assertThat(CaptionTask.transcribe(m, new LogMelExtractor().extract(pcm))).isEmpty();
      }
    }
  }

  @Test
  void padShouldSurroundUtterancesWithSilenceOrNoiseDeterministically() throws Exception {
    List<CaptionTask.Clip> clips = CaptionTaskTest.exampleClips();
    SilencePad pad = new SilencePad(clips);
    SplittableRandom a = new SplittableRandom(11);
    SplittableRandom b = new SplittableRandom(11);
    boolean joined = false;
    boolean led = false;
    for (int n = 0; n < 60; n++) {
      int i = n % clips.size();
      SilencePad.Padded x = pad.apply(i, a);
      SilencePad.Padded y = pad.apply(i, b);
      assertThat(y.text()).isEqualTo(x.text());
      assertThat(y.frames()).isDeepEqualTo(x.frames());
      String text = clips.get(i).text();
      assertThat(x.text()).startsWith(text);
      if (!x.text().equals(text)) {
        joined = true;
        assertThat(x.text()).matches(java.util.regex.Pattern.quote(text) + " .+");
      }
      // never longer than lead + utterance + gap + second utterance + tail
      int longest = 0;
      for (CaptionTask.Clip c : clips) {
        longest = Math.max(longest, c.frames().length);
      }
      assertThat(x.frames().length).isLessThanOrEqualTo(SilencePad.MAX_LEAD
          + clips.get(i).frames().length + SilencePad.MAX_GAP + longest + SilencePad.MAX_TAIL);
      float first = Float.NEGATIVE_INFINITY;
      for (float v : x.frames()[0]) {
        first = Math.max(first, v);
      }
      if (first < CaptionTask.SILENCE_LEVEL) {
        led = true;
      }
    }
    assertThat(joined).as("some utterances joined to a second one").isTrue();
    assertThat(led).as("some sequences start with silence or noise").isTrue();
  }

  @Test
  @Timeout(60)
  void augmentedTrainingShouldBeDeterministic() throws Exception {
    List<CaptionTask.Clip> clips = CaptionTaskTest.exampleClips();
    TrainingOptions o = CaptionTask.defaults().toBuilder()
        .epochs(3).patience(3).batchSize(2).hiddenSize(12).threads(2).build();
    TaskResult a = CaptionTask.train(clips, clips, List.of(), o, null);
    TaskResult b = CaptionTask.train(clips, clips, List.of(),
        o.toBuilder().threads(1).build(), null);
    for (CaptionTask.Clip c : clips) {
      assertThat(b.model().forward(c.frames())).isDeepEqualTo(a.model().forward(c.frames()));
    }
  }

  @Test
  void learningRateScheduleShouldHoldThenFallToTheFinalFraction() {
    TrainingOptions constant = CaptionTask.defaults().toBuilder().finalLearningRate(1).build();
    for (int e = 1; e <= constant.epochs(); e++) {
      assertThat(constant.learningRateAt(e)).isEqualTo(constant.learningRate());
    }
    TrainingOptions o = TrainingOptions.builder().epochs(20).learningRate(0.003)
        .finalLearningRate(0.05).build();
    for (int e = 1; e <= 8; e++) {
      assertThat(o.learningRateAt(e)).isEqualTo(0.003);
    }
    for (int e = 9; e <= 20; e++) {
      assertThat(o.learningRateAt(e)).isLessThan(o.learningRateAt(e - 1));
    }
    assertThat(o.learningRateAt(20)).isCloseTo(0.003 * 0.05, org.assertj.core.data.Offset.offset(1e-12));
  }
}
