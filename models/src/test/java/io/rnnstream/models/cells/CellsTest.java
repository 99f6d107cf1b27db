package io.rnnstream.models.cells;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Parameters;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every cell through the public model API against an independent double-precision implementation
 * of the formula in the cell's javadoc (and its paper), with weights read back from
 * {@link RnnModel#tensors()} under their canonical names.
 */
class CellsTest {

  /**
   * float32 model vs double reference over a handful of steps with O(1) weights: |diff| <= TOL *
   * max(1, |expected|). A wrong gate order, a missing bias or a transposed matrix gives errors of
   * order 0.1.
   */
  private static final double TOL = 2e-5;

  private static final int D = 3; // input width
  private static final int STEPS = 7;
  private static final ModelInfo INFO = ModelInfo.named("cells-test", 1);

  // ---------------------------------------------------------------- helpers

  private static RnnModel build(ModelSpec spec, long seed) {
    return RnnModel.create(spec, Initializers.uniform(spec, seed, 1.5), INFO, "test");
  }

  private static RnnModel withTensors(RnnModel model, Map<String, Tensor> tensors) {
    return RnnModel.create(model.spec(), tensors, INFO, "test");
  }

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

  private static double[][] toDouble(float[][] xs) {
    double[][] out = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      out[t] = new double[xs[t].length];
      for (int i = 0; i < xs[t].length; i++) {
        out[t][i] = xs[t][i];
      }
    }
    return out;
  }

  /** A (R, C) tensor as double[R][C]. */
  private static double[][] mat(Map<String, Tensor> w, String name) {
    Tensor t = w.get(name);
    assertThat(t).as("tensor %s", name).isNotNull();
    assertThat(t.rank()).isEqualTo(2);
    int r = t.dim(0);
    int c = t.dim(1);
    double[][] m = new double[r][c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        m[i][j] = t.data()[i * c + j];
      }
    }
    return m;
  }

  /** A vector tensor as double[n]; zeros when absent (bias=False). */
  private static double[] vec(Map<String, Tensor> w, String name, int n) {
    Tensor t = w.get(name);
    double[] v = new double[n];
    if (t != null) {
      assertThat(t.data()).hasSize(n);
      for (int i = 0; i < n; i++) {
        v[i] = t.data()[i];
      }
    }
    return v;
  }

  /** W (R, C) @ x (C). */
  private static double[] mv(double[][] w, double[] x) {
    double[] y = new double[w.length];
    for (int r = 0; r < w.length; r++) {
      assertThat(w[r]).hasSize(x.length);
      double s = 0;
      for (int c = 0; c < x.length; c++) {
        s += w[r][c] * x[c];
      }
      y[r] = s;
    }
    return y;
  }

  private static double[] add(double[]... vs) {
    double[] out = new double[vs[0].length];
    for (double[] v : vs) {
      for (int i = 0; i < out.length; i++) {
        out[i] += v[i];
      }
    }
    return out;
  }

  private static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  private static double act(Activation a, double v) {
    return switch (a) {
      case IDENTITY -> v;
      case TANH -> Math.tanh(v);
      case SIGMOID -> sig(v);
      case RELU -> Math.max(0, v);
      case SOFTMAX -> throw new AssertionError("softmax is not element-wise");
    };
  }

  private static double[] act(Activation a, double[] v) {
    double[] out = new double[v.length];
    if (a == Activation.SOFTMAX) {
      double max = Double.NEGATIVE_INFINITY;
      for (double x : v) {
        max = Math.max(max, x);
      }
      double z = 0;
      for (int i = 0; i < v.length; i++) {
        out[i] = Math.exp(v[i] - max);
        z += out[i];
      }
      for (int i = 0; i < v.length; i++) {
        out[i] /= z;
      }
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = act(a, v[i]);
    }
    return out;
  }

  private static double[] slice(double[] v, int from, int len) {
    double[] out = new double[len];
    System.arraycopy(v, from, out, 0, len);
    return out;
  }

  private static void assertClose(float[][] actual, double[][] expected, String what) {
    assertThat(actual.length).as(what + ": steps").isEqualTo(expected.length);
    for (int t = 0; t < expected.length; t++) {
      assertThat(actual[t]).as("%s: width at step %d", what, t).hasSize(expected[t].length);
      for (int i = 0; i < expected[t].length; i++) {
        double tol = TOL * Math.max(1, Math.abs(expected[t][i]));
        assertThat((double) actual[t][i])
            .as("%s: step %d, unit %d", what, t, i)
            .isCloseTo(expected[t][i], within(tol));
      }
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static String n(String kind, int layer) {
    return "rnn." + kind + "_l" + layer; // canonical PyTorch-style name, e.g. rnn.weight_ih_l0
  }

  // ---------------------------------------------------------------- double references

  /** Elman: h' = act(W_ih x + b_ih + W_hh h + b_hh); W_ih (H, D), W_hh (H, H). */
  private static double[][] refElman(ModelSpec s, Map<String, Tensor> w, int k, double[][] xs) {
    int h = s.hiddenSize();
    double[][] wIh = mat(w, n("weight_ih", k));
    double[][] wHh = mat(w, n("weight_hh", k));
    double[] bIh = vec(w, n("bias_ih", k), h);
    double[] bHh = vec(w, n("bias_hh", k), h);
    double[] hs = new double[h];
    double[][] out = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      hs = act(s.activation(), add(mv(wIh, xs[t]), bIh, mv(wHh, hs), bHh));
      out[t] = hs;
    }
    return out;
  }

  /**
   * LSTM (rows i, f, g, o), peepholes p (3H) on rows i, f (old c) and o (new c):
   * i = sig(z_i + p_i c), f = sig(z_f + p_f c), g = cand(z_g), c' = f c + i g,
   * o = sig(z_o + p_o c'), h' = o cellAct(c').
   */
  private static double[][] refLstm(ModelSpec s, Map<String, Tensor> w, int k, double[][] xs) {
    int h = s.hiddenSize();
    double[][] wIh = mat(w, n("weight_ih", k)); // (4H, D)
    double[][] wHh = mat(w, n("weight_hh", k)); // (4H, H)
    double[] bIh = vec(w, n("bias_ih", k), 4 * h);
    double[] bHh = vec(w, n("bias_hh", k), 4 * h);
    double[] p = vec(w, n("weight_peep", k), 3 * h); // zeros without peepholes
    if (!s.peepholes()) {
      assertThat(w).doesNotContainKey(n("weight_peep", k));
    }
    double[] hs = new double[h];
    double[] cs = new double[h];
    double[][] out = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      double[] z = add(mv(wIh, xs[t]), bIh, mv(wHh, hs), bHh);
      double[] hn = new double[h];
      double[] cn = new double[h];
      for (int j = 0; j < h; j++) {
        double i = sig(z[j] + p[j] * cs[j]);
        double f = sig(z[h + j] + p[h + j] * cs[j]);
        double g = act(s.candidateActivation(), z[2 * h + j]);
        cn[j] = f * cs[j] + i * g;
        double o = sig(z[3 * h + j] + p[2 * h + j] * cn[j]);
        hn[j] = o * act(s.cellActivation(), cn[j]);
      }
      hs = hn;
      cs = cn;
      out[t] = hs;
    }
    return out;
  }

  /**
   * GRU, PyTorch convention (rows r, z, n): r = sig(W_ir x + b_ir + W_hr h + b_hr),
   * z = sig(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r (W_hn h + b_hn)),
   * h' = (1 - z) n + z h.
   */
  private static double[][] refGru(ModelSpec s, Map<String, Tensor> w, int k, double[][] xs) {
    int h = s.hiddenSize();
    double[][] wIh = mat(w, n("weight_ih", k)); // (3H, D)
    double[][] wHh = mat(w, n("weight_hh", k)); // (3H, H)
    double[] bIh = vec(w, n("bias_ih", k), 3 * h);
    double[] bHh = vec(w, n("bias_hh", k), 3 * h);
    double[] hs = new double[h];
    double[][] out = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      double[] gi = add(mv(wIh, xs[t]), bIh);
      double[] gh = add(mv(wHh, hs), bHh);
      double[] hn = new double[h];
      for (int j = 0; j < h; j++) {
        double r = sig(gi[j] + gh[j]);
        double z = sig(gi[h + j] + gh[h + j]);
        double nn = Math.tanh(gi[2 * h + j] + r * gh[2 * h + j]);
        hn[j] = (1 - z) * nn + z * hs[j];
      }
      hs = hn;
      out[t] = hs;
    }
    return out;
  }

  /**
   * Jordan: h = act(W_ih x + b_ih + W_hh y_prev + b_hh), y = outAct(W_ho h + b_ho);
   * W_hh (H, O), W_ho (O, H). The output is y.
   */
  private static double[][] refJordan(ModelSpec s, Map<String, Tensor> w, int k, double[][] xs) {
    int h = s.hiddenSize();
    int o = s.feedbackSize();
    double[][] wIh = mat(w, n("weight_ih", k));
    double[][] wHh = mat(w, n("weight_hh", k));
    double[][] wHo = mat(w, n("weight_ho", k));
    double[] bIh = vec(w, n("bias_ih", k), h);
    double[] bHh = vec(w, n("bias_hh", k), h);
    double[] bHo = vec(w, n("bias_ho", k), o);
    double[] y = new double[o];
    double[][] out = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      double[] hs = act(s.activation(), add(mv(wIh, xs[t]), bIh, mv(wHh, y), bHh));
      y = act(s.feedbackActivation(), add(mv(wHo, hs), bHo));
      out[t] = y;
    }
    return out;
  }

  /**
   * Clockwork RNN (Koutnik et al. 2014): modules i = 0..g-1 of size H/g with periods T_i; at step
   * t (0-based) module i is recomputed iff t mod T_i == 0, reading only from modules j >= i:
   * h_i' = act((W_ih x + b_ih)_i + sum_{j >= i} W_hh[i][j] h_j + (b_hh)_i); else h_i' = h_i.
   */
  private static double[][] refClockwork(
      ModelSpec s, Map<String, Tensor> w, int k, double[][] xs) {
    int h = s.hiddenSize();
    int[] periods = s.clockPeriods();
    int size = h / periods.length;
    double[][] wIh = mat(w, n("weight_ih", k));
    double[][] wHh = mat(w, n("weight_hh", k));
    double[] bIh = vec(w, n("bias_ih", k), h);
    double[] bHh = vec(w, n("bias_hh", k), h);
    double[] hs = new double[h];
    double[][] out = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      double[] in = mv(wIh, xs[t]);
      double[] hn = hs.clone();
      for (int r = 0; r < h; r++) {
        int mod = r / size;
        if (t % periods[mod] != 0) {
          continue;
        }
        double a = in[r] + bIh[r] + bHh[r];
        for (int c = mod * size; c < h; c++) { // only modules >= mod
          a += wHh[r][c] * hs[c];
        }
        hn[r] = act(s.activation(), a);
      }
      hs = hn;
      out[t] = hs;
    }
    return out;
  }

  /**
   * SCRN (Mikolov et al. 2015): s' = (1 - alpha) B x + alpha s,
   * h' = sigmoid(P s' + A x + b_ih + R h + b_hh); output [h', s'].
   * A = weight_ih (H, D), R = weight_hh (H, H), B = weight_cx (S, D), P = weight_hc (H, S).
   */
  private static double[][] refScrn(ModelSpec s, Map<String, Tensor> w, int k, double[][] xs) {
    int h = s.hiddenSize();
    int c = s.contextSize();
    double alpha = s.contextAlpha();
    double[][] a = mat(w, n("weight_ih", k));
    double[][] r = mat(w, n("weight_hh", k));
    double[][] b = mat(w, n("weight_cx", k));
    double[][] p = mat(w, n("weight_hc", k));
    double[] bIh = vec(w, n("bias_ih", k), h);
    double[] bHh = vec(w, n("bias_hh", k), h);
    double[] hs = new double[h];
    double[] ctx = new double[c];
    double[][] out = new double[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      double[] bx = mv(b, xs[t]);
      double[] cn = new double[c];
      for (int j = 0; j < c; j++) {
        cn[j] = (1 - alpha) * bx[j] + alpha * ctx[j];
      }
      ctx = cn;
      double[] pre = add(mv(p, ctx), mv(a, xs[t]), bIh, mv(r, hs), bHh);
      hs = act(Activation.SIGMOID, pre);
      double[] y = new double[h + c];
      System.arraycopy(hs, 0, y, 0, h);
      System.arraycopy(ctx, 0, y, h, c);
      out[t] = y;
    }
    return out;
  }

  /** The whole stack: layer k reads layer k-1's output. */
  private static double[][] reference(ModelSpec s, Map<String, Tensor> w, double[][] xs) {
    double[][] cur = xs;
    for (int k = 0; k < s.numLayers(); k++) {
      cur = switch (s.cell()) {
        case RNN -> refElman(s, w, k, cur);
        case LSTM -> refLstm(s, w, k, cur);
        case GRU -> refGru(s, w, k, cur);
        case JORDAN -> refJordan(s, w, k, cur);
        case CLOCKWORK -> refClockwork(s, w, k, cur);
        case SCRN -> refScrn(s, w, k, cur);
      };
    }
    return cur;
  }

  private static void checkAgainstReference(ModelSpec spec, long seed) {
    RnnModel model = build(spec, seed);
    // the tensors are exactly the canonical parameter list
    List<String> names = new ArrayList<>();
    for (Parameters.Param p : Parameters.of(spec)) {
      names.add(p.name());
    }
    assertThat(model.tensors().keySet()).containsExactlyInAnyOrderElementsOf(names);

    float[][] xs = inputs(seed + 1, STEPS, spec.inputSize());
    float[][] ys = model.forward(xs); // (STEPS, top output width)
    double[][] expected = reference(spec, model.tensors(), toDouble(xs));
    assertClose(ys, expected, spec.cell().id() + " " + spec);
  }

  // ---------------------------------------------------------------- reference comparisons

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = {"TANH", "RELU", "IDENTITY"})
  void elmanShouldMatchTheDoubleReference(Activation activation) {
    // D 3, H 5
    checkAgainstReference(ModelSpec.builder(CellType.RNN, D, 5).activation(activation).build(), 11);
  }

  @Test
  void elmanWithoutBiasShouldMatchTheDoubleReference() {
    checkAgainstReference(ModelSpec.builder(CellType.RNN, D, 4).bias(false).build(), 12);
  }

  static Stream<Arguments> lstmVariants() {
    return Stream.of(
        Arguments.of(false, Activation.TANH, Activation.TANH),
        Arguments.of(true, Activation.TANH, Activation.TANH),
        Arguments.of(false, Activation.IDENTITY, Activation.RELU),
        Arguments.of(true, Activation.IDENTITY, Activation.IDENTITY),
        Arguments.of(true, Activation.RELU, Activation.SIGMOID));
  }

  @ParameterizedTest(name = "peepholes {0}, candidate {1}, cell {2}")
  @MethodSource("lstmVariants")
  void lstmShouldMatchTheDoubleReference(
      boolean peepholes, Activation candidate, Activation cellActivation) {
    // D 3, H 4: W_ih (16, 3), W_hh (16, 4), peepholes (12)
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, 4)
        .peepholes(peepholes).candidateActivation(candidate).cellActivation(cellActivation)
        .build();
    checkAgainstReference(spec, 21);
  }

  @ParameterizedTest(name = "bias {0}")
  @ValueSource(booleans = {true, false})
  void gruShouldMatchTheDoubleReference(boolean bias) {
    // D 3, H 5: W_ih (15, 3), W_hh (15, 5)
    checkAgainstReference(ModelSpec.builder(CellType.GRU, D, 5).bias(bias).build(), 31);
  }

  static Stream<Arguments> jordanVariants() {
    return Stream.of(
        Arguments.of(Activation.TANH, Activation.IDENTITY),
        Arguments.of(Activation.RELU, Activation.SIGMOID),
        Arguments.of(Activation.TANH, Activation.SOFTMAX));
  }

  @ParameterizedTest(name = "hidden {0}, output {1}")
  @MethodSource("jordanVariants")
  void jordanShouldMatchTheDoubleReference(Activation hidden, Activation output) {
    // D 3, H 4, O 2: W_ih (4, 3), W_hh (4, 2), W_ho (2, 4)
    ModelSpec spec = ModelSpec.builder(CellType.JORDAN, D, 4)
        .activation(hidden).feedback(2, output).build();
    checkAgainstReference(spec, 41);
  }

  @Test
  void clockworkShouldMatchTheDoubleReference() {
    // D 3, H 6 in 3 modules of 2 with periods 1, 2, 4; 9 steps cover two slow ticks
    ModelSpec spec = ModelSpec.builder(CellType.CLOCKWORK, D, 6).clockPeriods(1, 2, 4).build();
    RnnModel model = build(spec, 51);
    float[][] xs = inputs(52, 9, D);
    assertClose(model.forward(xs), reference(spec, model.tensors(), toDouble(xs)), "clockwork");
  }

  @ParameterizedTest(name = "alpha {0}")
  @ValueSource(floats = {0f, 0.5f, 0.95f, 1f})
  void scrnShouldMatchTheDoubleReference(float alpha) {
    // D 3, H 4, S 3: output [h (4), s (3)]
    ModelSpec spec = ModelSpec.builder(CellType.SCRN, D, 4).context(3, alpha).build();
    checkAgainstReference(spec, 61);
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void stackedLayersShouldMatchTheDoubleReference(CellType cell) {
    // 3 layers; layer k > 0 reads layer k-1's output
    ModelSpec.Builder b = ModelSpec.builder(cell, D, 6).numLayers(3);
    switch (cell) {
      case CLOCKWORK -> b.clockPeriods(1, 3);
      case JORDAN -> b.feedback(3, Activation.TANH);
      case SCRN -> b.context(2, 0.8f);
      case LSTM -> b.peepholes(true);
      default -> {}
    }
    checkAgainstReference(b.build(), 71);
  }

  // ---------------------------------------------------------------- Clockwork behaviours

  @Test
  void clockworkModuleShouldKeepItsValueBetweenItsTicks() {
    // H 6: modules [0,2) T=1, [2,4) T=2, [4,6) T=4
    int[] periods = {1, 2, 4};
    ModelSpec spec = ModelSpec.builder(CellType.CLOCKWORK, D, 6).clockPeriods(periods).build();
    RnnModel model = build(spec, 81);
    float[][] ys = model.forward(inputs(82, 12, D)); // (12, 6)

    for (int t = 0; t < ys.length; t++) { // t = steps taken before this one
      for (int m = 0; m < periods.length; m++) {
        float[] prev = t == 0 ? new float[6] : ys[t - 1];
        for (int u = 2 * m; u < 2 * m + 2; u++) {
          if (t % periods[m] != 0) {
            assertThat(ys[t][u]).as("module %d unit %d held at step %d", m, u, t)
                .isEqualTo(prev[u]);
          } else {
            assertThat(ys[t][u]).as("module %d unit %d updated at step %d", m, u, t)
                .isNotEqualTo(prev[u]);
          }
        }
      }
    }
  }

  @Test
  void clockworkShouldIgnoreRecurrentWeightsBelowTheBlockDiagonal() {
    // H 6, 3 modules of 2: W_hh (6, 6); block (r, c) at module granularity
    ModelSpec spec = ModelSpec.builder(CellType.CLOCKWORK, D, 6).clockPeriods(1, 2, 3).build();
    RnnModel model = build(spec, 91);
    float[][] xs = inputs(92, 8, D);
    float[][] base = model.forward(xs);

    float[] whh = model.tensors().get("rnn.weight_hh_l0").data();
    float[] lower = whh.clone();
    float[] upper = whh.clone();
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 6; c++) {
        if (c / 2 < r / 2) {
          lower[r * 6 + c] = 5f + r - c; // fast module c feeding slower module r: masked
        } else if (c / 2 > r / 2) {
          upper[r * 6 + c] += 0.5f; // slow feeds fast: must matter
        }
      }
    }
    Map<String, Tensor> lowerChanged = new HashMap<>(model.tensors());
    lowerChanged.put("rnn.weight_hh_l0", Tensor.matrix(6, 6, lower));
    Map<String, Tensor> upperChanged = new HashMap<>(model.tensors());
    upperChanged.put("rnn.weight_hh_l0", Tensor.matrix(6, 6, upper));

    float[][] withLower = withTensors(model, lowerChanged).forward(xs);
    float[][] withUpper = withTensors(model, upperChanged).forward(xs);

    for (int t = 0; t < xs.length; t++) {
      assertThat(withLower[t]).as("step %d, lower blocks changed", t).containsExactly(base[t]);
    }
    assertThat(maxAbsDiff(withUpper[xs.length - 1], base[xs.length - 1]))
        .as("changing blocks above the diagonal changes the output")
        .isGreaterThan(1e-3);
  }

  // ---------------------------------------------------------------- SCRN behaviour

  @Test
  void scrnContextShouldFollowTheSlowExponentialAverage() {
    // D 3, H 4, S 3, alpha 0.8; state [h (4), s (3)], output [h (4), s (3)]
    float alpha = 0.8f;
    ModelSpec spec = ModelSpec.builder(CellType.SCRN, D, 4).context(3, alpha).build();
    RnnModel model = build(spec, 101);
    double[][] b = mat(model.tensors(), "rnn.weight_cx_l0"); // B (3, 3)
    float[][] xs = inputs(102, 10, D);

    RnnState state = model.newState();
    Workspace ws = model.newWorkspace();
    double[] s = new double[3];
    for (int t = 0; t < xs.length; t++) {
      float[] y = model.step(state, xs[t], 0, ws);
      double[] bx = mv(b, toDouble(new float[][] {xs[t]})[0]);
      for (int j = 0; j < 3; j++) {
        s[j] = (1 - alpha) * bx[j] + alpha * s[j];
        assertThat((double) state.values()[4 + j]).as("state s[%d] at step %d", j, t)
            .isCloseTo(s[j], within(TOL));
        assertThat((double) y[4 + j]).as("output s[%d] at step %d", j, t)
            .isCloseTo(s[j], within(TOL));
      }
    }
  }

  // ---------------------------------------------------------------- Jordan behaviour

  @Test
  void jordanShouldFeedBackThePreviousOutput() {
    // D 3, H 4, O 2: W_hh (4, 2) multiplies y_prev, which is zero before the first step
    ModelSpec spec = ModelSpec.builder(CellType.JORDAN, D, 4)
        .feedback(2, Activation.IDENTITY).build();
    RnnModel model = build(spec, 111);
    float[][] xs = inputs(112, 3, D);
    float[][] base = model.forward(xs);

    float[] whh = model.tensors().get("rnn.weight_hh_l0").data().clone();
    for (int i = 0; i < whh.length; i++) {
      whh[i] += 0.7f;
    }
    Map<String, Tensor> changed = new HashMap<>(model.tensors());
    changed.put("rnn.weight_hh_l0", Tensor.matrix(4, 2, whh));
    float[][] other = withTensors(model, changed).forward(xs);

    assertThat(other[0]).as("step 1: no previous output yet").containsExactly(base[0]);
    assertThat(maxAbsDiff(other[1], base[1])).as("step 2 reads y_1 through W_hh")
        .isGreaterThan(1e-3);
  }

  @Test
  void jordanStateShouldHoldTheOutputThenTheHiddenLayer() {
    // state [y (2), h (4)]: y = W_ho h + b_ho with identity output activation
    ModelSpec spec = ModelSpec.builder(CellType.JORDAN, D, 4)
        .feedback(2, Activation.IDENTITY).build();
    RnnModel model = build(spec, 113);
    RnnState state = model.newState();
    float[] y = model.step(state, inputs(114, 1, D)[0], 0, model.newWorkspace()).clone();
    float[] v = state.values();
    assertThat(v).hasSize(6);
    double[][] wHo = mat(model.tensors(), "rnn.weight_ho_l0");
    double[] bHo = vec(model.tensors(), "rnn.bias_ho_l0", 2);
    double[] h = {v[2], v[3], v[4], v[5]};
    double[] expected = add(mv(wHo, h), bHo);
    for (int j = 0; j < 2; j++) {
      assertThat((double) y[j]).isCloseTo(expected[j], within(TOL));
      assertThat(v[j]).isEqualTo(y[j]);
    }
  }

  // ---------------------------------------------------------------- LSTM peepholes

  @Test
  void lstmPeepholesShouldChangeTheOutputForTheSameOtherWeights() {
    // D 3, H 4; same W_ih, W_hh, biases; peepholes (12) only in the first model
    ModelSpec withPeep = ModelSpec.builder(CellType.LSTM, D, 4).peepholes(true).build();
    RnnModel peep = build(withPeep, 121);
    Map<String, Tensor> rest = new HashMap<>(peep.tensors());
    rest.remove("rnn.weight_peep_l0");
    ModelSpec noPeepSpec = withPeep.toBuilder().peepholes(false).build();
    RnnModel plain = RnnModel.create(noPeepSpec, rest, INFO, "test");

    float[][] xs = inputs(122, 6, D);
    float[][] a = peep.forward(xs);
    float[][] b = plain.forward(xs);
    for (int t = 0; t < xs.length; t++) {
      // even step 1 differs: the output gate peeks at the new cell state c'
      assertThat(maxAbsDiff(a[t], b[t])).as("step %d", t).isGreaterThan(1e-4);
    }

    // zero peepholes are exactly no peepholes
    Map<String, Tensor> zeroPeep = new HashMap<>(rest);
    zeroPeep.put("rnn.weight_peep_l0", Tensor.zeros(12));
    float[][] c = RnnModel.create(withPeep, zeroPeep, INFO, "test").forward(xs);
    for (int t = 0; t < xs.length; t++) {
      assertThat(c[t]).as("step %d", t).containsExactly(b[t]);
    }
  }

  // ---------------------------------------------------------------- IRNN

  @Test
  void irnnShouldStartWithIdentityRecurrenceAndZeroBiases() {
    // D 3, H 5
    ModelSpec spec = ModelSpec.builder(CellType.RNN, D, 5).activation(Activation.RELU).build();
    Map<String, Tensor> w = Initializers.irnn(spec, 131, 0.001);

    Tensor whh = w.get("rnn.weight_hh_l0");
    assertThat(whh.shape()).containsExactly(5, 5);
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 5; c++) {
        assertThat(whh.data()[r * 5 + c]).as("W_hh[%d][%d]", r, c).isEqualTo(r == c ? 1f : 0f);
      }
    }
    assertThat(w.get("rnn.bias_ih_l0").data()).containsOnly(0f);
    assertThat(w.get("rnn.bias_hh_l0").data()).containsOnly(0f);

    float[] wih = w.get("rnn.weight_ih_l0").data(); // (5, 3), N(0, 0.001^2)
    assertThat(wih).isNotEqualTo(new float[15]);
    for (float v : wih) {
      assertThat(Math.abs(v)).isLessThan(0.006f); // 6 sigma
    }
  }

  @Test
  void irnnShouldPreserveTheHiddenStateExactlyUnderZeroInput() {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, D, 5).activation(Activation.RELU).build();
    RnnModel model = RnnModel.create(spec, Initializers.irnn(spec, 132, 0.001), INFO, "test");
    RnnState state = model.newState();
    Workspace ws = model.newWorkspace();
    float[][] xs = inputs(133, 4, D);
    for (float[] x : xs) {
      for (int i = 0; i < D; i++) {
        x[i] *= 500f; // W_ih ~ 1e-3, so h ~ 1
      }
      model.step(state, x, 0, ws);
    }
    float[] h = state.values().clone();
    assertThat(maxAbsDiff(h, new float[5]))
        .as("some unit must be active for the test to mean anything")
        .isGreaterThan(0.01);

    float[] zero = new float[D];
    for (int t = 0; t < 50; t++) {
      float[] y = model.step(state, zero, 0, ws);
      assertThat(y).as("output after %d zero inputs", t + 1).containsExactly(h);
    }
    assertThat(state.values()).containsExactly(h);
  }

  @Test
  void irnnInitialisationShouldRejectOtherCells() {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, D, 4).build();
    assertThatThrownBy(() -> Initializers.irnn(spec, 1, 0.001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gru");
  }

  @Test
  void uniformInitialisationShouldBeSeededAndBounded() {
    // bound = gain / sqrt(H) = 1.5 / 2
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, 4).build();
    Map<String, Tensor> a = Initializers.uniform(spec, 5, 1.5);
    Map<String, Tensor> b = Initializers.uniform(spec, 5, 1.5);
    Map<String, Tensor> c = Initializers.uniform(spec, 6, 1.5);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    for (Tensor t : a.values()) {
      for (float v : t.data()) {
        assertThat(Math.abs(v)).isLessThanOrEqualTo(0.75f);
      }
    }
  }
}
