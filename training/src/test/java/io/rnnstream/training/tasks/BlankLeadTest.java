package io.rnnstream.training.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnnstream.models.ctc.CtcLoss;
import io.rnnstream.training.Losses;
import io.rnnstream.training.OutputLoss;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The caption trainer's blank lead: where the lead is, and the loss that keeps it blank. */
class BlankLeadTest {
  private static final int[] LABELS = {3, 5, 5, 9};

  @Test
  void lossShouldBeTheBlankCrossEntropyOnTheLeadPlusCtcOnTheRest() {
    double[][] y = logits(14, 28, 5);
    int b = 5;
    double got = CaptionTask.ctcLoss(LABELS, b).evaluate(y, 0, y.length, new double[14][28]);

    double[][] rest = new double[y.length - b][];
    for (int t = b; t < y.length; t++) {
      rest[t - b] = Losses.logSoftmax(y[t]);
    }
    double want = CtcLoss.forwardBackward(rest, LABELS, 0).loss();
    for (int t = 0; t < b; t++) {
      want -= Losses.logSoftmax(y[t])[0];
    }
    assertThat(got).isCloseTo(want / LABELS.length, within(1e-12));
    // no lead: plain CTC, the loss the trainer used before
    double[][] all = new double[y.length][];
    for (int t = 0; t < y.length; t++) {
      all[t] = Losses.logSoftmax(y[t]);
    }
    assertThat(CaptionTask.ctcLoss(LABELS, 0).evaluate(y, 0, y.length, new double[14][28]))
        .isCloseTo(CtcLoss.forwardBackward(all, LABELS, 0).loss() / LABELS.length, within(1e-12));
  }

  @Test
  void gradientShouldMatchFiniteDifferences() {
    double[][] y = logits(12, 28, 9);
    OutputLoss loss = CaptionTask.ctcLoss(LABELS, 4);
    double[][] dy = new double[12][28];
    loss.evaluate(y, 0, y.length, dy);
    double h = 1e-6;
    for (int t = 0; t < y.length; t++) {
      for (int k = 0; k < 28; k += 3) {
        double keep = y[t][k];
        y[t][k] = keep + h;
        double up = loss.evaluate(y, 0, y.length, new double[12][28]);
        y[t][k] = keep - h;
        double down = loss.evaluate(y, 0, y.length, new double[12][28]);
        y[t][k] = keep;
        assertThat(dy[t][k]).as("dL/dy[%d][%d]", t, k)
            .isCloseTo((up - down) / (2 * h), within(1e-6));
      }
    }
  }

  @Test
  void padShouldSayWhereTheSpeechStarts() throws Exception {
    List<CaptionTask.Clip> clips = CaptionTaskTest.exampleClips();
    SilencePad pad = new SilencePad(clips);
    SplittableRandom rnd = new SplittableRandom(5);
    boolean someLead = false;
    for (int n = 0; n < 40; n++) {
      int i = n % clips.size();
      SilencePad.Padded p = pad.apply(i, rnd);
      assertThat(p.lead()).isBetween(0, SilencePad.MAX_LEAD);
      assertThat(p.frames()[p.lead()]).containsExactly(clips.get(i).frames()[0]);
      someLead |= p.lead() > 0;
    }
    assertThat(someLead).isTrue();
  }

  @Test
  void augmentShouldCountTheLeadFramesAfterTheTempoChange() {
    int d = 8;
    double[] sd = new double[d];
    java.util.Arrays.fill(sd, 1);
    SplittableRandom rnd = new SplittableRandom(3);
    for (int n = 0; n < 200; n++) {
      int lead = rnd.nextInt(60);
      double[][] x = new double[lead + 40][d];
      for (int t = 0; t < x.length; t++) {
        java.util.Arrays.fill(x[t], t < lead ? -100 : 100);
      }
      Augment.Result r = Augment.apply(x, lead, sd, rnd);
      // tempo 0.9-1.1: about lead / rate frames, all read from the lead alone (gain +-1; a
      // masked frame is 0)
      assertThat(r.lead()).isBetween((int) ((lead - 1) / 1.1) - 1, (int) Math.ceil(lead / 0.9));
      for (int t = 0; t < r.lead(); t++) {
        for (double v : r.frames()[t]) {
          assertThat(v == 0 || v <= -98).as("frame %d of lead %d: %s", t, lead, v).isTrue();
        }
      }
    }
  }

  private static double[][] logits(int frames, int classes, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] y = new double[frames][classes];
    for (double[] row : y) {
      for (int k = 0; k < classes; k++) {
        row[k] = 2 * rnd.nextGaussian();
      }
    }
    return y;
  }
}
