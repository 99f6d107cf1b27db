package io.rnnstream.benchmarks;

import ai.onnxruntime.OrtException;
import io.rnnstream.benchmarks.onnx.OnnxModelFiles;
import io.rnnstream.benchmarks.onnx.OnnxParity;
import io.rnnstream.benchmarks.onnx.OnnxStep;
import io.rnnstream.models.model.BatchWorkspace;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One step of B keys' states, ONNX Runtime 1.29 next to our {@link RnnModel}, with the same
 * PyTorch weights (exported by {@code benchmarks/onnx/export_onnx.py}; the directory is the
 * system property {@code rnnstream.onnx.dir}, default {@code benchmarks/target/onnx}). The score
 * is per call, i.e. per B key steps: divide by B for the cost per key.
 *
 * <ul>
 *   <li>{@code onnxRuntime}: the exported step graph {@code x (B, D), h (B, H) [, c (B, H)] ->
 *       h_next [, c_next]} (ORT's fused LSTM/GRU op), one thread, sequential, all graph
 *       optimisations. Each call writes the B inputs and B states into ORT's (reused, direct)
 *       input buffers and copies the B new states back out of its pinned output buffers, as a
 *       stateful caller that keeps each key's state elsewhere must.
 *   <li>{@code rnnstream}: {@link RnnModel#stepBatch} over the B keys' {@link RnnState}s
 *       ({@link RnnModel#step} at B=1), with the JVM's kernel backend (run.sh adds the Vector
 *       API module; {@code -jvmArgsAppend -Drnnstream.kernels=scalar} for the plain loops).
 * </ul>
 *
 * Setup checks that both engines agree with PyTorch's reference step within 1e-4 and fails
 * otherwise. Both keep their states across the whole run (never reset), and the inputs cycle
 * through a bank of uniform(-1, 1) vectors, as in {@link CellStepBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OnnxStepBenchmark {
  /** Input vectors in the bank (a power of two, >= the largest batch). */
  private static final int BANK = 64;

  @Param({"lstm", "gru"})
  public String cell;

  @Param({"64", "128", "256", "512"})
  public int hidden;

  @Param({"1", "4", "16", "64"})
  public int batch;

  /** D; the export has 64 for every (cell, H) and 300 for lstm H=512 only. */
  @Param({"64"})
  public int input;

  private OnnxStep ort;
  private float[][] ortStates; // B key states, [h, c] or [h]
  private RnnModel model;
  private RnnState[] states; // the same B keys for RnnModel
  private Workspace ws;
  private BatchWorkspace bw;
  private float[][] inputs; // B references to xs, for stepBatch
  private int[] offsets; // key b's input row in xs
  private float[] xs; // BANK inputs of width D, back to back
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws OrtException {
    if (batch > BANK) {
      throw new IllegalArgumentException("batch " + batch + " > input bank " + BANK);
    }
    OnnxModelFiles files = OnnxModelFiles.locate(cell + "_h" + hidden + "_d" + input);
    OnnxParity parity = OnnxParity.check(files).requireWithin(files.name(), OnnxParity.TOLERANCE);
    System.out.println(files.name() + ": " + parity);
    ort = new OnnxStep(files.onnxBytes(), batch);
    model = files.rnnModel();
    ws = model.newWorkspace();
    bw = model.newBatchWorkspace(batch);
    offsets = new int[batch];
    states = new RnnState[batch];
    ortStates = new float[batch][];
    for (int b = 0; b < batch; b++) {
      states[b] = model.newState();
      ortStates[b] = new float[ort.stateSize()];
    }
    SplittableRandom rnd = new SplittableRandom(7L);
    xs = new float[BANK * input];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    inputs = new float[batch][];
    java.util.Arrays.fill(inputs, xs);
    // Leave the all-zero start states behind before measuring.
    for (int i = 0; i < 200; i++) {
      onnxRuntime();
      rnnstream();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    ort.close();
  }

  /** B key steps through ORT: states in, one run, states out. */
  @Benchmark
  public float onnxRuntime() throws OrtException {
    int first = advance();
    for (int b = 0; b < batch; b++) {
      ort.setInput(b, xs, row(first + b));
      ort.setState(b, ortStates[b], 0);
    }
    ort.run();
    for (int b = 0; b < batch; b++) {
      ort.getState(b, ortStates[b], 0);
    }
    return ortStates[0][0];
  }

  /** B key steps through RnnModel. */
  @Benchmark
  public float rnnstream() {
    return stepKeys(advance());
  }

  /**
   * Steps keys 0..B-1 once each, key b on input row {@code first + b}: one
   * {@link RnnModel#step} at B=1, else one {@link RnnModel#stepBatch} (the cross-key kernels).
   */
  private float stepKeys(int first) {
    if (batch == 1) {
      return model.step(states[0], xs, row(first), ws)[0];
    }
    for (int b = 0; b < batch; b++) {
      offsets[b] = row(first + b);
    }
    model.stepBatch(batch, states, inputs, offsets, bw);
    return bw.output(batch - 1)[0];
  }

  /** The bank row of this call's first key; moves on by B rows per call. */
  private int advance() {
    int first = next;
    next = (next + batch) & (BANK - 1);
    return first;
  }

  private int row(int i) {
    return (i & (BANK - 1)) * input;
  }
}
