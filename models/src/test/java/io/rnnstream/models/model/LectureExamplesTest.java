package io.rnnstream.models.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of the RNN lecture the cells come from, through the public API. */
class LectureExamplesTest {

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  @Test
  void allOnesLinearRnnGives4Then12Then32() {
    // 2 inputs, 2 hidden units, 2 outputs; every weight 1, no bias, linear activations.
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 2, 2)
        .activation(Activation.IDENTITY).bias(false)
        .head(new HeadSpec(2, Activation.IDENTITY, false)).build();
    RnnModel model = RnnModel.create(spec, Map.of(
        "rnn.weight_ih_l0", Tensor.matrix(2, 2, ones(4)),
        "rnn.weight_hh_l0", Tensor.matrix(2, 2, ones(4)),
        "head.weight", Tensor.matrix(2, 2, ones(4))), ModelInfo.named("lecture", 1), "test");

    float[][] y = model.forward(new float[][] {{1, 1}, {1, 1}, {2, 2}});

    assertThat(y[0]).containsExactly(4f, 4f);
    assertThat(y[1]).containsExactly(12f, 12f);
    assertThat(y[2]).containsExactly(32f, 32f);
  }

  @Test
  void changingTheOrderChangesTheOutput() {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 2, 2)
        .activation(Activation.IDENTITY).bias(false)
        .head(new HeadSpec(2, Activation.IDENTITY, false)).build();
    RnnModel model = RnnModel.create(spec, Map.of(
        "rnn.weight_ih_l0", Tensor.matrix(2, 2, ones(4)),
        "rnn.weight_hh_l0", Tensor.matrix(2, 2, ones(4)),
        "head.weight", Tensor.matrix(2, 2, ones(4))), ModelInfo.named("lecture", 1), "test");

    float[][] y = model.forward(new float[][] {{2, 2}, {1, 1}, {1, 1}});

    assertThat(y[2][0]).isNotEqualTo(32f);
  }

  /**
   * The lecture's LSTM: one memory cell, input z = x1, input gate 100 x2 - 10, forget gate
   * 100 x2 + 10, output gate 100 x3 - 10, linear g and h. x2 = 1 adds x1 to the memory,
   * x2 = -1 resets it, x3 = 1 outputs it.
   */
  static RnnModel lectureLstm() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 3, 1)
        .candidateActivation(Activation.IDENTITY).cellActivation(Activation.IDENTITY).build();
    float[] wIh = {
      0, 100, 0, // i
      0, 100, 0, // f
      1, 0, 0, // g
      0, 0, 100 // o
    };
    return RnnModel.create(spec, Map.of(
        "rnn.weight_ih_l0", Tensor.matrix(4, 3, wIh),
        "rnn.weight_hh_l0", Tensor.zeros(4, 1),
        "rnn.bias_ih_l0", Tensor.vector(-10, 10, 0, -10),
        "rnn.bias_hh_l0", Tensor.zeros(4)), ModelInfo.named("lecture-lstm", 1), "test");
  }

  private static float[] run(RnnModel model, float[][] columns) {
    int steps = columns[0].length;
    float[][] xs = new float[steps][3];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < 3; i++) {
        xs[t][i] = columns[i][t];
      }
    }
    float[][] y = model.forward(xs);
    float[] out = new float[steps];
    for (int t = 0; t < steps; t++) {
      out[t] = y[t][0];
    }
    return out;
  }

  @Test
  void lstmMemoryExampleNineSteps() {
    float[] y = run(lectureLstm(), new float[][] {
      {1, 3, 2, 4, 2, 1, 3, 6, 1},
      {0, 1, 0, 1, 0, 0, -1, 1, 0},
      {0, 0, 0, 0, 0, 1, 0, 0, 1}});
    float[] expected = {0, 0, 0, 0, 0, 7, 0, 0, 6};
    for (int t = 0; t < expected.length; t++) {
      assertThat(y[t]).as("y at step %d", t + 1).isCloseTo(expected[t], within(1e-2f));
    }
  }

  @Test
  void lstmMemoryExampleFiveSteps() {
    float[] y = run(lectureLstm(), new float[][] {
      {3, 4, 2, 1, 3},
      {1, 1, 0, 0, -1},
      {0, 0, 0, 1, 0}});
    float[] expected = {0, 0, 0, 7, 0};
    for (int t = 0; t < expected.length; t++) {
      assertThat(y[t]).as("y at step %d", t + 1).isCloseTo(expected[t], within(1e-2f));
    }
  }

  /** y^1000 = w^999 for a linear RNN fed 1 then zeros: exploding and vanishing gradients. */
  private static float thousandthOutput(float w) {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 1, 1)
        .activation(Activation.IDENTITY).bias(false).build();
    RnnModel model = RnnModel.create(spec, Map.of(
        "rnn.weight_ih_l0", Tensor.matrix(1, 1, new float[] {1}),
        "rnn.weight_hh_l0", Tensor.matrix(1, 1, new float[] {w})),
        ModelInfo.named("w1000", 1), "test");
    RnnState state = model.newState();
    Workspace ws = model.newWorkspace();
    float y = model.step(state, new float[] {1}, 0, ws)[0];
    for (int t = 2; t <= 1000; t++) {
      y = model.step(state, new float[] {0}, 0, ws)[0];
    }
    return y;
  }

  @Test
  void weightPowerThousandExplodesOrVanishes() {
    assertThat(thousandthOutput(1f)).isEqualTo(1f);
    assertThat(thousandthOutput(1.01f)).isCloseTo(2.0e4f, within(1.5e3f)); // 1.01^999 = 20959
    assertThat(thousandthOutput(0.99f)).isCloseTo(0f, within(1e-4f)); // 0.99^999 = 4.3e-5
    assertThat(thousandthOutput(0.01f)).isCloseTo(0f, within(1e-30f));
  }
}
