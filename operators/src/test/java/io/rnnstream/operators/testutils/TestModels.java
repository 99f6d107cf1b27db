package io.rnnstream.operators.testutils;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.ModelUpdate;
import java.util.List;
import java.util.SplittableRandom;

/** Small seeded models, their snapshots and inputs, for operator tests. */
public final class TestModels {
  /** Input width of {@link #spec} models and of {@link #inputs}. */
  public static final int D = 3;

  private TestModels() {}

  public static ModelSpec.Builder spec(CellType cell) {
    ModelSpec.Builder b = ModelSpec.builder(cell, D, 4).numLayers(2);
    switch (cell) {
      case CLOCKWORK -> b.clockPeriods(1, 2);
      case SCRN -> b.context(3, 0.8f);
      case JORDAN -> b.feedback(3, Activation.TANH);
      default -> {}
    }
    return b;
  }

  public static RnnModel model(ModelSpec spec, String name, long version, long seed) {
    return RnnModel.create(spec, Initializers.uniform(spec, seed, 1.5),
        new ModelInfo(name, version, "2026-11-29T00:00:00Z", "test", null, null,
            spec.head() != null && spec.head().outputSize() == 2
                ? List.of("negative", "positive") : null),
        "test");
  }

  /** A sentiment-like many-to-one model: LSTM, mean pooling, 2-way softmax head. */
  public static RnnModel classifier(String name, long version, long seed, int hidden) {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, hidden)
        .pooling(Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    return model(spec, name, version, seed);
  }

  public static ModelUpdate update(RnnModel m) {
    return ModelUpdate.of(m.info().name(), m.info().version(), SnapshotFormat.toBytes(m));
  }

  public static float[][] inputs(int steps, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] xs = new float[steps][D];
    for (float[] x : xs) {
      for (int j = 0; j < D; j++) {
        x[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return xs;
  }

  /** Rows [from, to) flattened (an event's x). */
  public static float[] flat(float[][] xs, int from, int to) {
    float[] out = new float[(to - from) * D];
    for (int t = from; t < to; t++) {
      System.arraycopy(xs[t], 0, out, (t - from) * D, D);
    }
    return out;
  }
}
