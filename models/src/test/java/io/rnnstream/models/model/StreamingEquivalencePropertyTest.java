package io.rnnstream.models.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Streaming a sequence chunk by chunk, with the state checkpointed and restored between chunks
 * (as Flink does), gives exactly the same floats as running the whole sequence offline.
 */
class StreamingEquivalencePropertyTest {

  private static final ModelInfo INFO = ModelInfo.named("streaming-property", 1);
  private static final int D = 4; // input width

  /** A small unidirectional model of the given kind with seeded random weights. */
  static RnnModel model(CellType cell, int layers, Pooling pooling, boolean withHead, long seed) {
    // H 6 everywhere; clockwork 3 modules of 2; Jordan O 3; SCRN S 2
    ModelSpec.Builder b = ModelSpec.builder(cell, D, 6).numLayers(layers).pooling(pooling);
    switch (cell) {
      case CLOCKWORK -> b.clockPeriods(1, 2, 5);
      case JORDAN -> b.feedback(3, Activation.TANH);
      case SCRN -> b.context(2, 0.9f);
      case LSTM -> b.peepholes(seed % 2 == 0);
      default -> {}
    }
    if (withHead) {
      b.head(3, Activation.SOFTMAX);
    }
    ModelSpec spec = b.build();
    return RnnModel.create(spec, Initializers.uniform(spec, seed, 1.5), INFO, "property");
  }

  static float[][] inputs(long seed, int steps) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] xs = new float[steps][D];
    for (float[] x : xs) {
      for (int i = 0; i < D; i++) {
        x[i] = (float) (rnd.nextDouble() * 4 - 2);
      }
    }
    return xs;
  }

  /**
   * Chunk boundaries: the chunk sizes are taken in order, the last chunk takes whatever is left
   * (so an empty list means one chunk).
   */
  @Property(tries = 60)
  void chunkedStreamingWithCheckpointsShouldBeBitIdenticalToForward(
      @ForAll CellType cell,
      @ForAll @IntRange(min = 1, max = 3) int layers,
      @ForAll Pooling pooling,
      @ForAll boolean withHead,
      @ForAll @IntRange(min = 1, max = 30) int length,
      @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 12) Integer> chunkSizes,
      @ForAll long seed) {
    RnnModel model = model(cell, layers, pooling, withHead, seed);
    float[][] xs = inputs(seed ^ 0x5DEECE66DL, length);
    float[][] expected = model.forward(xs); // (length, output width)

    RnnState state = model.newState();
    Workspace ws = model.newWorkspace();
    int t = 0;
    int chunk = 0;
    while (t < length) {
      int size = chunk < chunkSizes.size() ? chunkSizes.get(chunk) : length - t;
      int end = Math.min(length, t + size);
      for (; t < end; t++) {
        float[] y = model.step(state, xs[t], 0, ws);
        assertThat(y).as("step %d (chunk %d) of %s", t, chunk, model.spec())
            .containsExactly(expected[t]);
      }
      assertThat(state.steps()).isEqualTo((long) t);
      // checkpoint and restore: a fresh copy of the values, and another worker's workspace
      state = new RnnState(state.values().clone(), state.steps());
      ws = model.newWorkspace();
      chunk++;
    }
  }

  @Property(tries = 50)
  void resetMidStreamShouldEqualAFreshRunOnTheRest(
      @ForAll CellType cell,
      @ForAll @IntRange(min = 1, max = 3) int layers,
      @ForAll Pooling pooling,
      @ForAll boolean withHead,
      @ForAll @IntRange(min = 1, max = 20) int before,
      @ForAll @IntRange(min = 1, max = 20) int after,
      @ForAll long seed) {
    RnnModel model = model(cell, layers, pooling, withHead, seed);
    float[][] xs = inputs(seed + 17, before + after);
    float[][] rest = new float[after][];
    System.arraycopy(xs, before, rest, 0, after);
    float[][] expected = model.forward(rest);

    RnnState state = model.newState();
    Workspace ws = model.newWorkspace();
    for (int t = 0; t < before; t++) {
      model.step(state, xs[t], 0, ws);
    }
    state.reset();
    assertThat(state.steps()).isZero();
    assertThat(state.values()).containsOnly(0f);
    for (int t = 0; t < after; t++) {
      float[] y = model.step(state, rest[t], 0, ws);
      assertThat(y).as("step %d after reset of %s", t, model.spec())
          .containsExactly(expected[t]);
    }
  }
}
