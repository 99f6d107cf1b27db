package io.rnnstream.benchmarks;

import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.Map;
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
 * One incremental {@link RnnModel#step} of a single-layer LSTM or GRU (no head, no pooling) with
 * input width D and hidden width H: the per-event cost of the streaming operators.
 *
 * <p>The state is built once per trial and then stepped for the whole run, as a long-lived key
 * would be; it is never reset. That is deliberate: the tanh/sigmoid cells keep h in (-1, 1) and
 * (with forget gates below 1) c bounded, so nothing drifts to infinity, and a state that stays
 * non-zero keeps the recurrent product honest ({@code Kernels.axpy} skips zero coefficients, so a
 * zero h could skip work in the W_hh product). Inputs cycle through a small bank of pre-built
 * uniform(-1, 1) vectors, so the state keeps moving instead of settling on a fixed point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CellStepBenchmark {
  /** Inputs in the bank (a power of two). */
  private static final int BANK = 64;

  @Param({"lstm", "gru"})
  public String cell;

  @Param({"64", "128", "256", "512"})
  public int hidden;

  @Param({"64"})
  public int input;

  private RnnModel model;
  private RnnState state;
  private Workspace ws;
  private float[] xs; // BANK inputs of width D, back to back
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    ModelSpec spec = ModelSpec.builder(CellType.of(cell), input, hidden).build();
    Map<String, Tensor> w = Initializers.uniform(spec, 42L, 1.0);
    model = RnnModel.create(spec, w, ModelInfo.named("bench", 1), "bench");
    state = model.newState();
    ws = model.newWorkspace();
    SplittableRandom rnd = new SplittableRandom(7L);
    xs = new float[BANK * input];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    // Leave the all-zero start state behind before measuring.
    for (int i = 0; i < 1000; i++) {
      step();
    }
  }

  /** One step; returns the output's first element so the work cannot be eliminated. */
  @Benchmark
  public float step() {
    int off = (next++ & (BANK - 1)) * input;
    return model.step(state, xs, off, ws)[0];
  }
}
