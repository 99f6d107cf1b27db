package io.rnnstream.models.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Token steps through the precomputed input projection ({@link RnnModel#projectsTokens}) give
 * the same bits as feeding the token's embedding row as a dense input (which multiplies it by
 * {@code W_ih} in the step): one key at a time and batched, over stacked layers, biases on and
 * off, pooling and heads. Cells without a separable input projection, and bidirectional models,
 * step through the embedding.
 */
class TokenProjectionTest {
  static Stream<Arguments> projecting() {
    return Stream.of(
        Arguments.of("lstm 2 layers mean softmax", ModelSpec.builder(CellType.LSTM, 12, 20)
            .vocabSize(40).numLayers(2).pooling(Pooling.MEAN).head(3, Activation.SOFTMAX)
            .build()),
        Arguments.of("lstm peepholes no bias", ModelSpec.builder(CellType.LSTM, 8, 16)
            .vocabSize(25).peepholes(true).bias(false).build()),
        Arguments.of("lstm H=128 D=64 (the sentiment shape)",
            ModelSpec.builder(CellType.LSTM, 64, 128).vocabSize(50).pooling(Pooling.MEAN)
                .head(2, Activation.SOFTMAX).build()),
        Arguments.of("lstm H=256 D=16 (W_hh above the 8-key kernel's threshold)",
            ModelSpec.builder(CellType.LSTM, 16, 256).vocabSize(20).build()),
        Arguments.of("gru last pooling", ModelSpec.builder(CellType.GRU, 12, 33).vocabSize(30)
            .pooling(Pooling.LAST).head(2, Activation.SOFTMAX).build()),
        Arguments.of("elman relu 2 layers", ModelSpec.builder(CellType.RNN, 12, 16)
            .vocabSize(30).numLayers(2).activation(Activation.RELU).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("projecting")
  void tokenStepsShouldEqualDenseStepsOfTheEmbeddingRows(String name, ModelSpec spec) {
    RnnModel model = model(spec);
    assertThat(model.projectsTokens()).isTrue();
    int vocab = spec.vocabSize();
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    int keys = 13; // groups of 8 (large W only) and 4 keys and single ones in the batched kernels
    RnnState[] batched = new RnnState[keys];
    RnnState[] single = new RnnState[keys];
    RnnState[] dense = new RnnState[keys];
    for (int b = 0; b < keys; b++) {
      batched[b] = model.newState();
      single[b] = model.newState();
      dense[b] = model.newState();
    }
    BatchWorkspace bw = model.newBatchWorkspace(keys);
    Workspace ws = model.newWorkspace();
    Workspace wsDense = model.newWorkspace();
    for (int round = 0; round < 5; round++) {
      int n = 1 + rnd.nextInt(keys);
      int[] ids = new int[n];
      for (int b = 0; b < n; b++) {
        ids[b] = rnd.nextInt(vocab);
      }
      model.stepTokensBatch(n, batched, ids, bw);
      for (int b = 0; b < n; b++) {
        float[] row = model.embed(new int[] {ids[b]})[0];
        float[] expected = model.step(dense[b], row, 0, wsDense).clone();
        assertThat(model.stepToken(single[b], ids[b], ws)).as("round %d key %d", round, b)
            .containsExactly(expected);
        assertThat(bw.output(b)).as("round %d key %d batched", round, b)
            .containsExactly(expected);
        assertThat(single[b].values()).containsExactly(dense[b].values());
        assertThat(batched[b].values()).containsExactly(dense[b].values());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stepThroughTheEmbedding")
  void shouldStepThroughTheEmbeddingWithoutASeparableProjection(String name, ModelSpec spec) {
    RnnModel model = model(spec);
    assertThat(model.projectsTokens()).isFalse();
  }

  static Stream<Arguments> stepThroughTheEmbedding() {
    return Stream.of(
        Arguments.of("lstm whose table would exceed MAX_PROJECTED_FLOATS",
            ModelSpec.builder(CellType.LSTM, 1, 4)
                .vocabSize((int) (RnnModel.MAX_PROJECTED_FLOATS / 16) + 1).build()),
        Arguments.of("jordan", ModelSpec.builder(CellType.JORDAN, 6, 8).vocabSize(20)
            .feedback(3, Activation.TANH).build()),
        Arguments.of("bidirectional lstm", ModelSpec.builder(CellType.LSTM, 6, 8).vocabSize(20)
            .bidirectional(true).build()),
        Arguments.of("dense lstm (no embedding)", ModelSpec.builder(CellType.LSTM, 6, 8)
            .build()));
  }

  private static RnnModel model(ModelSpec spec) {
    return RnnModel.create(spec, Initializers.uniform(spec, 7, 1.0), ModelInfo.named("m", 1),
        "test");
  }
}
