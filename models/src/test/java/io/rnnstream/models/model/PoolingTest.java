package io.rnnstream.models.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Many-to-one pooling against a direct computation: the top outputs v_1..v_t come from a second
 * model with the same weights, pooling NONE and no head; pooling and head are then applied here in
 * double precision.
 */
class PoolingTest {

  /** float32 incremental pooling vs double direct pooling: TOL * max(1, |expected|). */
  private static final double TOL = 1e-5;

  private static final ModelInfo INFO = ModelInfo.named("pooling-test", 1);

  private static float[][] inputs(long seed, int steps, int d) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] xs = new float[steps][d];
    for (float[] x : xs) {
      for (int i = 0; i < d; i++) {
        x[i] = (float) (rnd.nextDouble() * 4 - 2);
      }
    }
    return xs;
  }

  /** The same weights without pooling and head: its outputs are the top outputs v_t. */
  private static RnnModel topOnly(RnnModel model) {
    ModelSpec spec = model.spec().toBuilder().pooling(Pooling.NONE).head((HeadSpec) null).build();
    Map<String, Tensor> w = new HashMap<>(model.tensors());
    w.remove(TensorNames.HEAD_WEIGHT);
    w.remove(TensorNames.HEAD_BIAS);
    w.remove(TensorNames.ATTENTION);
    return RnnModel.create(spec, w, INFO, "test");
  }

  /** y (O) = act(W (O, P) v (P) + b (O)) from the model's head tensors, in double. */
  private static double[] head(RnnModel model, double[] v) {
    HeadSpec hs = model.spec().head();
    if (hs == null) {
      return v;
    }
    Tensor w = model.tensors().get(TensorNames.HEAD_WEIGHT);
    Tensor b = model.tensors().get(TensorNames.HEAD_BIAS);
    int o = w.dim(0);
    int p = w.dim(1);
    double[] y = new double[o];
    for (int r = 0; r < o; r++) {
      double s = b == null ? 0 : b.data()[r];
      for (int c = 0; c < p; c++) {
        s += (double) w.data()[r * p + c] * v[c];
      }
      y[r] = s;
    }
    switch (hs.activation()) {
      case IDENTITY -> {}
      case SIGMOID -> {
        for (int i = 0; i < o; i++) {
          y[i] = 1 / (1 + Math.exp(-y[i]));
        }
      }
      case TANH -> {
        for (int i = 0; i < o; i++) {
          y[i] = Math.tanh(y[i]);
        }
      }
      case RELU -> {
        for (int i = 0; i < o; i++) {
          y[i] = Math.max(0, y[i]);
        }
      }
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (double v1 : y) {
          max = Math.max(max, v1);
        }
        double z = 0;
        for (int i = 0; i < o; i++) {
          y[i] = Math.exp(y[i] - max);
          z += y[i];
        }
        for (int i = 0; i < o; i++) {
          y[i] /= z;
        }
      }
    }
    return y;
  }

  /** mean(v_1..v_t) for each t. */
  private static double[][] means(float[][] vs) {
    int p = vs[0].length;
    double[][] out = new double[vs.length][p];
    double[] sum = new double[p];
    for (int t = 0; t < vs.length; t++) {
      for (int j = 0; j < p; j++) {
        sum[j] += vs[t][j];
        out[t][j] = sum[j] / (t + 1);
      }
    }
    return out;
  }

  /** sum_i softmax_i(a . v_1..a . v_t) v_i for each t, directly (no running max). */
  private static double[][] attention(float[][] vs, float[] a) {
    int p = a.length;
    double[][] out = new double[vs.length][p];
    for (int t = 0; t < vs.length; t++) {
      double[] scores = new double[t + 1];
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i <= t; i++) {
        double s = 0;
        for (int j = 0; j < p; j++) {
          s += (double) a[j] * vs[i][j];
        }
        scores[i] = s;
        max = Math.max(max, s);
      }
      double z = 0;
      for (int i = 0; i <= t; i++) {
        z += Math.exp(scores[i] - max);
      }
      for (int i = 0; i <= t; i++) {
        double weight = Math.exp(scores[i] - max) / z;
        for (int j = 0; j < p; j++) {
          out[t][j] += weight * vs[i][j];
        }
      }
    }
    return out;
  }

  private static void assertClose(float[][] actual, double[][] expected, String what) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int t = 0; t < expected.length; t++) {
      assertThat(actual[t]).hasSize(expected[t].length);
      for (int i = 0; i < expected[t].length; i++) {
        assertThat((double) actual[t][i]).as("%s: step %d, unit %d", what, t, i)
            .isCloseTo(expected[t][i], within(TOL * Math.max(1, Math.abs(expected[t][i]))));
      }
    }
  }

  private static double[][] applyHead(RnnModel model, double[][] pooled) {
    double[][] out = new double[pooled.length][];
    for (int t = 0; t < pooled.length; t++) {
      out[t] = head(model, pooled[t]);
    }
    return out;
  }

  // ---------------------------------------------------------------- MEAN

  @Test
  void meanPoolingShouldApplyTheHeadToTheMeanOfTheTopOutputsSoFar() {
    // LSTM D 3, H 4, 2 layers; top P 4; head (3, 4) sigmoid
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 3, 4).numLayers(2)
        .pooling(Pooling.MEAN).head(3, Activation.SIGMOID).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 1, 1.5), INFO, "test");
    float[][] xs = inputs(2, 12, 3);

    float[][] top = topOnly(model).forward(xs); // (12, 4)
    float[][] ys = model.forward(xs); // (12, 3)

    assertClose(ys, applyHead(model, means(top)), "mean + sigmoid head");
  }

  @Test
  void meanPoolingWithoutHeadShouldReturnTheRunningMean() {
    // SCRN D 3, H 3, S 2: top P 5 = [h, s]
    ModelSpec spec = ModelSpec.builder(CellType.SCRN, 3, 3).context(2, 0.9f)
        .pooling(Pooling.MEAN).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 3, 1.5), INFO, "test");
    float[][] xs = inputs(4, 9, 3);
    assertClose(model.forward(xs), means(topOnly(model).forward(xs)), "mean");
  }

  @Test
  void meanPoolingShouldAlsoWorkOnBidirectionalSegments() {
    // GRU D 3, H 3, bidirectional: top P 6 = [forward, reverse]; head (2, 6) identity
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 3, 3).bidirectional(true)
        .pooling(Pooling.MEAN).head(2, Activation.IDENTITY).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 5, 1.5), INFO, "test");
    float[][] xs = inputs(6, 7, 3);
    float[][] top = topOnly(model).forward(xs); // (7, 6)
    assertThat(top[0]).hasSize(6);
    assertClose(model.forward(xs), applyHead(model, means(top)), "bidirectional mean");
  }

  // ---------------------------------------------------------------- ATTENTION

  /**
   * A model whose top output is its input: Elman, identity activation, W_ih = I (3, 3),
   * W_hh = 0, no bias; pooling ATTENTION with vector a, no head.
   */
  private static RnnModel passThroughAttention(float[] a) {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 3, 3).activation(Activation.IDENTITY)
        .bias(false).pooling(Pooling.ATTENTION).build();
    return RnnModel.create(spec, Map.of(
        "rnn.weight_ih_l0", Tensor.matrix(3, 3, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}),
        "rnn.weight_hh_l0", Tensor.zeros(3, 3),
        TensorNames.ATTENTION, Tensor.vector(a)), INFO, "test");
  }

  /** Inputs with prescribed scores a . x = s_t for a = (1, 0.5, -0.25), other parts random. */
  private static float[][] withScores(double[] scores, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] xs = new float[scores.length][3];
    for (int t = 0; t < scores.length; t++) {
      float u = (float) (rnd.nextDouble() * 2 - 1);
      float w = (float) (rnd.nextDouble() * 2 - 1);
      xs[t] = new float[] {(float) (scores[t] - 0.5 * u + 0.25 * w), u, w};
    }
    return xs;
  }

  private static final float[] A = {1f, 0.5f, -0.25f};

  @Test
  void attentionShouldEqualTheSoftmaxWeightedSumOnModerateScores() {
    double[] scores = {0.3, -0.7, 1.2, 0.1, -2.0, 0.9, 0.0};
    float[][] xs = withScores(scores, 10);
    RnnModel model = passThroughAttention(A);
    float[][] top = topOnly(model).forward(xs);
    assertThat(top[2]).containsExactly(xs[2]); // the pass-through really passes through
    assertClose(model.forward(xs), attention(top, A), "attention, moderate scores");
  }

  @Test
  void attentionShouldRescaleWhenALaterScoreIsMuchLarger() {
    // the running max jumps at steps 3, 5 and 7: old sums are rescaled by exp(m_old - m_new)
    double[] scores = {0.5, -1.0, 2.0, 30.0, 1.0, 60.0, -5.0, 61.0, 60.5};
    float[][] xs = withScores(scores, 11);
    RnnModel model = passThroughAttention(A);
    float[][] top = topOnly(model).forward(xs);
    float[][] ys = model.forward(xs);
    assertClose(ys, attention(top, A), "attention, growing max");
    // after the jump to 30 the pooled vector is (almost exactly) v_4
    assertThat((double) ys[3][1]).isCloseTo(xs[3][1], within(1e-6));
  }

  @Test
  void attentionShouldStayFiniteAndCorrectWithScoresAroundPlusMinusFifty() {
    double[] scores = {-50.0, 50.0, -49.0, 49.5, -50.0, 50.2, 48.0, -50.0};
    float[][] xs = withScores(scores, 12);
    RnnModel model = passThroughAttention(A);
    float[][] top = topOnly(model).forward(xs);
    float[][] ys = model.forward(xs);
    for (float[] y : ys) {
      for (float v : y) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
    assertClose(ys, attention(top, A), "attention, scores +-50");
  }

  @Test
  void attentionOnARandomModelShouldMatchTheDirectComputationThroughTheHead() {
    // GRU D 3, H 5, 2 layers; pool.attention (5); head (4, 5) softmax
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 3, 5).numLayers(2)
        .pooling(Pooling.ATTENTION).head(4, Activation.SOFTMAX).build();
    Map<String, Tensor> w = new HashMap<>(Initializers.uniform(spec, 20, 1.5));
    float[] a = w.get(TensorNames.ATTENTION).data().clone();
    for (int i = 0; i < a.length; i++) {
      a[i] *= 8f; // sharper scores, so the weighting matters
    }
    w.put(TensorNames.ATTENTION, Tensor.vector(a));
    RnnModel model = RnnModel.create(spec, w, INFO, "test");
    float[][] xs = inputs(21, 15, 3);
    float[][] top = topOnly(model).forward(xs);

    float[][] ys = model.forward(xs);
    assertClose(ys, applyHead(model, attention(top, a)), "attention + softmax head");
    // and it is not simply the mean
    double[][] viaMean = applyHead(model, means(top));
    double diff = 0;
    for (int j = 0; j < 4; j++) {
      diff = Math.max(diff, Math.abs(ys[14][j] - viaMean[14][j]));
    }
    assertThat(diff).isGreaterThan(1e-3);
  }

  // ---------------------------------------------------------------- LAST / NONE

  @Test
  void lastPoolingShouldEqualNone() {
    // LSTM D 3, H 4, 2 layers, head (2, 4) tanh; the same tensors
    ModelSpec last = ModelSpec.builder(CellType.LSTM, 3, 4).numLayers(2)
        .pooling(Pooling.LAST).head(2, Activation.TANH).build();
    ModelSpec none = last.toBuilder().pooling(Pooling.NONE).build();
    Map<String, Tensor> w = Initializers.uniform(last, 30, 1.5);
    float[][] xs = inputs(31, 10, 3);
    float[][] a = RnnModel.create(last, w, INFO, "test").forward(xs);
    float[][] b = RnnModel.create(none, w, INFO, "test").forward(xs);
    for (int t = 0; t < xs.length; t++) {
      assertThat(a[t]).as("step %d", t).containsExactly(b[t]);
    }
    // and NONE is the head on the current top output
    RnnModel model = RnnModel.create(none, w, INFO, "test");
    float[][] top = topOnly(model).forward(xs);
    double[][] pooled = new double[xs.length][4];
    for (int t = 0; t < xs.length; t++) {
      for (int j = 0; j < 4; j++) {
        pooled[t][j] = top[t][j];
      }
    }
    assertClose(b, applyHead(model, pooled), "none");
  }

  @Test
  void poolingShouldReserveItsAccumulatorsAtTheEndOfTheState() {
    // Elman H 4: layer state 4; MEAN adds P = 4, ATTENTION adds P + 2 = 6
    ModelSpec base = ModelSpec.builder(CellType.RNN, 3, 4).build();
    for (Pooling p : Pooling.values()) {
      ModelSpec spec = base.toBuilder().pooling(p).build();
      RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 1, 1), INFO, "test");
      int expected = 4 + switch (p) {
        case NONE, LAST -> 0;
        case MEAN -> 4;
        case ATTENTION -> 6;
      };
      assertThat(model.stateSize()).as("%s", p).isEqualTo(expected);
    }
  }
}
