package io.rnnstream.benchmarks;

import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.WavReader;
import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.ctc.CtcDecoder;
import io.rnnstream.models.ctc.GreedyDecoder;
import io.rnnstream.models.ctc.PrefixBeamSearch;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Live captions, per 10 ms frame (BENCHMARKS.md, "Captions").
 *
 * <ul>
 *   <li>{@link #decoderFrame}: one CTC decoder step over 29 classes (blank, space, a-z,
 *       apostrophe), greedy or prefix beam search of width 1, 8, 16, 64 with fixed-lag commitment
 *       after 100 frames, as the caption stream configures it. Frames are noisy and peaky like a
 *       trained model's: a random transcript, each label held 2-6 frames with probability 0.5-0.95,
 *       blanks between, the rest spread at random. The state restarts every 3000 frames (a
 *       segment).
 *   <li>{@link #streamFrame}: everything one frame of one live stream costs: 10 ms of PCM
 *       through the log-mel extractor, one LSTM step, log-softmax, the decoder (beam 8), endpoint
 *       and partial-caption checks, over 100 streams in turn (each with its own state, so the
 *       states do not sit in L1 cache). Model: {@code -p model=PATH} (e.g.
 *       {@code models/pretrained/captions.rnn}), else a random stand-in of the shipped model's
 *       shape: an LSTM of {@code -p size=LxH} (default 1x128, CaptionTask's) with a 28-way softmax
 *       head. Audio: the committed espeak-ng WAVs in a loop (synthetic noise if absent).
 *       One core sustains {@code 10 000 / (us per frame)} real-time streams (100 frames/s each).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CaptionBenchmark {
  static final String LETTERS = " abcdefghijklmnopqrstuvwxyz'";
  static final CtcAlphabet ALPHABET = CtcAlphabet.of(LETTERS, 0); // 29 classes
  /** The shipped caption model's classes (CaptionTask): blank, space, a-z. */
  static final CtcAlphabet CAPTION_ALPHABET = CtcAlphabet.of(" abcdefghijklmnopqrstuvwxyz", 0);

  /** A decoder, its state and a bank of frames. */
  @State(Scope.Thread)
  public static class Decoding {
    static final int BANK = 8192;
    static final int SEGMENT = 3000;

    @Param({"greedy", "1", "8", "16", "64"})
    public String decoder;

    CtcDecoder<Object> d;
    Object state;
    double[] frames; // BANK rows of 29 log-probabilities
    int next;
    int inSegment;

    @SuppressWarnings("unchecked")
    @Setup(Level.Trial)
    public void setUp() {
      d = (CtcDecoder<Object>) (decoder.equals("greedy") ? new GreedyDecoder(ALPHABET)
          : PrefixBeamSearch.builder(ALPHABET).beamWidth(Integer.parseInt(decoder))
              .commitAfterFrames(100).build());
      state = d.newState();
      frames = peakyFrames(BANK, ALPHABET.numClasses(), 42);
    }

    int step() {
      if (++inSegment == SEGMENT) {
        state = d.newState();
        inSegment = 0;
      }
      int row = next++ & (BANK - 1);
      d.step(state, frames, row * ALPHABET.numClasses());
      return row;
    }
  }

  /** Noisy, peaky CTC frames (see the class comment), log-probabilities, row-major. */
  static double[] peakyFrames(int n, int c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n * c];
    int label = 0;
    int left = 0;
    double[] p = new double[c];
    for (int t = 0; t < n; t++) {
      if (left == 0) {
        label = label == 0 ? 1 + r.nextInt(c - 1) : 0; // alternate label runs and blank runs
        left = 2 + r.nextInt(5);
      }
      left--;
      double peak = 0.5 + 0.45 * r.nextDouble();
      double rest = 0;
      for (int k = 0; k < c; k++) {
        p[k] = k == label ? 0 : r.nextDouble() * r.nextDouble();
        rest += p[k];
      }
      for (int k = 0; k < c; k++) {
        double v = k == label ? peak : (1 - peak) * p[k] / rest;
        out[t * c + k] = Math.log(v);
      }
    }
    return out;
  }

  /** Many live streams of one caption model. */
  @State(Scope.Thread)
  public static class Streams {
    static final int STREAMS = 100;
    static final int HOP = 160; // 10 ms at 16 kHz

    /** A caption model snapshot; empty: a random LSTM of {@link #size}. */
    @Param({""})
    public String model;

    /** Random model: layers x hidden (when no snapshot is given). */
    @Param({"1x128"})
    public String size;

    @Param({"8"})
    public int beam;

    CaptionStream captions;
    CaptionStream.State[] states;
    short[] audio;
    int[] offsets;
    int next;
    final List<CaptionUpdate> sink = new ArrayList<>();
    final Consumer<CaptionUpdate> collect = u -> {
      if (sink.size() > 1000) {
        sink.clear();
      }
      sink.add(u);
    };

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      RnnModel m = model.isEmpty() ? randomModel(size) : SnapshotFormat.read(Path.of(model));
      CtcAlphabet alphabet = model.isEmpty() ? CAPTION_ALPHABET : CaptionStream.alphabetOf(m);
      captions = CaptionStream.create(m, alphabet, CaptionConfig.builder().beam(beam).build(),
          new LogMelExtractor());
      audio = audio();
      states = new CaptionStream.State[STREAMS];
      offsets = new int[STREAMS];
      SplittableRandom r = new SplittableRandom(9);
      for (int i = 0; i < STREAMS; i++) {
        states[i] = captions.newState();
        offsets[i] = r.nextInt(audio.length - HOP);
      }
      for (int i = 0; i < 10 * STREAMS; i++) { // fill the extractors, leave the zero states
        frame();
      }
    }

    int frame() {
      int i = next;
      next = next + 1 == STREAMS ? 0 : next + 1;
      int at = offsets[i];
      if (at + HOP > audio.length) {
        at = 0;
      }
      captions.acceptPcm16(states[i], audio, at, HOP, collect);
      offsets[i] = at + HOP;
      return i;
    }
  }

  static RnnModel randomModel(String size) {
    String[] lh = size.split("x");
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 40, Integer.parseInt(lh[1]))
        .numLayers(Integer.parseInt(lh[0]))
        .head(CAPTION_ALPHABET.numClasses(), Activation.SOFTMAX)
        .build();
    return RnnModel.create(spec, Initializers.uniform(spec, 7, 1.0),
        ModelInfo.named("captions-bench", 1), "bench");
  }

  /** The committed espeak-ng WAVs back to back, or 10 s of noise bursts without them. */
  static short[] audio() throws IOException {
    Path dir = Path.of("models/src/test/resources/io/rnnstream/models/audio");
    List<short[]> parts = new ArrayList<>();
    for (String f : new String[] {"four_two_seven.wav", "stop.wav", "open_the_door.wav"}) {
      if (Files.isRegularFile(dir.resolve(f))) {
        parts.add(WavReader.read(dir.resolve(f)));
      }
    }
    if (parts.isEmpty()) {
      SplittableRandom r = new SplittableRandom(3);
      short[] s = new short[160_000];
      for (int i = 0; i < s.length; i++) {
        s[i] = (short) (r.nextGaussian() * (i / 8000 % 2 == 0 ? 6000 : 20));
      }
      return s;
    }
    int n = parts.stream().mapToInt(p -> p.length).sum();
    short[] all = new short[n];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /** One decoder step (one 10 ms frame of one stream). */
  @Benchmark
  public int decoderFrame(Decoding d) {
    return d.step();
  }

  /** One 10 ms frame of one live stream: features + LSTM + decoder + caption checks. */
  @Benchmark
  public int streamFrame(Streams s) {
    return s.frame();
  }
}
