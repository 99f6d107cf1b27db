package io.rnnstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every cell learns a small problem end to end: train in double precision, freeze to a float32
 * {@link RnnModel} (softmax head for classifiers, via {@link Serving}) and measure through the
 * inference API. Training stops early once a <em>validation</em> split reaches the goal; the
 * assertion is on a separate <em>test</em> split. Everything is seeded (deterministic), each task
 * takes well under a few seconds.
 */
@Timeout(60)
class LearningTest {
  private static final ModelInfo INFO = ModelInfo.named("learning", 1);

  /** Inputs and per-step targets of one evaluation sequence; label -1 / null row: unscored. */
  private record Sequence(float[][] xs, int[] ids, int[] labels, double[][] targets) {}

  /** Train examples plus validation and test sequences. */
  private record Task(List<Example> train, List<Sequence> valid, List<Sequence> test) {}

  private static float[][] toFloat(double[][] xs) {
    float[][] f = new float[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      f[t] = DMath.toFloat(xs[t]);
    }
    return f;
  }

  private static float[][] run(RnnModel served, Sequence s) {
    return s.ids() != null ? served.forwardTokens(s.ids()) : served.forward(s.xs());
  }

  /** Argmax accuracy over the labelled steps. */
  private static double accuracy(RnnModel served, List<Sequence> data) {
    int right = 0;
    int total = 0;
    for (Sequence s : data) {
      float[][] y = run(served, s);
      for (int t = 0; t < s.labels().length; t++) {
        if (s.labels()[t] < 0) {
          continue;
        }
        int best = 0;
        for (int j = 1; j < y[t].length; j++) {
          best = y[t][j] > y[t][best] ? j : best;
        }
        right += best == s.labels()[t] ? 1 : 0;
        total++;
      }
    }
    return (double) right / total;
  }

  /** Mean squared error over the steps with a target row. */
  private static double mse(RnnModel served, List<Sequence> data, boolean onlyNonZeroTargets) {
    double sum = 0;
    int n = 0;
    for (Sequence s : data) {
      float[][] y = run(served, s);
      for (int t = 0; t < y.length; t++) {
        double[] target = s.targets()[t];
        if (target == null || (onlyNonZeroTargets && target[0] == 0)) {
          continue;
        }
        for (int j = 0; j < target.length; j++) {
          double d = y[t][j] - target[j];
          sum += d * d;
          n++;
        }
      }
    }
    return sum / n;
  }

  /**
   * Trains epoch by epoch until {@code validMetric} of the served model reaches {@code goal}
   * ({@code higherIsBetter}) or {@code maxEpochs}; prints what it took.
   */
  private static void train(String what, Trainer trainer, Task task, int maxEpochs,
      ToDoubleFunction<RnnModel> metric, double goal, boolean higherIsBetter) {
    long start = System.nanoTime();
    int epoch = 0;
    double v = Double.NaN;
    while (epoch < maxEpochs) {
      epoch++;
      trainer.trainEpoch(task.train());
      v = metric.applyAsDouble(trainer.model().toModel(INFO));
      if (higherIsBetter ? v >= goal : v <= goal) {
        break;
      }
    }
    System.out.printf("%-40s %3d epochs %6.0f ms, validation %.4f%n", what, epoch,
        (System.nanoTime() - start) / 1e6, v);
  }

  // ------------------------------------------------------------------------------ tasks

