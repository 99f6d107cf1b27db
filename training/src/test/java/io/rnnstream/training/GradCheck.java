package io.rnnstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Finite-difference gradient checks and fixtures shared by the training tests. */
final class GradCheck {
  /** Central-difference step, in double. */
  static final double EPS = 1e-6;
  /**
   * |analytic - numeric| <= REL * max(|analytic|, |numeric|) + ABS. ABS covers entries whose true
   * gradient is ~0, where the central difference's round-off (~1e-16 * |L| / EPS ~ 1e-10) is all
   * that is left.
   */
  static final double REL = 1e-5;

  static final double ABS = 1e-8;

  static final int D = 3;
  static final int H = 4;

  private GradCheck() {}

  /** Every cell variant the inference code has, at small sizes. */
  static List<ModelSpec.Builder> cellVariants() {
    List<ModelSpec.Builder> out = new ArrayList<>();
    out.add(ModelSpec.builder(CellType.RNN, D, H).activation(Activation.TANH));
    out.add(ModelSpec.builder(CellType.RNN, D, H).activation(Activation.RELU));
    out.add(ModelSpec.builder(CellType.RNN, D, H).activation(Activation.IDENTITY));
    out.add(ModelSpec.builder(CellType.LSTM, D, H));
    out.add(ModelSpec.builder(CellType.LSTM, D, H).peepholes(true));
    out.add(ModelSpec.builder(CellType.LSTM, D, H).peepholes(true)
        .candidateActivation(Activation.IDENTITY).cellActivation(Activation.SIGMOID));
    out.add(ModelSpec.builder(CellType.LSTM, D, H)
        .candidateActivation(Activation.RELU).cellActivation(Activation.IDENTITY));
    out.add(ModelSpec.builder(CellType.GRU, D, H));
    out.add(ModelSpec.builder(CellType.GRU, D, H).bias(false));
    out.add(ModelSpec.builder(CellType.JORDAN, D, H).feedback(3, Activation.IDENTITY));
    out.add(ModelSpec.builder(CellType.JORDAN, D, H).feedback(3, Activation.SOFTMAX)
        .activation(Activation.SIGMOID));
    out.add(ModelSpec.builder(CellType.JORDAN, D, H).feedback(2, Activation.TANH).bias(false));
    out.add(ModelSpec.builder(CellType.JORDAN, D, H).feedback(3, Activation.SIGMOID)
        .activation(Activation.SOFTMAX));
    out.add(ModelSpec.builder(CellType.CLOCKWORK, D, 6).clockPeriods(1, 2, 4));
    out.add(ModelSpec.builder(CellType.SCRN, D, H).context(3, 0.8f));
    return out;
  }

  static String describe(ModelSpec s) {
    return s.cell().id() + " act=" + s.activation().id()
        + (s.cell() == CellType.LSTM ? " cand=" + s.candidateActivation().id() + " cellAct="
            + s.cellActivation().id() + (s.peepholes() ? " peep" : "") : "")
        + (s.cell() == CellType.JORDAN ? " fb=" + s.feedbackSize() + "/"
            + s.feedbackActivation().id() : "")
        + " layers=" + s.numLayers() + (s.bidirectional() ? " bi" : "")
        + (s.bias() ? "" : " nobias") + " pool=" + s.pooling().id()
        + (s.head() == null ? " nohead" : " head=" + s.head().activation().id())
        + (s.vocabSize() == null ? "" : " vocab=" + s.vocabSize());
  }

  /** Weights uniform in +-1.5/sqrt(H) (gain 1.5): nonlinear but not saturated. */
  static TrainableModel model(ModelSpec spec, long seed) {
    return TrainableModel.fromTensors(spec, Initializers.uniform(spec, seed, 1.5));
  }

