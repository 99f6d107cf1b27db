package io.rnnstream.models.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CtcLoss} against PyTorch's {@code nn.CTCLoss} (fixtures written by
 * {@code models/src/test/python/make_ctc_fixtures.py}, float64: tolerance 1e-9 relative + 1e-10
 * absolute), against a brute-force sum over all C^T paths, and its gradients against central
 * finite differences (step 1e-5, tolerance 1e-6).
 */
class CtcLossTest {
  static final Path FIXTURE = Path.of("src/test/resources/ctc/ctc_loss.json");
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  static Stream<Arguments> torchCases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    JSON.readTree(FIXTURE.toFile()).get("cases")
        .forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
    return cases.stream();
  }

  static double[][] matrix(JsonNode node) {
    double[][] m = new double[node.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new double[node.get(i).size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = node.get(i).get(j).asDouble();
      }
    }
    return m;
  }

  static int[] ints(JsonNode node) {
    int[] a = new int[node.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = node.get(i).asInt();
    }
    return a;
  }

  static void assertClose(double[][] actual, double[][] expected, double rel, double abs,
      String what) {
    assertThat(actual.length).as(what + " rows").isEqualTo(expected.length);
    for (int t = 0; t < expected.length; t++) {
      for (int k = 0; k < expected[t].length; k++) {
        double e = expected[t][k];
        assertThat(actual[t][k]).as("%s[%d][%d]", what, t, k)
            .isCloseTo(e, within(rel * Math.abs(e) + abs));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torchCases")
  void shouldMatchPyTorchCtcLossAndGradients(String name, JsonNode fixture) {
    int blank = fixture.get("blank").asInt();
    int[] labels = ints(fixture.get("labels"));
    double[][] logp = matrix(fixture.get("logp"));
    double expectedLoss = fixture.get("loss").asDouble();

    CtcLoss.Result r = CtcLoss.forwardBackward(logp, labels, blank);

    assertThat(CtcLoss.negLogLikelihood(logp, labels, blank)).as(name).isEqualTo(r.loss());
    if (Double.isInfinite(expectedLoss)) {
      assertThat(r.loss()).as(name).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(r.impossible()).isTrue();
      assertThat(fixture.get("torch_grad_nan").asBoolean()).as("PyTorch's gradient is NaN").isTrue();
      for (double[] row : r.gradLogits()) {
        assertThat(row).containsOnly(0.0);
      }
      return;
    }
    assertThat(r.loss()).as(name).isCloseTo(expectedLoss, within(1e-9 * expectedLoss + 1e-10));
    double[][] gradLogits = matrix(fixture.get("grad_logits"));
    assertClose(r.gradLogits(), gradLogits, 1e-9, 1e-10, name + " gradLogits");
    // nn.CTCLoss reports softmax - posterior as the gradient for log_probs (it assumes a
    // log_softmax before it); the true d loss / d logp is -posterior = that - exp(logp).
    double[][] torchGradLogp = matrix(fixture.get("torch_grad_logp"));
    assertClose(r.gradLogits(), torchGradLogp, 1e-9, 1e-10, name + " vs torch log_probs.grad");
    double[][] minusPosterior = new double[logp.length][];
    for (int t = 0; t < logp.length; t++) {
      minusPosterior[t] = new double[logp[t].length];
      for (int k = 0; k < logp[t].length; k++) {
        minusPosterior[t][k] = torchGradLogp[t][k] - Math.exp(logp[t][k]);
      }
    }
    assertClose(r.gradLogp(), minusPosterior, 1e-8, 1e-10, name + " gradLogp");
    // fromLogits gives the same from the raw logits
    CtcLoss.Result fromLogits = CtcLoss.fromLogits(matrix(fixture.get("logits")), labels, blank);
    assertThat(fromLogits.loss()).isCloseTo(expectedLoss, within(1e-9 * expectedLoss + 1e-10));
    assertClose(fromLogits.gradLogits(), gradLogits, 1e-9, 1e-10, name + " fromLogits");
  }

  @Test
  void shouldEqualTheSumOverAllPathsIncludingZeroProbabilities() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 60; trial++) {
      int c = 2 + rnd.nextInt(3);
      int t = 1 + rnd.nextInt(5);
      int blank = rnd.nextInt(c);
      double[][] logp = CtcTestSupport.randomLogp(rnd, t, c, 1.5, trial % 3 == 0 ? 0.3 : 0);
      int[] path = new int[t];
      for (int f = 0; f < t; f++) {
        path[f] = rnd.nextInt(c);
      }
      int[] labels = CtcTestSupport.collapse(path, blank);
      double expected = CtcTestSupport.pathSum(logp, labels, blank);
      double actual = -CtcLoss.negLogLikelihood(logp, labels, blank);
      if (expected == Double.NEGATIVE_INFINITY) {
        assertThat(actual).isEqualTo(Double.NEGATIVE_INFINITY);
      } else {
        assertThat(actual).as("trial %d", trial)
            .isCloseTo(expected, within(1e-12 * Math.abs(expected) + 1e-12));
      }
    }
  }

  @Test
  void gradientsShouldMatchCentralFiniteDifferences() {
    SplittableRandom rnd = new SplittableRandom(7);
    double h = 1e-5;
    for (int trial = 0; trial < 12; trial++) {
      int c = 3 + rnd.nextInt(3);
      int t = 4 + rnd.nextInt(6);
      int blank = rnd.nextInt(c);
      double[][] logits = new double[t][c];
      for (double[] row : logits) {
        for (int k = 0; k < c; k++) {
          row[k] = CtcTestSupport.gaussian(rnd) * 2;
        }
      }
      int[] labels = feasibleLabels(rnd, t, c, blank);
      double[][] logp = CtcLoss.logSoftmax(logits);
      CtcLoss.Result r = CtcLoss.forwardBackward(logp, labels, blank);
      assertThat(r.impossible()).isFalse();
      for (int f = 0; f < t; f++) {
        for (int k = 0; k < c; k++) {
          // d loss / d logp[f][k], logp entries as free inputs (rows not renormalised)
          double[][] plus = copy(logp);
          double[][] minus = copy(logp);
          plus[f][k] += h;
          minus[f][k] -= h;
          double fd = (CtcLoss.negLogLikelihood(plus, labels, blank)
              - CtcLoss.negLogLikelihood(minus, labels, blank)) / (2 * h);
          assertThat(r.gradLogp()[f][k]).as("gradLogp[%d][%d] trial %d", f, k, trial)
              .isCloseTo(fd, within(1e-6));
          // d loss / d logits[f][k] through log_softmax
          double[][] lplus = copy(logits);
          double[][] lminus = copy(logits);
          lplus[f][k] += h;
          lminus[f][k] -= h;
          double fdLogits = (CtcLoss.fromLogits(lplus, labels, blank).loss()
              - CtcLoss.fromLogits(lminus, labels, blank).loss()) / (2 * h);
          assertThat(r.gradLogits()[f][k]).as("gradLogits[%d][%d] trial %d", f, k, trial)
              .isCloseTo(fdLogits, within(1e-6));
        }
      }
    }
  }

  @Test
  void posteriorRowsShouldSumToOne() {
    SplittableRandom rnd = new SplittableRandom(3);
    double[][] logp = CtcTestSupport.randomLogp(rnd, 9, 4, 2, 0);
    CtcLoss.Result r = CtcLoss.forwardBackward(logp, new int[] {1, 1, 3}, 0);
    for (double[] row : r.posterior()) {
      assertThat(java.util.Arrays.stream(row).sum()).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void shouldHandleEmptyLabelsRepeatsAndImpossibleAlignments() {
    SplittableRandom rnd = new SplittableRandom(5);
    double[][] logp = CtcTestSupport.randomLogp(rnd, 4, 3, 1, 0);
    double blanks = 0;
    for (double[] row : logp) {
      blanks += row[0];
    }
    assertThat(CtcLoss.negLogLikelihood(logp, new int[0])).isCloseTo(-blanks, within(1e-12));
    // "aa" needs a blank between: 3 frames ok, 2 impossible; "ab" fits in 2
    assertThat(CtcLoss.negLogLikelihood(java.util.Arrays.copyOf(logp, 3), new int[] {1, 1}))
        .isFinite();
    assertThat(CtcLoss.negLogLikelihood(java.util.Arrays.copyOf(logp, 2), new int[] {1, 1}))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(CtcLoss.negLogLikelihood(java.util.Arrays.copyOf(logp, 2), new int[] {1, 2}))
        .isFinite();
    // T = 0
    assertThat(CtcLoss.negLogLikelihood(new double[0][], new int[0])).isZero();
    assertThat(CtcLoss.negLogLikelihood(new double[0][], new int[] {1}))
        .isEqualTo(Double.POSITIVE_INFINITY);
    // every alignment through a zero probability
    double[][] zero = copy(logp);
    for (double[] row : zero) {
      row[1] = Double.NEGATIVE_INFINITY;
    }
    CtcLoss.Result r = CtcLoss.forwardBackward(zero, new int[] {1}, 0);
    assertThat(r.loss()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(r.gradLogp()[0]).containsOnly(0.0);
    // a -Infinity entry off the labels' alignments leaves the gradient finite
    CtcLoss.Result ok = CtcLoss.forwardBackward(zero, new int[] {2}, 0);
    assertThat(ok.loss()).isFinite();
    for (double[] row : ok.gradLogits()) {
      for (double v : row) {
        assertThat(v).isFinite();
      }
    }
  }

  @Test
  void shouldRejectBadInputsNamingThem() {
    double[][] logp = {{-1, -1, -1}};
    assertThatThrownBy(() -> CtcLoss.negLogLikelihood(logp, new int[] {0}))
        .hasMessageContaining("labels[0] = 0");
    assertThatThrownBy(() -> CtcLoss.negLogLikelihood(logp, new int[] {3}))
        .hasMessageContaining("labels[0] = 3");
    assertThatThrownBy(() -> CtcLoss.negLogLikelihood(logp, new int[] {1}, 3))
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> CtcLoss.negLogLikelihood(new double[][] {{-1, Double.NaN}},
        new int[0])).hasMessageContaining("NaN");
    assertThatThrownBy(() -> CtcLoss.negLogLikelihood(new double[][] {{-1, -1}, {-1}},
        new int[0])).hasMessageContaining("logp[1] has 1 classes");
  }

  /** Random labels (never the blank) short enough to align in t frames. */
  private static int[] feasibleLabels(SplittableRandom rnd, int t, int c, int blank) {
    List<Integer> labels = new ArrayList<>();
    int needed = 0;
    while (true) {
      int k = rnd.nextInt(c);
      if (k == blank) {
        continue;
      }
      int extra = !labels.isEmpty() && labels.get(labels.size() - 1) == k ? 2 : 1;
      if (needed + extra > t || rnd.nextInt(4) == 0) {
        break;
      }
      labels.add(k);
      needed += extra;
    }
    return labels.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }
}
