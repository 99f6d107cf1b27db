package io.rnnstream.models.ctc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming contract of {@link CtcDecoder} for the greedy decoder and several beam search
 * configurations, on random streams (some with -Infinity entries): chunking invariance (bit for
 * bit), read-only partial results, stable prefixes that are never rewritten, checkpoint and
 * restore mid-stream, and {@code dropStable}.
 */
class StreamingDecodersTest {
  private static final int STREAMS = 40;

  static Stream<Arguments> decoders() {
    List<Arguments> out = new ArrayList<>();
    add(out, "greedy", GreedyDecoder::new);
    add(out, "beam width 1", a -> PrefixBeamSearch.of(a, 1));
    add(out, "beam width 16", PrefixBeamSearch::of);
    add(out, "beam width 3, pruneBelow -2", a -> PrefixBeamSearch.builder(a).beamWidth(3)
        .pruneBelow(-2).build());
    add(out, "beam width 8, commitAfterFrames 4", a -> PrefixBeamSearch.builder(a).beamWidth(8)
        .commitAfterFrames(4).build());
    add(out, "beam width 64, pruneBelow -6, commitAfterFrames 10",
        a -> PrefixBeamSearch.builder(a).beamWidth(64).pruneBelow(-6).commitAfterFrames(10)
            .build());
    return out.stream();
  }

  private static void add(List<Arguments> out, String name,
      Function<CtcAlphabet, CtcDecoder<?>> factory) {
    out.add(Arguments.of(name, factory));
  }

  /** One random stream: alphabet, frames, chunking. */
  record Stream1(CtcAlphabet alphabet, double[][] logp, int[] chunks) {}

