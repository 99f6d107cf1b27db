package io.rnnstream.benchmarks;

import io.rnnstream.models.kernels.Kernels;
import io.rnnstream.models.model.BatchWorkspace;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One step of B keys (B independent states, one input each) through {@link RnnModel#stepBatch},
 * per backend: {@code scalar} (auto-vectorised loops) or {@code vector} (Java Vector API). The
 * score is per call, i.e. per B keys; BENCHMARKS.md divides by B. {@code batch=1} with
 * {@code kernels=scalar} is the single-key step of {@link CellStepBenchmark}.
 *
 * <p>{@code tokenStep} is the same step for a model with an embedding of {@value #VOCAB} words
 * (the sentiment pipeline's shape), random token ids: it reads each token's precomputed input
 * projection ({@link RnnModel#projectsTokens}) instead of multiplying its embedding by
 * {@code W_ih}, so against {@code step} it shows what that saves.
 *
 * <p>The backend is fixed per JVM when {@link Kernels} loads; JMH runs every parameter
 * combination in its own fork, and the trial setup sets {@code rnnstream.kernels} before any model
 * class loads (the run needs {@code --add-modules jdk.incubator.vector}, which run.sh passes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchStepBenchmark {
  @Param({"lstm", "gru", "rnn"})
  public String cell;

  @Param({"64", "128", "256", "512"})
  public int hidden;

  @Param({"64"})
  public int input;

  @Param({"1", "4", "16", "64"})
  public int batch;

  @Param({"scalar", "vector"})
  public String kernels;

  /**
   * Keys whose states {@code step} cycles through: 0 (the default) steps the same B states every
   * call, warm in the cache; more (e.g. 5000, one subtask's share of the end-to-end run's 10 000
   * keys) steps B of them drawn at random each call, as an operator does, whose keys' states are
   * mostly out of the cache when their events arrive (1 KB each at H=128, 5 MB for 5000).
   */
  @Param({"0"})
  public int keys;

  static final int VOCAB = 5000;
  private static final int ID_ROUNDS = 1024;

  private RnnModel model;
  private RnnModel tokenModel;
  private RnnState[] tokenStates;
  private int[][] ids;
  private int round;
  private RnnState[] pool; // keys > 0: every key's state
  private int[][] picks; // keys > 0: the keys of each call, ID_ROUNDS rounds
  private RnnState[] states;
  private float[][] xs;
  private int[] offsets;
  private BatchWorkspace bw;
  private Workspace ws;

  @Setup(Level.Trial)
  public void setUp() {
    System.setProperty("rnnstream.kernels", kernels);
    if (!Kernels.backend().name().startsWith(kernels)) {
      throw new IllegalStateException("asked for " + kernels + " kernels, the JVM runs "
          + Kernels.backend().name() + " (was Kernels loaded before the setup?)");
    }
    ModelSpec spec = ModelSpec.builder(CellType.of(cell), input, hidden).build();
    model = RnnModel.create(spec, Initializers.uniform(spec, 42L, 1.0),
        ModelInfo.named("bench", 1), "bench");
    SplittableRandom rnd = new SplittableRandom(7L);
    states = new RnnState[batch];
    xs = new float[batch][input];
    offsets = new int[batch];
    for (int b = 0; b < batch; b++) {
      states[b] = model.newState();
      for (int i = 0; i < input; i++) {
        xs[b][i] = (float) (rnd.nextDouble() * 2 - 1);
      }
    }
    if (keys > 0) {
      if (keys < batch) {
        throw new IllegalArgumentException("keys (" + keys + ") < batch (" + batch + ")");
      }
      pool = new RnnState[keys];
      for (int k = 0; k < keys; k++) {
        pool[k] = model.newState();
      }
      picks = new int[ID_ROUNDS][batch];
      for (int[] row : picks) { // B distinct keys per call, as in a bundle
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int b = 0; b < batch; b++) {
          int k;
          do {
            k = rnd.nextInt(keys);
          } while (!taken.add(k));
          row[b] = k;
        }
      }
    }
    bw = model.newBatchWorkspace(batch);
    ws = model.newWorkspace();
    ModelSpec tokenSpec = ModelSpec.builder(CellType.of(cell), input, hidden).vocabSize(VOCAB)
        .build();
    tokenModel = RnnModel.create(tokenSpec, Initializers.uniform(tokenSpec, 42L, 1.0),
        ModelInfo.named("bench", 1), "bench");
    tokenStates = new RnnState[batch];
    for (int b = 0; b < batch; b++) {
      tokenStates[b] = tokenModel.newState();
    }
    ids = new int[ID_ROUNDS][batch];
    for (int[] row : ids) {
      for (int b = 0; b < batch; b++) {
        row[b] = rnd.nextInt(VOCAB);
      }
    }
    for (int i = 0; i < 200; i++) { // leave the all-zero start states behind
      step();
      tokenStep();
    }
  }

  /** One step of all B keys; returns an output element so the work cannot be eliminated. */
  @Benchmark
  public float step() {
    if (pool != null) {
      int[] row = picks[round];
      round = (round + 1) % ID_ROUNDS;
      for (int b = 0; b < batch; b++) {
        states[b] = pool[row[b]];
      }
    }
    if (batch == 1) {
      return model.step(states[0], xs[0], 0, ws)[0];
    }
    model.stepBatch(batch, states, xs, offsets, bw);
    return bw.output(batch - 1)[0];
  }

  /** One token step of all B keys (random ids, cycling through {@value #ID_ROUNDS} rounds). */
  @Benchmark
  public float tokenStep() {
    int[] row = ids[round];
    round = (round + 1) % ID_ROUNDS;
    if (batch == 1) {
      return tokenModel.stepToken(tokenStates[0], row[0], ws)[0];
    }
    tokenModel.stepTokensBatch(batch, tokenStates, row, bw);
    return bw.output(batch - 1)[0];
  }
}
