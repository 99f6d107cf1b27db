package io.rnnstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Parameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Optimisers and clipping on f(w) = 1/2 sum_i a_i (w_i - c_i)^2 over every parameter of a small
 * model (the model is just the parameter container here).
 */
class OptimizersTest {
  private static final ModelSpec SPEC =
      ModelSpec.builder(CellType.RNN, 2, 3).head(2, Activation.IDENTITY).build();

  /** Curvatures a in [0.5, 2] and targets c in [-1, 1], per entry. */
  private static final class Quadratic {
    final TrainableModel model = TrainableModel.fromInit(SPEC, 61);
    final double[][] a = new double[model.names().size()][];
    final double[][] c = new double[model.names().size()][];

    Quadratic() {
      SplittableRandom rnd = new SplittableRandom(62);
      for (int k = 0; k < a.length; k++) {
        int n = model.param(model.names().get(k)).length;
        a[k] = new double[n];
        c[k] = new double[n];
        for (int i = 0; i < n; i++) {
          a[k][i] = 0.5 + 1.5 * rnd.nextDouble();
          c[k][i] = rnd.nextDouble() * 2 - 1;
        }
      }
    }

    Gradients gradient() {
      Gradients g = model.newGradients();
      for (int k = 0; k < a.length; k++) {
        String name = model.names().get(k);
        double[] w = model.param(name);
        double[] gw = g.get(name);
        for (int i = 0; i < w.length; i++) {
          gw[i] = a[k][i] * (w[i] - c[k][i]);
        }
      }
      return g;
    }

    double maxDistance() {
      double d = 0;
      for (int k = 0; k < a.length; k++) {
        double[] w = model.param(model.names().get(k));
        for (int i = 0; i < w.length; i++) {
          d = Math.max(d, Math.abs(w[i] - c[k][i]));
        }
      }
      return d;
    }

    void run(Optimizer opt, int steps) {
      for (int s = 0; s < steps; s++) {
        opt.step(model, gradient());
      }
    }
  }

  @Test
  void sgdShouldTakeExactlyTheGradientStep() {
    Quadratic q = new Quadratic();
    String name = q.model.names().get(0);
    double w0 = q.model.param(name)[0];
    double g0 = q.gradient().get(name)[0];
    Sgd.builder(0.1).build().step(q.model, q.gradient());
    assertThat(q.model.param(name)[0]).isEqualTo(w0 - 0.1 * g0);
  }

  @Test
  void sgdMomentumShouldAccumulateVelocity() {
    Quadratic q = new Quadratic();
    String name = q.model.names().get(0);
    Sgd opt = Sgd.builder(0.1).momentum(0.9).build();
    double w0 = q.model.param(name)[0];
    double g0 = q.gradient().get(name)[0];
    opt.step(q.model, q.gradient());
    double w1 = q.model.param(name)[0];
    double g1 = q.gradient().get(name)[0];
    opt.step(q.model, q.gradient());
    assertThat(w1).isEqualTo(w0 - 0.1 * g0);
    assertThat(q.model.param(name)[0]).isCloseTo(w1 - 0.1 * (0.9 * g0 + g1), within(1e-15));
  }

  @Test
  void sgdWithMomentumShouldConvergeOnAQuadratic() {
    Quadratic q = new Quadratic();
    q.run(Sgd.builder(0.2).momentum(0.9).build(), 400);
    assertThat(q.maxDistance()).isLessThan(1e-6);
  }

  @Test
  void adamShouldConvergeOnAQuadratic() {
    Quadratic q = new Quadratic();
    Adam adam = Adam.builder(0.05).build();
    q.run(adam, 1500);
    assertThat(adam.steps()).isEqualTo(1500);
    assertThat(q.maxDistance()).isLessThan(1e-4);
  }

  @Test
  void adamFirstStepShouldBeLearningRateTimesSign() {
    Quadratic q = new Quadratic();
    String name = q.model.names().get(0);
    double[] before = q.model.param(name).clone();
    double[] g = q.gradient().get(name);
    Adam.builder(0.01).build().step(q.model, q.gradient());
    for (int i = 0; i < before.length; i++) {
      // m_hat = g, v_hat = g^2: step = lr * g / (|g| + eps)
      assertThat(q.model.param(name)[i])
          .isCloseTo(before[i] - 0.01 * Math.signum(g[i]), within(1e-9));
    }
  }

