package io.rnnstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Same seed + same data -> bit-identical weights; a different seed -> different weights. */
class DeterminismTest {
  private static final ModelSpec SPEC = ModelSpec.builder(CellType.GRU, 2, 5)
      .pooling(Pooling.ATTENTION).head(2, Activation.IDENTITY).build();

  private static List<Example> data() {
    SplittableRandom rnd = new SplittableRandom(71);
    List<Example> out = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      double[][] xs = new double[6][2];
      double sum = 0;
      for (double[] x : xs) {
        x[0] = rnd.nextDouble() * 2 - 1;
        x[1] = rnd.nextDouble();
        sum += x[0];
      }
      out.add(Example.of(xs, Losses.softmaxCrossEntropy(sum > 0 ? 1 : 0)));
    }
    return out;
  }

  private static TrainableModel train(long initSeed, long shuffleSeed) {
    TrainableModel m = TrainableModel.fromInit(SPEC, initSeed);
    Trainer t = Trainer.builder(m, Adam.builder(0.01).weightDecay(0.01).build())
        .batchSize(8).clipGlobalNorm(1).window(4).seed(shuffleSeed).build();
    List<Example> data = data();
    for (int e = 0; e < 3; e++) {
      t.trainEpoch(data);
    }
    return m;
  }

  @Test
  void shouldProduceBitIdenticalWeightsForTheSameSeed() {
    TrainableModel a = train(5, 6);
    TrainableModel b = train(5, 6);
    for (String n : a.names()) {
      assertThat(Arrays.equals(a.param(n), b.param(n))).as(n).isTrue();
    }
    assertThat(a.toModel(ModelInfo.named("a", 1)).tensors())
        .isEqualTo(b.toModel(ModelInfo.named("a", 1)).tensors());
  }

  @Test
  void shouldDependOnTheSeeds() {
    TrainableModel a = train(5, 6);
    assertThat(a.param("head.weight")).isNotEqualTo(train(5, 7).param("head.weight"));
    assertThat(a.param("head.weight")).isNotEqualTo(train(8, 6).param("head.weight"));
  }

  @Test
  void initialisationShouldMatchTheSharedInitializers() {
    TrainableModel m = TrainableModel.fromInit(SPEC, 9);
    var tensors = Initializers.uniform(SPEC, 9, 1.0);
    for (String n : m.names()) {
      assertThat(m.shape(n)).isEqualTo(tensors.get(n).shape());
      assertThat(DMath.toFloat(m.param(n))).containsExactly(tensors.get(n).data());
    }
    assertThat(m.names()).containsExactlyElementsOf(tensors.keySet());
  }

  @Test
  void irnnShouldStartFromTheIdentity() {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 2, 3).activation(Activation.RELU)
        .numLayers(2).head(1, Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromIrnn(spec, 3, 0.001);
    for (String n : List.of("rnn.weight_hh_l0", "rnn.weight_hh_l1")) {
      assertThat(m.param(n)).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
    }
    assertThat(m.param("rnn.bias_ih_l0")).containsOnly(0);
    assertThat(TrainableModel.fromIrnn(spec, 3, 0.001).param("rnn.weight_ih_l0"))
        .containsExactly(m.param("rnn.weight_ih_l0"));
  }
}
