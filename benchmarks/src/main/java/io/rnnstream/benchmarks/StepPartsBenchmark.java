package io.rnnstream.benchmarks;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.model.BatchWorkspace;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import java.util.Arrays;
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
 * Where a batched LSTM step's time goes: B keys' step ({@link RnnModel#stepBatch}) next to its
 * two largest parts on the same shapes, with the JVM's kernel backend (run.sh adds the Vector API
 * module). Scores are per call (B keys).
 *
 * <ul>
 *   <li>{@code step}: the whole step, as in {@link BatchStepBenchmark};
 *   <li>{@code products}: {@code W_ih (4H, D) x} and {@code W_hh (4H, H) h} for the B keys through
 *       {@link Matrix#multiplyAddBatch}, into gate buffers zeroed every 256 calls (the step starts
 *       from the biases instead);
 *   <li>{@code activations}: the step's activations for the B keys: sigmoid over i, f and o
 *       (3H), tanh over the candidate and the new cell (2H), in the cells' call pattern, each key
 *       after copying its 4H pre-activations in (2 KB at H=128, a few tens of ns);
 *   <li>the rest of {@code step} (biases, the element-wise cell update, bookkeeping) is the
 *       difference.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StepPartsBenchmark {
  @Param({"128"})
  public int hidden;

  @Param({"64"})
  public int input;

  @Param({"16"})
  public int batch;

  private RnnModel model;
  private RnnState[] states;
  private float[][] xs;
  private float[][] hs;
  private int[] offsets;
  private BatchWorkspace bw;
  private Matrix wIh;
  private Matrix wHh;
  private float[][] gates;
  private float[][] pre; // pre-activations in [-4, 4], copied into gates before activations
  private int calls;

  @Setup(Level.Trial)
  public void setUp() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, input, hidden).build();
    model = RnnModel.create(spec, Initializers.uniform(spec, 42L, 1.0),
        ModelInfo.named("bench", 1), "bench");
    SplittableRandom rnd = new SplittableRandom(7L);
    states = new RnnState[batch];
    xs = new float[batch][];
    hs = new float[batch][];
    offsets = new int[batch];
    gates = new float[batch][4 * hidden];
    pre = new float[batch][4 * hidden];
    for (int b = 0; b < batch; b++) {
      states[b] = model.newState();
      xs[b] = uniform(rnd, input, 1);
      hs[b] = uniform(rnd, hidden, 1);
      pre[b] = uniform(rnd, 4 * hidden, 4);
    }
    bw = model.newBatchWorkspace(batch);
    wIh = Matrix.of(4 * hidden, input, uniform(rnd, 4 * hidden * input, 0.1));
    wHh = Matrix.of(4 * hidden, hidden, uniform(rnd, 4 * hidden * hidden, 0.1));
  }

  private static float[] uniform(SplittableRandom rnd, int n, double bound) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    return a;
  }

  @Benchmark
  public float step() {
    model.stepBatch(batch, states, xs, offsets, bw);
    return bw.output(batch - 1)[0];
  }

  @Benchmark
  public float products() {
    if ((++calls & 255) == 0) {
      for (float[] g : gates) {
        Arrays.fill(g, 0f);
      }
    }
    wIh.multiplyAddBatch(batch, xs, null, 0, gates);
    wHh.multiplyAddBatch(batch, hs, null, 0, gates);
    return gates[batch - 1][0];
  }

  @Benchmark
  public float activations() {
    final int h = hidden;
    for (int b = 0; b < batch; b++) {
      float[] g = gates[b];
      System.arraycopy(pre[b], 0, g, 0, 4 * h);
      Activation.SIGMOID.apply(g, 0, 2 * h); // i, f
      Activation.TANH.apply(g, 2 * h, h); // candidate
      Activation.SIGMOID.apply(g, 3 * h, h); // o
      Activation.TANH.apply(g, 2 * h, h); // the new cell, in the candidate's place
    }
    return gates[batch - 1][0];
  }
}