  @Test
  void weightDecayShouldBeDecoupledAndSkipBiases() {
    for (Optimizer opt : new Optimizer[] {
        Sgd.builder(0.1).momentum(0.5).weightDecay(0.2).build(),
        Adam.builder(0.1).weightDecay(0.2).build()}) {
      TrainableModel m = TrainableModel.fromInit(SPEC, 63);
      TrainableModel before = m.copy();
      opt.step(m, m.newGradients()); // zero gradient: only the decay acts
      for (String name : m.names()) {
        double f = m.kind(name) == Parameters.Kind.BIAS ? 1 : 1 - 0.1 * 0.2;
        double[] w0 = before.param(name);
        for (int i = 0; i < w0.length; i++) {
          assertThat(m.param(name)[i]).as("%s %s", opt.getClass().getSimpleName(), name)
              .isEqualTo(w0[i] * f);
        }
      }
    }
  }

  @Test
  void clipByGlobalNormShouldRescaleKeepingDirection() {
    Quadratic q = new Quadratic();
    Gradients g = q.gradient();
    Gradients original = g.copy();
    double norm = g.globalNorm();
    assertThat(norm).isGreaterThan(0.5);

    assertThat(g.clipByGlobalNorm(0.5)).isEqualTo(norm);

    assertThat(g.globalNorm()).isCloseTo(0.5, within(1e-12));
    for (String n : g.names()) {
      for (int i = 0; i < g.get(n).length; i++) {
        assertThat(g.get(n)[i]).isCloseTo(original.get(n)[i] * 0.5 / norm, within(1e-15));
      }
    }
    Gradients small = original.copy();
    small.clipByGlobalNorm(norm * 2); // under the limit: untouched
    for (String n : g.names()) {
      assertThat(small.get(n)).containsExactly(original.get(n));
    }
  }

  @Test
  void clipByValueShouldClampEveryEntry() {
    Gradients g = new Quadratic().gradient();
    Gradients original = g.copy();
    int clipped = g.clipByValue(0.3);
    int expected = 0;
    for (String n : g.names()) {
      for (int i = 0; i < g.get(n).length; i++) {
        double o = original.get(n)[i];
        expected += Math.abs(o) > 0.3 ? 1 : 0;
        assertThat(g.get(n)[i]).isEqualTo(Math.max(-0.3, Math.min(0.3, o)));
      }
    }
    assertThat(clipped).isEqualTo(expected).isPositive();
  }

  @Test
  void trainerShouldClipBeforeTheUpdate() {
    // one SGD step with lr 1 under a global-norm clip of 1e-3 moves the weights by at most 1e-3
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 2, 3).head(2, Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 64);
    TrainableModel before = m.copy();
    Trainer trainer = Trainer.builder(m, Sgd.builder(1).build()).clipGlobalNorm(1e-3).build();
    trainer.trainBatch(java.util.List.of(Example.of(new double[][] {{1, 2}, {3, -4}},
        Losses.softmaxCrossEntropy(0))));
    assertThat(trainer.lastGradientNorm()).isGreaterThan(1e-3);
    double moved = 0;
    for (String n : m.names()) {
      for (int i = 0; i < m.param(n).length; i++) {
        double d = m.param(n)[i] - before.param(n)[i];
        moved += d * d;
      }
    }
    assertThat(Math.sqrt(moved)).isCloseTo(1e-3, within(1e-12));
  }

  @Test
  void buildersShouldNameTheBadField() {
    assertThatThrownBy(() -> Sgd.builder(0)).hasMessageContaining("learningRate");
    assertThatThrownBy(() -> Sgd.builder(0.1).momentum(1)).hasMessageContaining("momentum");
    assertThatThrownBy(() -> Adam.builder(0.1).betas(0.9, 1)).hasMessageContaining("beta2");
    assertThatThrownBy(() -> Adam.builder(0.1).weightDecay(-1))
        .hasMessageContaining("weightDecay");
    TrainableModel m = TrainableModel.fromInit(SPEC, 1);
    assertThatThrownBy(() -> Trainer.builder(m, Sgd.builder(1).build()).window(-1))
        .hasMessageContaining("window");
    assertThatThrownBy(() -> Trainer.builder(m, Sgd.builder(1).build()).batchSize(0))
        .hasMessageContaining("batchSize");
  }
}
