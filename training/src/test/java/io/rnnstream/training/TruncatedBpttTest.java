package io.rnnstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Truncated BPTT: the gradient is that of the windows' losses with every window's start state
 * frozen (a constant computed with the current weights), checked against finite differences of
 * exactly that function (eps 1e-6, rel 1e-5, abs 1e-8).
 */
class TruncatedBpttTest {
  private static final int T = 10;
  private static final int K = 4; // windows [0,4) [4,8) [8,10)

  static Stream<Arguments> specs() {
    return Stream.of(
        ModelSpec.builder(CellType.LSTM, 3, 4).peepholes(true).pooling(Pooling.ATTENTION)
            .head(3, Activation.IDENTITY).build(),
        ModelSpec.builder(CellType.CLOCKWORK, 3, 6).clockPeriods(1, 2, 3).numLayers(2)
            .pooling(Pooling.MEAN).head(3, Activation.IDENTITY).build(),
        ModelSpec.builder(CellType.JORDAN, 3, 4).feedback(3, Activation.TANH)
            .pooling(Pooling.LAST).head(3, Activation.IDENTITY).build(),
        ModelSpec.builder(CellType.SCRN, 3, 4).context(2, 0.7f).head(3, Activation.IDENTITY)
            .build())
        .map(s -> Arguments.of(GradCheck.describe(s), s));
  }

  /** Start state of every window, computed once with the unperturbed weights. */
  private static TrainState[] frozenStarts(TrainableModel m, double[][] xs) {
    TrainState[] starts = new TrainState[(T + K - 1) / K];
    TrainState s = null;
    for (int w = 0; w < starts.length; w++) {
      starts[w] = s;
      int from = w * K;
      s = SequenceTape.forward(m, Arrays.copyOfRange(xs, from, Math.min(T, from + K)), s)
          .finalState();
    }
    return starts;
  }

  /** Sum over windows of each window's loss, from the frozen starts. */
  private static double truncatedObjective(
      TrainableModel m, double[][] xs, TrainState[] starts, OutputLoss loss) {
    double total = 0;
    for (int w = 0; w < starts.length; w++) {
      int from = w * K;
      int to = Math.min(T, from + K);
      double[][] y = SequenceTape.forward(m, Arrays.copyOfRange(xs, from, to), starts[w])
          .outputs();
      total += loss.evaluate(y, from, T, new double[y.length][y[0].length]);
    }
    return total;
  }

  private static void checkTruncated(ModelSpec spec, OutputLoss loss, String what) {
    TrainableModel m = GradCheck.model(spec, 51);
    double[][] xs = GradCheck.randomInputs(52, T, 3);
    Gradients g = m.newGradients();
    double value = Bptt.accumulate(m, Example.of(xs, loss), K, g);
    TrainState[] starts = frozenStarts(m, xs);
    assertThat(value).isEqualTo(truncatedObjective(m, xs, starts, loss));
    GradCheck.checkParameters(m, g, mm -> truncatedObjective(mm, xs, starts, loss), what);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void shouldGiveTheGradientOfTheLastWindowOnlyForManyToOne(String name, ModelSpec spec) {
    checkTruncated(spec, Losses.softmaxCrossEntropy(1), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void shouldSumTheWindowGradientsForPerStepLosses(String name, ModelSpec spec) {
    checkTruncated(spec, Losses.softmaxCrossEntropyPerStep(new int[] {0, 1, 2, 0, -1, 1, 1, 2,
        0, 2}), name);
  }

  @Test
  void shouldDifferFromFullBpttOnlyByTheCutGradient() {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 3, 4).head(3, Activation.IDENTITY).build();
    TrainableModel m = GradCheck.model(spec, 53);
    Example ex = Example.of(GradCheck.randomInputs(54, T, 3), Losses.softmaxCrossEntropy(2));
    Gradients full = m.newGradients();
    Gradients whole = m.newGradients();
    Gradients beyond = m.newGradients();
    Gradients truncated = m.newGradients();
    double l0 = Bptt.accumulate(m, ex, 0, full);
    double l1 = Bptt.accumulate(m, ex, T, whole);
    Bptt.accumulate(m, ex, 3 * T, beyond);
    double l2 = Bptt.accumulate(m, ex, K, truncated);
    assertThat(l1).isEqualTo(l0);
    assertThat(l2).as("truncation changes gradients, not the forward").isEqualTo(l0);
    for (String n : m.names()) {
      assertThat(whole.get(n)).containsExactly(full.get(n));
      assertThat(beyond.get(n)).containsExactly(full.get(n));
    }
    // input weights see the last window only; the full gradient has more to it
    assertThat(truncated.get("rnn.weight_ih_l0")).isNotEqualTo(full.get("rnn.weight_ih_l0"));
    // the head is after the cut: identical
    assertThat(truncated.get("head.weight")).containsExactly(full.get("head.weight"));
  }

  @Test
  void shouldRefuseTruncationForBidirectionalModels() {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 3, 4).bidirectional(true).build();
    TrainableModel m = GradCheck.model(spec, 55);
    Example ex = Example.of(GradCheck.randomInputs(56, T, 3), GradCheck.probe(1, T, 8));
    assertThatThrownBy(() -> Bptt.accumulate(m, ex, K, m.newGradients()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole segments");
    Bptt.accumulate(m, ex, 0, m.newGradients()); // full BPTT is fine
  }
}
