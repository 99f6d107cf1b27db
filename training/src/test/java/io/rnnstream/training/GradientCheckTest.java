package io.rnnstream.training;

import static io.rnnstream.training.GradCheck.D;
import static io.rnnstream.training.GradCheck.REL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.HeadSpec;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backward passes against central finite differences (eps 1e-6, double precision) on
 * {@code L = sum_t r_t . y_t} with random r, over every parameter entry and every input entry.
 * Tolerance: |analytic - numeric| <= 1e-5 * max(|analytic|, |numeric|) + 1e-8.
 */
class GradientCheckTest {
  private static final int T = 6;

  private static Stream<Arguments> specs(int layers, boolean bidirectional, HeadSpec head,
      Pooling pooling) {
    List<Arguments> out = new ArrayList<>();
    for (ModelSpec.Builder b : GradCheck.cellVariants()) {
      ModelSpec s = b.numLayers(layers).bidirectional(bidirectional).head(head).pooling(pooling)
          .build();
      out.add(Arguments.of(GradCheck.describe(s), s));
    }
    return out.stream();
  }

  static Stream<Arguments> singleLayer() {
    return specs(1, false, null, Pooling.NONE);
  }

  static Stream<Arguments> stacked() {
    HeadSpec head = new HeadSpec(2, Activation.IDENTITY, true);
    return Stream.concat(specs(2, false, head, Pooling.NONE), specs(3, false, head, Pooling.LAST));
  }

  static Stream<Arguments> bidirectional() {
    return Stream.concat(
        specs(1, true, null, Pooling.NONE),
        specs(2, true, new HeadSpec(3, Activation.SOFTMAX, true), Pooling.NONE));
  }

  private static GradCheck.Report check(ModelSpec spec, long seed) {
    TrainableModel m = GradCheck.model(spec, seed);
    double[][] xs = GradCheck.randomInputs(seed + 1, T, spec.inputSize());
    return GradCheck.checkDense(m, xs, GradCheck.probe(seed + 2, T, spec.outputSize()),
        GradCheck.describe(spec));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleLayer")
  void shouldMatchFiniteDifferencesForEveryCell(String name, ModelSpec spec) {
    GradCheck.Report r = check(spec, 11);
    assertThat(r.checked()).isGreaterThan(30);
    assertThat(r.maxRelError()).isLessThanOrEqualTo(REL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stacked")
  void shouldMatchFiniteDifferencesForStackedLayers(String name, ModelSpec spec) {
    check(spec, 12);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bidirectional")
  void shouldMatchFiniteDifferencesForBidirectionalLayers(String name, ModelSpec spec) {
    check(spec, 13);
  }

  @ParameterizedTest(name = "head {0}")
  @EnumSource(Activation.class)
  void shouldMatchFiniteDifferencesForEveryHeadActivation(Activation activation) {
    for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU}) {
      for (boolean bias : new boolean[] {true, false}) {
        check(ModelSpec.builder(cell, D, 4).head(new HeadSpec(3, activation, bias)).build(), 14);
      }
    }
  }

  @ParameterizedTest(name = "pooling {0}")
  @EnumSource(Pooling.class)
  void shouldMatchFiniteDifferencesForEveryPooling(Pooling pooling) {
    check(ModelSpec.builder(CellType.GRU, D, 4).pooling(pooling)
        .head(2, Activation.IDENTITY).build(), 15);
    check(ModelSpec.builder(CellType.LSTM, D, 3).pooling(pooling).build(), 16); // no head
    check(ModelSpec.builder(CellType.RNN, D, 3).numLayers(2).bidirectional(true).pooling(pooling)
        .head(2, Activation.SOFTMAX).build(), 17);
    check(ModelSpec.builder(CellType.SCRN, D, 3).context(2, 0.5f).pooling(pooling)
        .head(2, Activation.SIGMOID).build(), 18);
  }

  @Test
  void shouldMatchFiniteDifferencesThroughTheEmbedding() {
    for (boolean bidirectional : new boolean[] {false, true}) {
      ModelSpec spec = ModelSpec.builder(CellType.LSTM, 3, 4).vocabSize(7)
          .bidirectional(bidirectional).pooling(Pooling.MEAN).head(2, Activation.IDENTITY).build();
      TrainableModel m = GradCheck.model(spec, 21);
      int[] ids = {3, 0, 6, 3, 3, 1};
      OutputLoss loss = GradCheck.probe(22, ids.length, 2);
      SequenceTape tape = SequenceTape.forwardTokens(m, ids);
      double[][] y = tape.outputs();
      double[][] dy = new double[y.length][2];
      loss.evaluate(y, 0, ids.length, dy);
      Gradients g = m.newGradients();
      tape.backward(dy, g);
      GradCheck.Report r = GradCheck.checkParameters(m, g, mm -> {
        double[][] yy = SequenceTape.forwardTokens(mm, ids).outputs();
        return loss.evaluate(yy, 0, ids.length, new double[yy.length][2]);
      }, "embedding bi=" + bidirectional);
      assertThat(r.checked()).isEqualTo(m.size());
      // rows of ids never seen get no gradient
      double[] de = g.get("embedding.weight");
      for (int j = 0; j < 3; j++) {
        assertThat(de[2 * 3 + j]).isZero();
        assertThat(de[4 * 3 + j]).isZero();
      }
    }
  }

  @Test
  void shouldGiveZeroGradientToMaskedClockworkWeights() {
    ModelSpec spec = ModelSpec.builder(CellType.CLOCKWORK, D, 6).clockPeriods(1, 2, 4).build();
    TrainableModel m = GradCheck.model(spec, 23);
    double[][] xs = GradCheck.randomInputs(24, 9, D);
    SequenceTape tape = SequenceTape.forward(m, xs);
    double[][] dy = new double[9][6];
    GradCheck.probe(25, 9, 6).evaluate(tape.outputs(), 0, 9, dy);
    Gradients g = m.newGradients();
    tape.backward(dy, g);
    double[] w = m.param("rnn.weight_hh_l0");
    double[] dw = g.get("rnn.weight_hh_l0");
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 6; c++) {
        if (c / 2 < r / 2) {
          assertThat(w[r * 6 + c]).as("masked W_hh[%d][%d]", r, c).isZero();
          assertThat(dw[r * 6 + c]).as("masked dW_hh[%d][%d]", r, c).isZero();
        } else {
          assertThat(dw[r * 6 + c]).as("unmasked dW_hh[%d][%d]", r, c).isNotZero();
        }
      }
    }
  }
}