  /**
   * x_t uniform in [-1, 1]; one label at the end: is the sum positive? Many-to-one. Sequences
   * with |sum| < 0.25 are skipped so that the classes are separable with a margin.
   */
  private static Task sumSign(long seed, int steps) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Example> train = new ArrayList<>();
    List<Sequence> valid = new ArrayList<>();
    List<Sequence> test = new ArrayList<>();
    int i = 0;
    while (i < 700) {
      double[][] xs = new double[steps][1];
      double sum = 0;
      for (double[] x : xs) {
        x[0] = rnd.nextDouble() * 2 - 1;
        sum += x[0];
      }
      if (Math.abs(sum) < 0.25) {
        continue;
      }
      int label = sum > 0 ? 1 : 0;
      int[] labels = new int[steps];
      Arrays.fill(labels, -1);
      labels[steps - 1] = label;
      if (i < 400) {
        train.add(Example.of(xs, Losses.softmaxCrossEntropy(label)));
      } else {
        (i < 550 ? valid : test).add(new Sequence(toFloat(xs), null, labels, null));
      }
      i++;
    }
    return new Task(train, valid, test);
  }

  private static double learnSumSign(ModelSpec spec, TrainableModel m, double lr) {
    Task task = sumSign(81, 8);
    Trainer trainer = Trainer.builder(m, Adam.builder(lr).build()).batchSize(10)
        .clipGlobalNorm(5).seed(82).build();
    train(GradCheck.describe(spec), trainer, task, 60,
        served -> accuracy(Serving.softmaxHead(served), task.valid()), 0.98, true);
    return accuracy(Serving.softmaxHead(m.toModel(INFO)), task.test());
  }

  @Test
  void elmanTanhShouldLearnTheSignOfASequenceSum() {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 1, 8).pooling(Pooling.LAST)
        .head(2, Activation.IDENTITY).build();
    assertThat(learnSumSign(spec, TrainableModel.fromInit(spec, 83), 0.005))
        .isGreaterThanOrEqualTo(0.96);
  }

  @Test
  void clockworkShouldLearnTheSignOfASequenceSumWithAttentionPooling() {
    ModelSpec spec = ModelSpec.builder(CellType.CLOCKWORK, 1, 9).clockPeriods(1, 2, 4)
        .pooling(Pooling.ATTENTION).head(2, Activation.IDENTITY).build();
    assertThat(learnSumSign(spec, TrainableModel.fromInit(spec, 84), 0.01))
        .isGreaterThanOrEqualTo(0.96);
  }

  @Test
  void scrnShouldLearnTheSignOfASequenceSum() {
    ModelSpec spec = ModelSpec.builder(CellType.SCRN, 1, 6).context(4, 0.9f)
        .pooling(Pooling.LAST).head(2, Activation.IDENTITY).build();
    assertThat(learnSumSign(spec, TrainableModel.fromInit(spec, 85), 0.01))
        .isGreaterThanOrEqualTo(0.96);
  }

  /**
   * The lecture's LSTM example: x2 = 1 adds x1 to the memory, x2 = -1 resets it, x3 = 1 outputs
   * it (target 0 at every other step). x1 uniform in [0, 1) instead of the lecture's digits.
   * Candidate and cell activations identity, as in the lecture's hand-built network.
   */
  private static Task memoryTask(long seed, int n, int steps) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Example> train = new ArrayList<>();
    List<Sequence> valid = new ArrayList<>();
    List<Sequence> test = new ArrayList<>();
    for (int i = 0; i < n + 300; i++) {
      double[][] xs = new double[steps][3];
      double[][] ys = new double[steps][1];
      double memory = 0;
      for (int t = 0; t < steps; t++) {
        xs[t][0] = rnd.nextDouble();
        double r = rnd.nextDouble();
        if (r < 0.3) {
          xs[t][1] = 1;
          memory += xs[t][0];
        } else if (r < 0.4) {
          xs[t][1] = -1;
          memory = 0;
        } else if (r < 0.6) {
          xs[t][2] = 1;
        }
        ys[t][0] = xs[t][2] == 1 ? memory : 0;
      }
      if (i < n) {
        train.add(Example.of(xs, Losses.meanSquaredError(ys)));
      } else {
        (i < n + 150 ? valid : test).add(new Sequence(toFloat(xs), null, null, ys));
      }
    }
    return new Task(train, valid, test);
  }

  @Test
  void lstmShouldLearnTheLectureMemoryTask() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 3, 4)
        .candidateActivation(Activation.IDENTITY).cellActivation(Activation.IDENTITY)
        .head(1, Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 86).setForgetGateBias(1);
    Task task = memoryTask(87, 400, 12);
    Trainer trainer = Trainer.builder(m, Adam.builder(0.02).build()).batchSize(8)
        .clipGlobalNorm(1).seed(88).build();
    train("lstm lecture memory", trainer, task, 80, served -> mse(served, task.valid(), false),
        0.003, false);

    RnnModel served = m.toModel(INFO);
    assertThat(mse(served, task.test(), false)).as("MSE over every step").isLessThan(0.01);
    assertThat(mse(served, task.test(), true)).as("MSE at output steps").isLessThan(0.02);
  }

  /** Bits b_t (one-hot, 2 inputs); label at t: b_{t - delay} (none for t < delay). Tagging. */
  private static Task echo(long seed, int n, int steps, int delay) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Example> train = new ArrayList<>();
    List<Sequence> valid = new ArrayList<>();
    List<Sequence> test = new ArrayList<>();
    for (int i = 0; i < n + 200; i++) {
      double[][] xs = new double[steps][2];
      int[] bits = new int[steps];
      int[] labels = new int[steps];
      for (int t = 0; t < steps; t++) {
        bits[t] = rnd.nextInt(2);
        xs[t][bits[t]] = 1;
        labels[t] = t >= delay ? bits[t - delay] : -1;
      }
      if (i < n) {
        train.add(Example.of(xs, Losses.softmaxCrossEntropyPerStep(labels)));
      } else {
        (i < n + 100 ? valid : test).add(new Sequence(toFloat(xs), null, labels, null));
      }
    }
    return new Task(train, valid, test);
  }

  private static double learnEcho(ModelSpec spec, long seed, int delay, double lr) {
    TrainableModel m = TrainableModel.fromInit(spec, seed);
    Task task = echo(seed + 1, 300, 10, delay);
    Trainer trainer = Trainer.builder(m, Adam.builder(lr).build()).batchSize(10)
        .clipGlobalNorm(5).seed(seed + 2).build();
    train(GradCheck.describe(spec) + " echo-" + delay, trainer, task, 60,
        served -> accuracy(Serving.softmaxHead(served), task.valid()), 0.995, true);
    return accuracy(Serving.softmaxHead(m.toModel(INFO)), task.test());
  }

  @Test
  void gruShouldLearnToEchoWithADelayOfTwo() {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 2, 8).head(2, Activation.IDENTITY).build();
    assertThat(learnEcho(spec, 90, 2, 0.02)).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void jordanShouldLearnToEchoWithADelayOfOne() {
    ModelSpec spec = ModelSpec.builder(CellType.JORDAN, 2, 8).feedback(4, Activation.TANH)
        .head(2, Activation.IDENTITY).build();
    assertThat(learnEcho(spec, 91, 1, 0.02)).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void stackedLstmWithPeepholesShouldLearnToEchoWithADelayOfThree() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 2, 6).numLayers(2).peepholes(true)
        .head(2, Activation.IDENTITY).build();
    assertThat(learnEcho(spec, 92, 3, 0.02)).isGreaterThanOrEqualTo(0.99);
  }

  /**
   * The IRNN's adding problem (Le et al. 2015), small: inputs (value, marker); the target is
   * the sum of the two marked values, read at the last step. Many-to-one regression.
   */
  @Test
  void irnnShouldLearnTheAddingProblem() {
    ModelSpec spec = ModelSpec.builder(CellType.RNN, 2, 8).activation(Activation.RELU)
        .pooling(Pooling.LAST).head(1, Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromIrnn(spec, 93, 0.1);
    SplittableRandom rnd = new SplittableRandom(94);
    int steps = 10;
    List<Example> train = new ArrayList<>();
    List<Sequence> valid = new ArrayList<>();
    List<Sequence> test = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      double[][] xs = new double[steps][2];
      int a = rnd.nextInt(steps / 2);
      int b = steps / 2 + rnd.nextInt(steps / 2);
      for (int t = 0; t < steps; t++) {
        xs[t][0] = rnd.nextDouble();
      }
      xs[a][1] = 1;
      xs[b][1] = 1;
      double[][] ys = new double[steps][];
      ys[steps - 1] = new double[] {xs[a][0] + xs[b][0]};
      if (i < 400) {
        train.add(Example.of(xs, Losses.meanSquaredErrorLast(ys[steps - 1])));
      } else {
        (i < 550 ? valid : test).add(new Sequence(toFloat(xs), null, null, ys));
      }
    }
    Task task = new Task(train, valid, test);
    Trainer trainer = Trainer.builder(m, Adam.builder(0.01).build()).batchSize(10)
        .clipGlobalNorm(1).seed(95).build();
    train("irnn adding problem", trainer, task, 80, served -> mse(served, valid, false), 0.005,
        false);
    // predicting the mean gives ~1/6
    assertThat(mse(m.toModel(INFO), test, false)).isLessThan(0.01);
  }

  /**
   * Token tagging that needs the future: tag 1 iff the <em>next</em> token is 0. A bidirectional
   * GRU over embeddings learns it; the served model runs whole segments.
   */
  @Test
  void bidirectionalGruOverEmbeddingsShouldLearnALookAheadTag() {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 4, 6).vocabSize(5).bidirectional(true)
        .head(2, Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 96);
    SplittableRandom rnd = new SplittableRandom(97);
    List<Example> train = new ArrayList<>();
    List<Sequence> valid = new ArrayList<>();
    List<Sequence> test = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int steps = 5 + rnd.nextInt(6);
      int[] ids = new int[steps];
      for (int t = 0; t < steps; t++) {
        ids[t] = rnd.nextInt(5);
      }
      int[] labels = new int[steps];
      for (int t = 0; t < steps; t++) {
        labels[t] = t + 1 < steps && ids[t + 1] == 0 ? 1 : 0;
      }
      if (i < 300) {
        train.add(Example.ofTokens(ids, Losses.softmaxCrossEntropyPerStep(labels)));
      } else {
        (i < 400 ? valid : test).add(new Sequence(null, ids, labels, null));
      }
    }
    Task task = new Task(train, valid, test);
    Trainer trainer = Trainer.builder(m, Adam.builder(0.02).build()).batchSize(10)
        .clipGlobalNorm(5).seed(98).build();
    train("bi-gru embedding look-ahead", trainer, task, 60,
        served -> accuracy(Serving.softmaxHead(served), task.valid()), 0.995, true);
    assertThat(accuracy(Serving.softmaxHead(m.toModel(INFO)), task.test()))
        .isGreaterThanOrEqualTo(0.99);
  }

  /**
   * Truncated BPTT on long streams (window 8, an update after every window, state carried):
   * echo with a delay of 3 fits inside a window, so TBPTT learns it; the served model then runs
   * incrementally over a fresh 500-step stream.
   */
  @Test
  void lstmShouldLearnAStreamWithTruncatedBpttAndServeItIncrementally() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 2, 8).head(2, Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 99);
    Task task = echo(100, 30, 120, 3);
    Trainer trainer = Trainer.builder(m, Adam.builder(0.02).build()).window(8)
        .updateEveryWindow(true).clipGlobalNorm(5).seed(101).build();
    train("lstm tbptt stream echo-3", trainer, task, 30,
        served -> accuracy(Serving.softmaxHead(served), task.valid()), 0.995, true);

    RnnModel served = Serving.softmaxHead(m.toModel(INFO));
    SplittableRandom rnd = new SplittableRandom(102);
    RnnState state = served.newState();
    Workspace ws = served.newWorkspace();
    int[] bits = new int[500];
    int right = 0;
    for (int t = 0; t < bits.length; t++) {
      bits[t] = rnd.nextInt(2);
      float[] x = new float[2];
      x[bits[t]] = 1;
      float[] p = served.step(state, x, 0, ws);
      if (t >= 3) {
        right += (p[1] > p[0] ? 1 : 0) == bits[t - 3] ? 1 : 0;
      }
    }
    assertThat(right / 497.0).isGreaterThanOrEqualTo(0.99);
  }
}
