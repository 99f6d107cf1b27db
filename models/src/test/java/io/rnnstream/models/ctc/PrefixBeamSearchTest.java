package io.rnnstream.models.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prefix beam search: exact against a brute-force oracle when the beam never prunes, bounded
 * when it does, and its state bytes.
 */
class PrefixBeamSearchTest {
  /** Wider than the number of labellings of length <= 6 over 3 letters (1093). */
  private static final int NEVER_PRUNES = 5000;

  @Test
  void wideBeamShouldFindTheExactMostProbableLabelling() {
    int nearTies = 0;
    for (long seed = 0; seed < 300; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int c = 3 + rnd.nextInt(2); // 2 or 3 letters + blank
      int t = 1 + rnd.nextInt(6);
      CtcAlphabet alphabet = CtcTestSupport.alphabet(rnd, c);
      double[][] logp = CtcTestSupport.randomLogp(rnd, t, c, 0.5 + 2 * rnd.nextDouble(),
          seed % 5 == 0 ? 0.3 : 0);
      PrefixBeamSearch d = PrefixBeamSearch.of(alphabet, NEVER_PRUNES);

      PrefixBeamSearch.State s =
          CtcTestSupport.feed(d, d.newState(), logp, CtcTestSupport.chunks(rnd, t));
      CtcResult r = d.finalResult(s);

      CtcTestSupport.Oracle oracle = CtcTestSupport.oracle(logp, alphabet.blank());
      assertThat(r.logScore()).as("seed %d: best beam's probability", seed)
          .isCloseTo(oracle.logProb(), within(1e-9));
      if (oracle.logProb() - oracle.runnerUp() > 1e-9) {
        assertThat(r.labels()).as("seed %d: %s", seed, Arrays.deepToString(logp))
            .isEqualTo(oracle.labels());
      } else {
        nearTies++;
      }
      // every beam's score is its exact CTC probability (nothing was pruned)
      for (CtcResult h : d.hypotheses(s)) {
        assertThat(h.logScore()).as("seed %d, beam %s", seed, h.text())
            .isCloseTo(-CtcLoss.negLogLikelihood(logp, h.labels(), alphabet.blank()),
                within(1e-9));
      }
    }
    assertThat(nearTies).isLessThan(30);
  }

  @Test
  void beamsAndTailsShouldStayBoundedOnALongStream() {
    SplittableRandom rnd = new SplittableRandom(42);
    CtcAlphabet alphabet = CtcAlphabet.of("abcde");
    int lag = 12;
    PrefixBeamSearch d = PrefixBeamSearch.builder(alphabet).beamWidth(6).commitAfterFrames(lag)
        .build();
    PrefixBeamSearch.State s = d.newState();
    StringBuilder text = new StringBuilder();
    int maxBytes = 0;
    for (int t = 0; t < 3000; t++) {
      d.advance(s, CtcTestSupport.randomLogp(rnd, 1, 6, 1.0, 0));
      assertThat(s.beamCount()).isBetween(1, 6);
      assertThat(s.maxTailLength()).isLessThanOrEqualTo(lag);
      CtcResult r = d.result(s);
      if (r.length() > 0 && r.frames()[0] <= t - lag) {
        // the best beam's labels older than the lag are stable
        assertThat(r.stableLength()).isPositive();
      }
      if (t % 50 == 0) {
        text.append(d.dropStable(s).text());
      }
      maxBytes = Math.max(maxBytes, d.toBytes(s).length);
    }
    assertThat(d.toBytes(s).length).isLessThan(400);
    // 6 beams x (12 labels x ~2 bytes + 16) + 50 frames of committed labels x ~2 bytes + header
    assertThat(maxBytes).isLessThan(6 * (12 * 3 + 17) + 51 * 3 + 40);
    assertThat(text.length() + d.result(s).length()).isGreaterThan(500);
  }

  @Test
  void pruneBelowShouldOnlyLetLikelyClassesOrTheArgmaxEmit() {
    for (long seed = 0; seed < 40; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      CtcAlphabet alphabet = CtcTestSupport.alphabet(rnd, 6);
      double[][] logp = CtcTestSupport.randomLogp(rnd, 40, 6, 1.5, 0);
      double threshold = -1.5;
      PrefixBeamSearch d = PrefixBeamSearch.builder(alphabet).beamWidth(8)
          .pruneBelow(threshold).build();
      PrefixBeamSearch.State s = d.newState();
      d.advance(s, logp);
      for (CtcResult h : d.hypotheses(s)) {
        int[] labels = h.labels();
        long[] frames = h.frames();
        for (int i = 0; i < labels.length; i++) {
          double[] row = logp[(int) frames[i]];
          double max = Arrays.stream(row).max().orElseThrow();
          assertThat(row[labels[i]] >= threshold || row[labels[i]] == max)
              .as("seed %d: label %d emitted at frame %d with logp %f", seed, labels[i],
                  frames[i], row[labels[i]]).isTrue();
          if (i > 0) {
            assertThat(frames[i]).isGreaterThan(frames[i - 1]);
          }
        }
      }
    }
  }