  static Stream1 stream(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int c = 2 + rnd.nextInt(5);
    int t = rnd.nextInt(70);
    double sharp = 0.5 + 3 * rnd.nextDouble();
    double zeros = rnd.nextInt(3) == 0 ? 0.3 : 0;
    return new Stream1(CtcTestSupport.alphabet(rnd, c),
        CtcTestSupport.randomLogp(rnd, t, c, sharp, zeros), CtcTestSupport.chunks(rnd, t));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void chunkingShouldNotChangeAnyBit(String name, Function<CtcAlphabet, CtcDecoder<?>> factory) {
    for (long seed = 0; seed < STREAMS; seed++) {
      Stream1 s = stream(seed);
      chunkingShouldNotChangeAnyBit(factory.apply(s.alphabet()), s, seed);
    }
  }

  private static <S> void chunkingShouldNotChangeAnyBit(CtcDecoder<S> d, Stream1 s, long seed) {
    S oneByOne = d.newState();
    List<byte[]> bytesAfter = new ArrayList<>();
    List<CtcResult> resultsAfter = new ArrayList<>();
    bytesAfter.add(d.toBytes(oneByOne));
    resultsAfter.add(d.result(oneByOne));
    for (double[] frame : s.logp()) {
      d.step(oneByOne, frame, 0);
      bytesAfter.add(d.toBytes(oneByOne));
      resultsAfter.add(d.result(oneByOne));
    }
    // Flat array with an offset, float path is not used (doubles are not float-exact).
    S chunked = d.newState();
    int t = 0;
    for (int size : s.chunks()) {
      double[] flat = new double[3 + size * d.alphabet().numClasses()];
      for (int i = 0; i < size; i++) {
        System.arraycopy(s.logp()[t + i], 0, flat, 3 + i * d.alphabet().numClasses(),
            d.alphabet().numClasses());
      }
      if (size % 2 == 0) {
        d.advance(chunked, Arrays.copyOfRange(s.logp(), t, t + size));
      } else {
        for (int i = 0; i < size; i++) {
          d.step(chunked, flat, 3 + i * d.alphabet().numClasses());
        }
      }
      t += size;
      assertThat(d.toBytes(chunked)).as("seed %d after %d frames", seed, t)
          .isEqualTo(bytesAfter.get(t));
      assertThat(d.result(chunked)).as("seed %d after %d frames", seed, t)
          .isEqualTo(resultsAfter.get(t));
    }
    assertThat(d.finalResult(chunked)).isEqualTo(d.finalResult(oneByOne));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void partialResultsShouldNotChangeTheState(String name,
      Function<CtcAlphabet, CtcDecoder<?>> factory) {
    for (long seed = 100; seed < 100 + STREAMS; seed++) {
      Stream1 s = stream(seed);
      partialResultsShouldNotChangeTheState(factory.apply(s.alphabet()), s, seed);
    }
  }

  private static <S> void partialResultsShouldNotChangeTheState(CtcDecoder<S> d, Stream1 s,
      long seed) {
    S quiet = d.newState();
    S watched = d.newState();
    for (double[] frame : s.logp()) {
      d.step(quiet, frame, 0);
      d.step(watched, frame, 0);
      byte[] before = d.toBytes(watched);
      CtcResult partial = d.result(watched);
      d.finalResult(watched);
      if (watched instanceof PrefixBeamSearch.State b) {
        ((PrefixBeamSearch) d).hypotheses(b);
      }
      assertThat(d.result(watched)).isEqualTo(partial);
      assertThat(d.toBytes(watched)).as("seed %d", seed).isEqualTo(before);
    }
    assertThat(d.toBytes(watched)).isEqualTo(d.toBytes(quiet));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void stablePrefixShouldNeverBeRewritten(String name,
      Function<CtcAlphabet, CtcDecoder<?>> factory) {
    for (long seed = 200; seed < 200 + STREAMS; seed++) {
      Stream1 s = stream(seed);
      stablePrefixShouldNeverBeRewritten(factory.apply(s.alphabet()), s, seed);
    }
  }

  private static <S> void stablePrefixShouldNeverBeRewritten(CtcDecoder<S> d, Stream1 s,
      long seed) {
    S state = d.newState();
    List<CtcResult> partials = new ArrayList<>();
    for (double[] frame : s.logp()) {
      d.step(state, frame, 0);
      CtcResult r = d.result(state);
      assertThat(r.text()).startsWith(r.stable());
      if (state instanceof PrefixBeamSearch.State b) {
        // stable = longest common prefix of every live beam
        List<CtcResult> beams = ((PrefixBeamSearch) d).hypotheses(b);
        String lcp = beams.get(0).text();
        for (CtcResult h : beams) {
          int i = 0;
          while (i < lcp.length() && i < h.text().length() && lcp.charAt(i) == h.text().charAt(i)) {
            i++;
          }
          lcp = lcp.substring(0, i);
        }
        assertThat(r.stable()).as("seed %d", seed).isEqualTo(lcp);
        assertThat(beams.get(0)).isEqualTo(r);
      }
      partials.add(r);
    }
    CtcResult end = d.finalResult(state);
    assertThat(end.stable()).isEqualTo(end.text());
    for (int t = 0; t < partials.size(); t++) {
      CtcResult r = partials.get(t);
      assertThat(end.text()).as("seed %d: final text vs stable prefix after frame %d", seed, t)
          .startsWith(r.stable());
      assertThat(Arrays.copyOf(end.frames(), r.stableLength()))
          .as("stable timestamps are not rewritten either")
          .isEqualTo(Arrays.copyOf(r.frames(), r.stableLength()));
      if (t + 1 < partials.size()) {
        assertThat(partials.get(t + 1).stable()).startsWith(r.stable());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void restoreMidStreamShouldContinueIdentically(String name,
      Function<CtcAlphabet, CtcDecoder<?>> factory) {
    for (long seed = 300; seed < 300 + STREAMS; seed++) {
      Stream1 s = stream(seed);
      restoreMidStreamShouldContinueIdentically(factory.apply(s.alphabet()), s, seed);
    }
  }

  private static <S> void restoreMidStreamShouldContinueIdentically(CtcDecoder<S> d, Stream1 s,
      long seed) {
    S reference = CtcTestSupport.feed(d, d.newState(), s.logp(), s.chunks());
    S restored = d.newState();
    int t = 0;
    for (int size : s.chunks()) {
      d.advance(restored, Arrays.copyOfRange(s.logp(), t, t + size));
      t += size;
      byte[] bytes = d.toBytes(restored);
      restored = d.fromBytes(bytes); // a checkpoint after every chunk
      assertThat(d.toBytes(restored)).isEqualTo(bytes);
    }
    assertThat(d.toBytes(restored)).as("seed %d", seed).isEqualTo(d.toBytes(reference));
    assertThat(d.finalResult(restored)).isEqualTo(d.finalResult(reference));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void corruptStateBytesShouldFailWithAMessageOrRestoreAWorkingState(String name,
      Function<CtcAlphabet, CtcDecoder<?>> factory) {
    Stream1 s = stream(7);
    corruptStateBytes(factory.apply(s.alphabet()), s);
  }

  private static <S> void corruptStateBytes(CtcDecoder<S> d, Stream1 s) {
    byte[] good = d.toBytes(CtcTestSupport.feed(d, d.newState(), s.logp(), s.chunks()));
    SplittableRandom rnd = new SplittableRandom(99);
    int failures = 0;
    for (int trial = 0; trial < 500; trial++) {
      byte[] bad = trial % 3 == 0
          ? Arrays.copyOf(good, rnd.nextInt(good.length))
          : good.clone();
      if (trial % 3 != 0) {
        for (int flips = 1 + rnd.nextInt(3); flips > 0; flips--) {
          bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
        }
      }
      S restored;
      try {
        restored = d.fromBytes(bad);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank();
        failures++;
        continue;
      }
      // whatever survived the checks is a state the decoder can work with
      d.advance(restored, s.logp());
      d.result(restored);
      d.toBytes(restored);
    }
    assertThat(failures).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void droppingStableTextShouldNotChangeDecoding(String name,
      Function<CtcAlphabet, CtcDecoder<?>> factory) {
    for (long seed = 400; seed < 400 + STREAMS; seed++) {
      Stream1 s = stream(seed);
      droppingStableTextShouldNotChangeDecoding(factory.apply(s.alphabet()), s, seed);
    }
  }

  private static <S> void droppingStableTextShouldNotChangeDecoding(CtcDecoder<S> d, Stream1 s,
      long seed) {
    S reference = CtcTestSupport.feed(d, d.newState(), s.logp(), s.chunks());
    S dropping = d.newState();
    StringBuilder emitted = new StringBuilder();
    int t = 0;
    for (int size : s.chunks()) {
      d.advance(dropping, Arrays.copyOfRange(s.logp(), t, t + size));
      t += size;
      CtcResult dropped = d.dropStable(dropping);
      assertThat(dropped.offset()).isEqualTo(emitted.length());
      emitted.append(dropped.text());
    }
    CtcResult end = d.finalResult(dropping);
    assertThat(end.offset()).isEqualTo(emitted.length());
    assertThat(emitted + end.text()).as("seed %d", seed).isEqualTo(d.finalResult(reference).text());
    assertThat(end.logScore()).isEqualTo(d.finalResult(reference).logScore());
  }
}
