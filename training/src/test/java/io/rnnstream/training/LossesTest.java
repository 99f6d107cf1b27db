package io.rnnstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every loss: values, and gradients through a model against finite differences. */
class LossesTest {
  private static final int T = 7;

  static Stream<Arguments> losses() {
    double[][] bceTargets = new double[T][];
    double[][] mseTargets = new double[T][];
    for (int t = 0; t < T; t++) {
      bceTargets[t] = t % 3 == 1 ? null : new double[] {t % 2, 0.25, 1};
      mseTargets[t] = t == 2 ? null : new double[] {0.1 * t, -0.5, 2};
    }
    return Map.<String, OutputLoss>of(
        "softmax CE many-to-one", Losses.softmaxCrossEntropy(2),
        "softmax CE per step", Losses.softmaxCrossEntropyPerStep(new int[] {0, -1, 2, 1, 1, -1, 0}),
        "sigmoid BCE many-to-one", Losses.sigmoidBinaryCrossEntropy(new double[] {1, 0, 0.5}),
        "sigmoid BCE per step", Losses.sigmoidBinaryCrossEntropyPerStep(bceTargets),
        "MSE per step", Losses.meanSquaredError(mseTargets),
        "MSE last", Losses.meanSquaredErrorLast(new double[] {1, -1, 0.5}))
        .entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void shouldMatchFiniteDifferencesThroughAModel(String name, OutputLoss loss) {
    for (Pooling pooling : new Pooling[] {Pooling.NONE, Pooling.ATTENTION}) {
      ModelSpec spec = ModelSpec.builder(CellType.LSTM, 3, 4).peepholes(true).pooling(pooling)
          .head(3, Activation.IDENTITY).build();
      TrainableModel m = GradCheck.model(spec, 41);
      GradCheck.checkDense(m, GradCheck.randomInputs(42, T, 3), loss, name + " " + pooling);
    }
  }

  @Test
  void softmaxCrossEntropyShouldBeMinusLogOfTheServedSoftmaxProbability() {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 3, 5).pooling(Pooling.MEAN)
        .head(4, Activation.IDENTITY).build();
    TrainableModel m = GradCheck.model(spec, 43);
    double[][] xs = GradCheck.randomInputs(44, T, 3);
    double loss = GradCheck.loss(m, xs, Losses.softmaxCrossEntropy(3));

    RnnModel served = Serving.softmaxHead(m.toModel(ModelInfo.named("ce", 1)));
    float[][] xf = new float[T][];
    for (int t = 0; t < T; t++) {
      xf[t] = DMath.toFloat(xs[t]);
    }
    float[] p = served.forward(xf)[T - 1];

    assertThat(served.spec().head().activation()).isEqualTo(Activation.SOFTMAX);
    assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1f, within(1e-6f));
    assertThat(loss).isCloseTo(-Math.log(p[3]), within(1e-5));
  }

  @Test
  void binaryCrossEntropyShouldBeStableForHugeLogits() {
    OutputLoss bce = Losses.sigmoidBinaryCrossEntropy(new double[] {1, 0});
    double[][] dy = new double[1][2];
    double loss = bce.evaluate(new double[][] {{-800, 800}}, 0, 1, dy);
    assertThat(loss).isCloseTo(1600, within(1e-9));
    assertThat(dy[0]).containsExactly(-1, 1);
    OutputLoss ce = Losses.softmaxCrossEntropy(0);
    double[][] dz = new double[1][2];
    assertThat(ce.evaluate(new double[][] {{0, 1000}}, 0, 1, dz)).isCloseTo(1000, within(1e-9));
    assertThat(dz[0]).containsExactly(-1, 1);
  }

  @Test
  void perStepLossesShouldAverageOverLabelledStepsAndSplitAcrossWindows() {
    OutputLoss ce = Losses.softmaxCrossEntropyPerStep(new int[] {0, -1, 1, 1});
    double[][] y = {{0, 0}, {5, -5}, {0, 0}, {0, 0}};
    double whole = ce.evaluate(y, 0, 4, new double[4][2]);
    assertThat(whole).isCloseTo(Math.log(2), within(1e-12)); // 3 labelled steps, each log 2
    double split = ce.evaluate(new double[][] {y[0], y[1]}, 0, 4, new double[2][2])
        + ce.evaluate(new double[][] {y[2], y[3]}, 2, 4, new double[2][2]);
    assertThat(split).isCloseTo(whole, within(1e-15));
  }

  @Test
  void shouldRejectMismatchedTargets() {
    assertThatThrownBy(() -> Losses.softmaxCrossEntropyPerStep(new int[] {0, 1})
        .evaluate(new double[3][2], 0, 3, new double[3][2]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 steps");
    assertThatThrownBy(() -> Losses.softmaxCrossEntropy(5)
        .evaluate(new double[1][2], 0, 1, new double[1][2]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 5");
    assertThatThrownBy(() -> OutputLoss.requireWholeSequence(new double[2][1], 2, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("full BPTT");
  }

  /**
   * A loss that is not a sum over steps (like CTC): L = -log sum_t softmax(y_t)[1], i.e. "class
   * 1 somewhere". It only supplies dL/dy per step, and plugs into backward and the trainer.
   */
  private static final OutputLoss SOMEWHERE = (y, from, length, dy) -> {
    OutputLoss.requireWholeSequence(y, from, length);
    double[] lp = new double[y.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < y.length; t++) {
      lp[t] = Losses.logSoftmax(y[t])[1];
      max = Math.max(max, lp[t]);
    }
    double sum = 0;
    for (double v : lp) {
      sum += Math.exp(v - max);
    }
    double lse = max + Math.log(sum);
    for (int t = 0; t < y.length; t++) {
      double post = Math.exp(lp[t] - lse); // d lse / d lp_t
      double[] p = Losses.logSoftmax(y[t]);
      for (int j = 0; j < y[t].length; j++) {
        // d lp_t / d y_tj = onehot(1)_j - softmax_j
        dy[t][j] = -post * ((j == 1 ? 1 : 0) - Math.exp(p[j]));
      }
    }
    return -lse;
  };

  @Test
  void shouldLetAWholeSequenceLossLikeCtcPlugIn() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 3, 4).head(3, Activation.IDENTITY).build();
    TrainableModel m = GradCheck.model(spec, 45);
    double[][] xs = GradCheck.randomInputs(46, T, 3);
    GradCheck.checkDense(m, xs, SOMEWHERE, "whole-sequence loss");

    Trainer full = Trainer.builder(m, Adam.builder(0.05).build()).build();
    double before = full.evaluate(java.util.List.of(Example.of(xs, SOMEWHERE)));
    for (int i = 0; i < 20; i++) {
      full.trainBatch(java.util.List.of(Example.of(xs, SOMEWHERE)));
    }
    assertThat(full.evaluate(java.util.List.of(Example.of(xs, SOMEWHERE)))).isLessThan(before);
    Trainer truncated = Trainer.builder(m, Adam.builder(0.05).build()).window(3).build();
    assertThatThrownBy(() -> truncated.trainBatch(java.util.List.of(Example.of(xs, SOMEWHERE))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole sequence");
  }

  @Test
  void servingShouldOnlyConvertLogitsHeads() {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 2, 2).head(2, Activation.SOFTMAX).build();
    RnnModel m = TrainableModel.fromInit(spec, 1).toModel(ModelInfo.named("s", 1));
    assertThatThrownBy(() -> Serving.softmaxHead(m))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits head");
    assertThat(Serving.withHeadActivation(m, Activation.SIGMOID).spec().head().activation())
        .isEqualTo(Activation.SIGMOID);
    ModelSpec logits = spec.toBuilder().head(2, Activation.IDENTITY).build();
    RnnModel served = Serving.sigmoidHead(
        TrainableModel.fromInit(logits, 1).toModel(ModelInfo.named("s", 1)));
    assertThat(served.spec().head().activation()).isEqualTo(Activation.SIGMOID);
    assertThat(served.tensors()).isEqualTo(m.tensors());
  }
}