  @Test
  void aFrameOfZeroProbabilityShouldFreezeTheHypotheses() {
    CtcAlphabet alphabet = CtcAlphabet.of("ab");
    PrefixBeamSearch d = PrefixBeamSearch.of(alphabet, 4);
    PrefixBeamSearch.State s = d.newState();
    double inf = Double.NEGATIVE_INFINITY;
    d.advance(s, new double[][] {{-3, -0.1, -3}, {-0.1, -3, -3}, {-3, -3, -0.1}});
    String before = d.result(s).text();
    assertThat(before).isEqualTo("ab");
    d.advance(s, new double[][] {{inf, inf, inf}, {-0.1, -3, -3}});
    assertThat(d.result(s).text()).isEqualTo(before);
    assertThat(d.result(s).logScore()).isEqualTo(inf);
    assertThat(s.beamCount()).isPositive();
    assertThat(d.toBytes(d.fromBytes(d.toBytes(s)))).isEqualTo(d.toBytes(s));
  }

  @Test
  void shouldHandleRepeatsAcrossTheCommittedPrefix() {
    // "a a" without a blank between is one "a"; the repeat must be recognised when "a" has
    // already been committed (beam width 1 commits everything at once).
    CtcAlphabet alphabet = CtcAlphabet.of("ab");
    PrefixBeamSearch d = PrefixBeamSearch.of(alphabet, 1);
    PrefixBeamSearch.State s = d.newState();
    double[] a = {-4, -0.05, -4};
    double[] blank = {-0.05, -4, -4};
    d.advance(s, new double[][] {a});
    assertThat(s.committedLength()).isEqualTo(1);
    d.advance(s, new double[][] {a, a});
    assertThat(d.result(s).text()).isEqualTo("a");
    d.dropStable(s); // also after the committed "a" was released
    d.advance(s, new double[][] {a, blank, a});
    assertThat(d.result(s).text()).isEqualTo("a");
    assertThat(d.result(s).offset()).isEqualTo(1);
  }

  @Test
  void stateBytesShouldBeCompactAndRejectWhatTheyCannotRestore() {
    CtcAlphabet alphabet = CtcAlphabet.of("abc");
    PrefixBeamSearch d = PrefixBeamSearch.of(alphabet);
    assertThat(d.toBytes(d.newState())).hasSizeLessThan(30);
    PrefixBeamSearch.State s = d.newState();
    d.advance(s, CtcTestSupport.randomLogp(new SplittableRandom(3), 25, 4, 1, 0));
    byte[] bytes = d.toBytes(s);
    assertThat(bytes.length).isLessThan(16 * (25 + 17) + 40);
    assertThatThrownBy(() -> PrefixBeamSearch.of(CtcAlphabet.of("abc", 2)).fromBytes(bytes))
        .hasMessageContaining("written for 4 classes with blank 0");
    byte[] future = bytes.clone();
    future[1] = 2;
    assertThatThrownBy(() -> d.fromBytes(future)).hasMessageContaining("version 2 is not supported");
    assertThatThrownBy(() -> d.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> d.fromBytes("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .hasMessageContaining("not a beam search");
    byte[] greedy = new GreedyDecoder(alphabet).toBytes(new GreedyDecoder(alphabet).newState());
    assertThatThrownBy(() -> d.fromBytes(greedy)).hasMessageContaining("not a beam search");
  }

  @Test
  void builderShouldNameTheBadField() {
    CtcAlphabet a = CtcAlphabet.of("ab");
    assertThatThrownBy(() -> PrefixBeamSearch.builder(a).beamWidth(0))
        .hasMessage("beamWidth must be >= 1, got 0");
    assertThatThrownBy(() -> PrefixBeamSearch.builder(a).commitAfterFrames(-1))
        .hasMessage("commitAfterFrames must be >= 0, got -1");
    assertThatThrownBy(() -> PrefixBeamSearch.builder(a).pruneBelow(Double.NaN))
        .hasMessageContaining("pruneBelow");
    assertThat(PrefixBeamSearch.of(a).beamWidth()).isEqualTo(16);
  }
}
