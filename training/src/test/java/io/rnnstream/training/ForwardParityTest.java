package io.rnnstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.HeadSpec;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The double-precision training forward agrees with the float32 inference model
 * ({@link RnnModel#forward}, {@link RnnModel#step}) on the same weights: |double - float| <= 1e-5
 * * max(|float|, 0.1) per output: relative, with a floor for outputs near zero, which are sums of
 * O(1) terms that cancel, so float32 carries only ~1e-7 absolute accuracy there.
 */
class ForwardParityTest {
  private static final double REL = 1e-5;
  private static final double FLOOR = 0.1;
  private static final int T = 12;
  private static final ModelInfo INFO = ModelInfo.named("parity", 1);

  static Stream<Arguments> specs() {
    List<Arguments> out = new ArrayList<>();
    Pooling[] poolings = Pooling.values();
    Activation[] heads = {Activation.IDENTITY, Activation.SOFTMAX, Activation.SIGMOID,
        Activation.TANH, Activation.RELU};
    int i = 0;
    for (ModelSpec.Builder b : GradCheck.cellVariants()) {
      ModelSpec plain = b.build();
      out.add(Arguments.of(GradCheck.describe(plain), plain));
      ModelSpec deep = plain.toBuilder().numLayers(2 + i % 2).pooling(poolings[i % 4])
          .head(new HeadSpec(3, heads[i % heads.length], i % 3 != 0)).build();
      out.add(Arguments.of(GradCheck.describe(deep), deep));
      ModelSpec bi = plain.toBuilder().numLayers(2).bidirectional(true)
          .pooling(poolings[(i + 1) % 4]).head(new HeadSpec(2, heads[(i + 2) % 5], true)).build();
      out.add(Arguments.of(GradCheck.describe(bi), bi));
      i++;
    }
    return out.stream();
  }

  private static void assertClose(double[][] actual, float[][] expected, String what) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int t = 0; t < expected.length; t++) {
      assertThat(actual[t].length).isEqualTo(expected[t].length);
      for (int j = 0; j < expected[t].length; j++) {
        double e = expected[t][j];
        assertThat(Math.abs(actual[t][j] - e))
            .as("%s y[%d][%d]: double %s vs float %s", what, t, j, actual[t][j], e)
            .isLessThanOrEqualTo(REL * Math.max(Math.abs(e), FLOOR));
      }
    }
  }

  private static float[][] toFloat(double[][] xs) {
    float[][] f = new float[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      f[t] = DMath.toFloat(xs[t]);
    }
    return f;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void shouldAgreeWithTheFloatInferenceModel(String name, ModelSpec spec) {
    TrainableModel m = GradCheck.model(spec, 31);
    RnnModel served = m.toModel(INFO);
    double[][] xs = GradCheck.randomInputs(32, T, spec.inputSize());

    double[][] y = SequenceTape.forward(m, xs).outputs();

    assertClose(y, served.forward(toFloat(xs)), name);
  }

  @Test
  void shouldAgreeWithInferenceOnTokenModels() {
    for (boolean bi : new boolean[] {false, true}) {
      ModelSpec spec = ModelSpec.builder(CellType.GRU, 4, 5).vocabSize(9).bidirectional(bi)
          .pooling(Pooling.ATTENTION).head(3, Activation.SOFTMAX).build();
      TrainableModel m = GradCheck.model(spec, 33);
      int[] ids = {1, 8, 0, 4, 4, 2, 7};
      assertClose(SequenceTape.forwardTokens(m, ids).outputs(),
          m.toModel(INFO).forwardTokens(ids), "tokens bi=" + bi);
    }
  }

  @Test
  void shouldCarryStateLikeIncrementalInference() {
    // windows of 5 steps chained through finalState == one inference stream of 15 steps,
    // including the clockwork clock and the pooling accumulators
    for (ModelSpec spec : new ModelSpec[] {
        ModelSpec.builder(CellType.CLOCKWORK, 3, 6).clockPeriods(1, 2, 4).numLayers(2)
            .pooling(Pooling.MEAN).head(2, Activation.IDENTITY).build(),
        ModelSpec.builder(CellType.LSTM, 3, 4).peepholes(true).pooling(Pooling.ATTENTION)
            .head(2, Activation.SOFTMAX).build(),
        ModelSpec.builder(CellType.JORDAN, 3, 4).feedback(2, Activation.TANH).build()}) {
      TrainableModel m = GradCheck.model(spec, 34);
      RnnModel served = m.toModel(INFO);
      double[][] xs = GradCheck.randomInputs(35, 15, 3);
      float[][] expected = served.forward(toFloat(xs));
      TrainState state = null;
      for (int from = 0; from < 15; from += 5) {
        SequenceTape tape = SequenceTape.forward(m,
            java.util.Arrays.copyOfRange(xs, from, from + 5), state);
        assertClose(tape.outputs(), java.util.Arrays.copyOfRange(expected, from, from + 5),
            spec.cell().id() + " window at " + from);
        state = tape.finalState();
      }
      assertThat(state.steps()).isEqualTo(15);
      // the carried state continues in the inference model, and comes back
      RnnState rs = state.toRnnState();
      assertThat(TrainState.fromRnnState(spec, rs).toRnnState()).isEqualTo(rs);
      Workspace ws = served.newWorkspace();
      float[] next = served.step(rs, DMath.toFloat(xs[0]), 0, ws).clone();
      double[][] viaTape = SequenceTape.forward(m, new double[][] {xs[0]}, state).outputs();
      assertClose(viaTape, new float[][] {next}, spec.cell().id() + " continued");
    }
  }

  @Test
  void shouldIgnoreMaskedClockworkWeightsLikeTheInferenceCell() {
    // uniform init fills W_hh everywhere; the inference cell masks it when built
    ModelSpec spec = ModelSpec.builder(CellType.CLOCKWORK, 3, 6).clockPeriods(1, 3, 5)
        .bidirectional(true).head(2, Activation.IDENTITY).build();
    RnnModel served = RnnModel.create(spec,
        io.rnnstream.models.model.Initializers.uniform(spec, 37, 1.5), INFO, "test");
    // W_hh[2][0]: row in module 1, column in module 0 -> masked
    assertThat(served.tensors().get("rnn.weight_hh_l0").data()[12]).isNotZero();
    TrainableModel m = TrainableModel.fromModel(served);
    assertThat(m.param("rnn.weight_hh_l0")[12]).isZero();
    double[][] xs = GradCheck.randomInputs(38, 11, 3);
    assertClose(SequenceTape.forward(m, xs).outputs(), served.forward(toFloat(xs)), "clockwork");
  }

  @Test
  void shouldRoundTripWeightsThroughTheServedModel() {
    ModelSpec spec = ModelSpec.builder(CellType.SCRN, 3, 4).context(2, 0.9f)
        .head(2, Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 36);
    TrainableModel back = TrainableModel.fromModel(m.toModel(INFO));
    for (String name : m.names()) {
      assertThat(back.param(name)).as(name).containsExactly(m.param(name));
      assertThat(back.shape(name)).isEqualTo(m.shape(name));
    }
  }
}
