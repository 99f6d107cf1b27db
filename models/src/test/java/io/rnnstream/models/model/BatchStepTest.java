package io.rnnstream.models.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.kernels.Activation;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RnnModel#stepBatch} against {@link RnnModel#step} key by key. The batched kernels
 * accumulate every output element over the columns in the same order as the single-key ones, so
 * the results are equal to the bit, not only within a tolerance: keys with different histories
 * (so different h, c), batch sizes around the kernels' 4-key groups, every cell kind that
 * overrides the batched step (and Jordan, which loops), stacked layers and pooling.
 */
class BatchStepTest {
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("lstm", ModelSpec.builder(CellType.LSTM, 12, 20).build()),
        Arguments.of("lstm peepholes 2 layers mean",
            ModelSpec.builder(CellType.LSTM, 12, 20).peepholes(true).numLayers(2)
                .pooling(Pooling.MEAN).head(3, Activation.SOFTMAX).build()),
        Arguments.of("gru", ModelSpec.builder(CellType.GRU, 12, 33).head(2, Activation.SOFTMAX)
            .build()),
        Arguments.of("elman relu", ModelSpec.builder(CellType.RNN, 12, 16)
            .activation(Activation.RELU).build()),
        Arguments.of("lstm H=128 (a full register block)",
            ModelSpec.builder(CellType.LSTM, 64, 128).head(2, Activation.SOFTMAX).build()),
        Arguments.of("lstm H=256 (W_hh above the 8-key kernel's threshold)",
            ModelSpec.builder(CellType.LSTM, 16, 256).build()),
        Arguments.of("jordan (default loop)", ModelSpec.builder(CellType.JORDAN, 12, 10)
            .feedback(4, Activation.TANH).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void batchedStepsShouldEqualSingleSteps(String name, ModelSpec spec) {
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 5, 1.0),
        ModelInfo.named("m", 1), "test");
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    int keys = 13; // groups of 8 and 4 keys and a single one
    RnnState[] batched = new RnnState[keys];
    RnnState[] single = new RnnState[keys];
    for (int b = 0; b < keys; b++) {
      batched[b] = model.newState();
      single[b] = model.newState();
    }
    BatchWorkspace bw = model.newBatchWorkspace(keys);
    Workspace ws = model.newWorkspace();
    int d = spec.inputSize();
    for (int round = 0; round < 6; round++) {
      int n = 1 + rnd.nextInt(keys); // the first n keys step this round
      float[][] xs = new float[n][];
      int[] offs = new int[n];
      for (int b = 0; b < n; b++) {
        offs[b] = rnd.nextInt(3);
        xs[b] = new float[offs[b] + d];
        for (int i = 0; i < d; i++) {
          xs[b][offs[b] + i] = (float) rnd.nextGaussian();
        }
      }
      model.stepBatch(n, batched, xs, offs, bw);
      for (int b = 0; b < n; b++) {
        float[] expected = model.step(single[b], xs[b], offs[b], ws);
        assertThat(bw.output(b)).as("round %d key %d output", round, b).containsExactly(expected);
        assertThat(batched[b].values()).as("round %d key %d state", round, b)
            .containsExactly(single[b].values());
        assertThat(batched[b].steps()).isEqualTo(single[b].steps());
      }
    }
  }

  @Test
  void tokenBatchesShouldEqualTokenSteps() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 8, 16).vocabSize(30)
        .head(2, Activation.SOFTMAX).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 3, 1.0),
        ModelInfo.named("m", 1), "test");
    RnnState[] batched = {model.newState(), model.newState(), model.newState(),
        model.newState(), model.newState()};
    RnnState[] single = {model.newState(), model.newState(), model.newState(),
        model.newState(), model.newState()};
    BatchWorkspace bw = model.newBatchWorkspace(5);
    Workspace ws = model.newWorkspace();
    int[][] rounds = {{1, 2, 3, 4, 5}, {29, 0, 7, 7, 7}, {3, 3, 3, 3, 3}};
    for (int[] ids : rounds) {
      model.stepTokensBatch(5, batched, ids, bw);
      for (int b = 0; b < 5; b++) {
        assertThat(bw.output(b)).containsExactly(model.stepToken(single[b], ids[b], ws));
      }
    }
  }

  @Test
  void shouldRejectABatchLargerThanTheWorkspace() {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 4, 4).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
        ModelInfo.named("m", 1), "test");
    BatchWorkspace bw = model.newBatchWorkspace(2);
    RnnState[] states = {model.newState(), model.newState(), model.newState()};
    float[][] xs = {new float[4], new float[4], new float[4]};
    assertThatThrownBy(() -> model.stepBatch(3, states, xs, new int[3], bw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch of 3 keys, workspace holds 2");
    assertThatThrownBy(() -> model.newBatchWorkspace(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
