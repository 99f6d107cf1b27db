package io.rnnstream.operators.captions;

import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.ctc.CtcDecoder;
import io.rnnstream.models.ctc.CtcLoss;
import io.rnnstream.models.ctc.CtcResult;
import io.rnnstream.models.ctc.GreedyDecoder;
import io.rnnstream.models.ctc.PrefixBeamSearch;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small seeded caption model and synthetic audio for the caption operator tests.
 *
 * <p>The model is a random LSTM (40 log-mel inputs, 16 units, identity head over the blank and
 * six characters) with one hand-set unit that tracks loudness: its candidate reads the mean
 * log-mel value, its gates are pinned open/closed, and the blank's logit reads it negatively. So
 * silence decodes to blanks (endpoints happen) and tones to random characters (something is
 * said), as a trained model would behave on speech and pauses.
 */
final class CaptionTestModels {
  static final List<String> LABELS = List.of("<blank>", " ", "a", "b", "c", "d", "e");
  static final int H = 16;

  private CaptionTestModels() {}

  static RnnModel model(String name, long version, long seed) {
    int c = LABELS.size();
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 40, H).head(c, Activation.IDENTITY).build();
    Map<String, Tensor> w = new HashMap<>(Initializers.uniform(spec, seed, 1.0));
    float[] wih = w.get("rnn.weight_ih_l0").data(); // (4H, 40), gate rows i, f, g, o
    float[] whh = w.get("rnn.weight_hh_l0").data(); // (4H, H)
    float[] bih = w.get("rnn.bias_ih_l0").data();
    float[] bhh = w.get("rnn.bias_hh_l0").data();
    for (int g = 0; g < 4; g++) {
      int row = g * H; // unit 0 of gate g
      Arrays.fill(wih, row * 40, row * 40 + 40, g == 2 ? 0.5f / 40 : 0f);
      Arrays.fill(whh, row * H, row * H + H, 0f);
      bhh[row] = 0f;
      bih[row] = switch (g) {
        case 0 -> 10f; // input gate open
        case 1 -> -10f; // forget gate closed
        case 2 -> 2.5f; // candidate tanh(0.5 mean + 2.5): > 0 when louder than about -5
        default -> 10f; // output gate open
      };
    }
    float[] head = w.get("head.weight").data(); // (C, H)
    head[0] = -8f; // blank when quiet
    for (int k = 1; k < c; k++) {
      head[k * H] = 2f;
    }
    return RnnModel.create(spec, w,
        new ModelInfo(name, version, "2026-12-01T00:00:00Z", "test", null, null, LABELS), "test");
  }

  /**
   * {@code seconds} of 16 kHz audio: 1 s of a noisy frequency sweep every {@code period} s,
   * quiet noise in between.
   */
  static short[] bursts(double seconds, double period, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = (int) (16000 * seconds);
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      double t = i / 16000.0;
      boolean on = (t % period) < 1.0;
      double v = on
          ? 0.3 * Math.sin(2 * Math.PI * (200 + 300 * (t % 1.0)) * t) + 0.05 * r.nextGaussian()
          : 0.001 * r.nextGaussian();
      s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
    }
    return s;
  }

  static byte[] le(short[] pcm) {
    byte[] b = new byte[pcm.length * 2];
    for (int i = 0; i < pcm.length; i++) {
      b[2 * i] = (byte) pcm[i];
      b[2 * i + 1] = (byte) (pcm[i] >> 8);
    }
    return b;
  }

  /** Cuts {@code bytes} into chunks of the given sizes, cycling through them. */
  static List<byte[]> chunks(byte[] bytes, int... sizes) {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    for (int at = 0; at < bytes.length; i++) {
      int n = Math.min(sizes[i % sizes.length], bytes.length - at);
      out.add(Arrays.copyOfRange(bytes, at, at + n));
      at += n;
    }
    return out;
  }

  /** Random chunk sizes in [0, max], odd ones included. */
  static List<byte[]> randomChunks(byte[] bytes, int max, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < bytes.length;) {
      int n = Math.min(r.nextInt(max + 1), bytes.length - at);
      out.add(Arrays.copyOfRange(bytes, at, at + n));
      at += n;
    }
    return out;
  }

  static CtcAlphabet alphabet() {
    StringBuilder b = new StringBuilder();
    LABELS.subList(1, LABELS.size()).forEach(b::append);
    return CtcAlphabet.of(b.toString(), 0);
  }

  /**
   * The offline reference: features of the whole signal, {@code model.forward} over frames
   * {@code [from, to)} from the zero state, log-softmax, the decoder over all of them.
   */
  static CtcResult offline(RnnModel model, short[] pcm, int from, int to, boolean greedy,
      int beam) {
    float[][] features = new LogMelExtractor().extract(pcm);
    float[][] ys = model.forward(Arrays.copyOfRange(features, from, Math.min(to, features.length)));
    double[][] logits = new double[ys.length][];
    for (int t = 0; t < ys.length; t++) {
      logits[t] = new double[ys[t].length];
      for (int k = 0; k < ys[t].length; k++) {
        logits[t][k] = ys[t][k];
      }
    }
    double[][] logp = CtcLoss.logSoftmax(logits);
    return greedy ? decode(new GreedyDecoder(alphabet()), logp)
        : decode(PrefixBeamSearch.builder(alphabet()).beamWidth(beam).commitAfterFrames(100)
            .build(), logp);
  }

  private static <S> CtcResult decode(CtcDecoder<S> d, double[][] logp) {
    S s = d.newState();
    d.advance(s, logp);
    return d.finalResult(s);
  }

  static int frames(short[] pcm) {
    return (int) new LogMelExtractor().config().framesFor(pcm.length);
  }
}
