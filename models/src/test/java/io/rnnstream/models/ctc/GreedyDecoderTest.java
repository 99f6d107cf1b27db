package io.rnnstream.models.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Best-path decoding, chunked, against the offline reference. */
class GreedyDecoderTest {

  @Test
  void shouldEqualTheBestPathCollapseInAnyChunking() {
    for (long seed = 0; seed < 200; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int c = 2 + rnd.nextInt(6);
      int t = rnd.nextInt(50);
      CtcAlphabet alphabet = CtcTestSupport.alphabet(rnd, c);
      double[][] logp = CtcTestSupport.randomLogp(rnd, t, c, 2, seed % 4 == 0 ? 0.3 : 0);
      GreedyDecoder d = new GreedyDecoder(alphabet);

      CtcResult r = d.finalResult(
          CtcTestSupport.feed(d, d.newState(), logp, CtcTestSupport.chunks(rnd, t)));

      int[] expected = CtcTestSupport.bestPath(logp, alphabet.blank());
      assertThat(r.labels()).as("seed %d", seed).isEqualTo(expected);
      assertThat(r.text()).isEqualTo(alphabet.text(expected, 0, expected.length));
      double score = 0;
      for (double[] row : logp) {
        score += Arrays.stream(row).max().orElseThrow();
      }
      assertThat(r.logScore()).isEqualTo(score);
      assertThat(r.frameCount()).isEqualTo(t);
    }
  }

  @Test
  void shouldCollapseAcrossChunksButNotAcrossBlanksAndTimestampRunStarts() {
    CtcAlphabet alphabet = CtcAlphabet.of("ab");
    GreedyDecoder d = new GreedyDecoder(alphabet);
    GreedyDecoder.State s = d.newState();
    double[] a = {-5, -0.1, -5};
    double[] b = {-5, -5, -0.1};
    double[] blank = {-0.1, -5, -5};
    d.advance(s, new double[][] {blank, a, a});
    assertThat(d.result(s).text()).isEqualTo("a");
    d.advance(s, new double[][] {a}); // same run across the chunk boundary
    d.advance(s, new double[][] {blank, a, b, b, blank});
    CtcResult r = d.result(s);
    assertThat(r.text()).isEqualTo("aab");
    assertThat(r.stable()).isEqualTo("aab");
    assertThat(r.frames()).containsExactly(1, 5, 6);
    // ties go to the lowest class: the blank here
    d.step(s, new double[] {-1, -1, -1}, 0);
    assertThat(d.result(s).text()).isEqualTo("aab");
  }

  @Test
  void stateBytesShouldRoundTripAndRejectWhatTheyCannotRestore() {
    GreedyDecoder d = new GreedyDecoder(CtcAlphabet.of("abc"));
    GreedyDecoder.State s = d.newState();
    SplittableRandom rnd = new SplittableRandom(1);
    d.advance(s, CtcTestSupport.randomLogp(rnd, 30, 4, 2, 0));
    byte[] bytes = d.toBytes(s);
    assertThat(d.toBytes(d.fromBytes(bytes))).isEqualTo(bytes);
    assertThat(d.toBytes(d.newState())).hasSizeLessThan(20);

    assertThatThrownBy(() -> new GreedyDecoder(CtcAlphabet.of("abcd")).fromBytes(bytes))
        .hasMessageContaining("written for 4 classes with blank 0, this decoder has 5 classes");
    byte[] future = bytes.clone();
    future[1] = 9;
    assertThatThrownBy(() -> d.fromBytes(future)).hasMessageContaining("version 9 is not supported");
    assertThatThrownBy(() -> d.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> d.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)))
        .hasMessageContaining("1 trailing bytes");
    byte[] beam = PrefixBeamSearch.of(CtcAlphabet.of("abc")).toBytes(
        PrefixBeamSearch.of(CtcAlphabet.of("abc")).newState());
    assertThatThrownBy(() -> d.fromBytes(beam)).hasMessageContaining("not a greedy");
  }

  @Test
  void shouldRejectNaNAndPositiveInfinityBeforeChangingTheState() {
    GreedyDecoder d = new GreedyDecoder(CtcAlphabet.of("ab"));
    GreedyDecoder.State s = d.newState();
    assertThatThrownBy(() -> d.step(s, new double[] {-1, Double.NaN, -1}, 0))
        .hasMessageContaining("logp[1] = NaN");
    assertThatThrownBy(() -> d.step(s, new double[] {-1, -1, Double.POSITIVE_INFINITY}, 0))
        .hasMessageContaining("logp[2] = Infinity");
    assertThatThrownBy(() -> d.step(s, new double[] {-1, -1}, 0)).hasMessageContaining("outside");
    assertThat(s.frameCount()).isZero();
    d.step(s, new float[] {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY}, 0);
    assertThat(d.result(s).text()).isEqualTo("a");
  }
}