  static double[][] randomInputs(long seed, int steps, int d) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] xs = new double[steps][d];
    for (double[] x : xs) {
      for (int j = 0; j < d; j++) {
        x[j] = (float) (rnd.nextDouble() * 2 - 1); // float-representable
      }
    }
    return xs;
  }

  /** L = sum_t r_t . y_t with random r: every output of every step gets a gradient. */
  static OutputLoss probe(long seed, int steps, int width) {
    double[][] r = randomInputs(seed, steps, width);
    return (y, from, length, dy) -> {
      double loss = 0;
      for (int i = 0; i < y.length; i++) {
        for (int j = 0; j < y[i].length; j++) {
          loss += r[from + i][j] * y[i][j];
          dy[i][j] = r[from + i][j];
        }
      }
      return loss;
    };
  }

  /** Result of a check, for messages: the largest relative error seen. */
  record Report(int checked, double maxRelError) {}

  /**
   * Checks every parameter entry of {@code model}: analytic {@code grads} vs central differences
   * of {@code loss}, which must read the model's live parameters.
   */
  static Report checkParameters(
      TrainableModel model, Gradients grads, ToDoubleFunction<TrainableModel> loss, String what) {
    int checked = 0;
    double worst = 0;
    for (String name : model.names()) {
      double[] w = model.param(name);
      double[] g = grads.get(name);
      for (int i = 0; i < w.length; i++) {
        double keep = w[i];
        w[i] = keep + EPS;
        double up = loss.applyAsDouble(model);
        w[i] = keep - EPS;
        double down = loss.applyAsDouble(model);
        w[i] = keep;
        double numeric = (up - down) / (2 * EPS);
        worst = Math.max(worst, compare(g[i], numeric, what + " " + name + "[" + i + "]"));
        checked++;
      }
    }
    return new Report(checked, worst);
  }

  /** Checks dL/dx against central differences over every input entry. */
  static Report checkInputs(
      double[][] xs, double[][] dxs, ToDoubleFunction<double[][]> loss, String what) {
    int checked = 0;
    double worst = 0;
    for (int t = 0; t < xs.length; t++) {
      for (int j = 0; j < xs[t].length; j++) {
        double keep = xs[t][j];
        xs[t][j] = keep + EPS;
        double up = loss.applyAsDouble(xs);
        xs[t][j] = keep - EPS;
        double down = loss.applyAsDouble(xs);
        xs[t][j] = keep;
        double numeric = (up - down) / (2 * EPS);
        worst = Math.max(worst, compare(dxs[t][j], numeric, what + " dx[" + t + "][" + j + "]"));
        checked++;
      }
    }
    return new Report(checked, worst);
  }

  static double compare(double analytic, double numeric, String where) {
    double diff = Math.abs(analytic - numeric);
    double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
    assertThat(diff)
        .as("%s: analytic %s vs numeric %s", where, analytic, numeric)
        .isLessThanOrEqualTo(REL * scale + ABS);
    return scale == 0 ? 0 : diff / scale;
  }

  /** Loss of one whole dense sequence from the zero state. */
  static double loss(TrainableModel m, double[][] xs, OutputLoss loss) {
    SequenceTape tape = SequenceTape.forward(m, xs);
    double[][] y = tape.outputs();
    return loss.evaluate(y, 0, xs.length, new double[y.length][y[0].length]);
  }

  /**
   * Full check of a dense model: gradients of every parameter and every input entry of {@code L =
   * loss(model(xs))}.
   */
  static Report checkDense(TrainableModel m, double[][] xs, OutputLoss loss, String what) {
    SequenceTape tape = SequenceTape.forward(m, xs);
    double[][] y = tape.outputs();
    double[][] dy = new double[y.length][y[0].length];
    loss.evaluate(y, 0, xs.length, dy);
    Gradients g = m.newGradients();
    double[][] dx = tape.backward(dy, g);
    Report p = checkParameters(m, g, mm -> loss(mm, xs, loss), what);
    Report i = checkInputs(xs, dx, x -> loss(m, x, loss), what);
    assertThat(p.checked()).as("parameters checked").isEqualTo(m.size());
    return new Report(p.checked() + i.checked(), Math.max(p.maxRelError(), i.maxRelError()));
  }
}
