package io.rnnstream.models.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.model.BatchWorkspace;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernels, and the cells' steps built on them, allocate nothing once compiled. The Vector
 * API allocates a box for every vector that C2 cannot keep in a register (an operation it does
 * not intrinsify, or a helper taking or returning vectors that it does not inline); that runs
 * several times slower and floods the young generation. A helper of that kind in
 * {@code sigmoid} once made it 4x slower, with 2.3 KB of garbage per 128 values and every output
 * still correct: only a test like this one notices. Whether C2 inlines such a helper depends on
 * the caller, so the steps are checked as well as the kernels on their own.
 *
 * <p>Before C2 has compiled a kernel the interpreter allocates too, so each kernel runs in rounds
 * until one round allocates nothing, for at most {@link #PATIENCE_NANOS}; a round is at most
 * {@link #CALLS_PER_ROUND} calls or {@link #ROUND_NANOS}, so a kernel that never gets compiled
 * fails within the patience instead of stalling the build. No timing is asserted:
 * only the thread's allocated bytes ({@code com.sun.management.ThreadMXBean}).
 */
class KernelAllocationTest {
  private static final long PATIENCE_NANOS = 60_000_000_000L;
  private static final int CALLS_PER_ROUND = 20_000;
  private static final long ROUND_NANOS = 2_000_000_000L;
  private static final int H = 128;
  private static final int D = 64;
  private static final int KEYS = 16;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static java.util.List<KernelBackend> backends() {
    return KernelBackendTest.backends();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void productsShouldNotAllocateOnceCompiled(KernelBackend backend) {
    SplittableRandom rnd = new SplittableRandom(3);
    Matrix w = Matrix.of(4 * H, H, random(rnd, 4 * H * H, 0.05f));
    float[][] xs = new float[KEYS][];
    float[][] ys = new float[KEYS][4 * H];
    for (int b = 0; b < KEYS; b++) {
      xs[b] = random(rnd, H, 1f);
    }
    assertAllocationFree(backend.name() + " gemvAdd", () -> backend.gemvAdd(w, xs[0], 0, ys[0]));
    assertAllocationFree(backend.name() + " gemmAdd, 16 keys",
        () -> backend.gemmAdd(w, KEYS, xs, null, 0, ys));
    Matrix tall = Matrix.of(4 * H, D, random(rnd, 4 * H * D, 0.05f));
    assertAllocationFree(backend.name() + " gemmAdd, 7 keys, D=64",
        () -> backend.gemmAdd(tall, 7, xs, null, 0, ys));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void activationsShouldNotAllocateOnceCompiled(KernelBackend backend) {
    float[] src = random(new SplittableRandom(5), 4 * H + 3, 4f);
    float[] a = new float[src.length];
    assertAllocationFree(backend.name() + " sigmoid", () -> {
      System.arraycopy(src, 0, a, 0, a.length);
      backend.sigmoid(a, 0, a.length);
    });
    assertAllocationFree(backend.name() + " tanh", () -> {
      System.arraycopy(src, 0, a, 0, a.length);
      backend.tanh(a, 1, a.length - 1);
    });
  }

  /**
   * The kernels as the cells call them (through {@link Activation#apply}, inlined into the step):
   * C2's inlining decisions depend on the caller, so a kernel free of boxes on its own can still
   * box inside a step.
   */
  @ParameterizedTest
  @ValueSource(strings = {"lstm", "gru", "rnn"})
  void stepsShouldNotAllocateOnceCompiled(String cell) {
    ModelSpec spec = ModelSpec.builder(CellType.of(cell), D, H).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 42L, 1.0),
        ModelInfo.named("alloc", 1), "test");
    SplittableRandom rnd = new SplittableRandom(9);
    RnnState[] states = new RnnState[KEYS];
    float[][] xs = new float[KEYS][];
    int[] offsets = new int[KEYS];
    for (int b = 0; b < KEYS; b++) {
      states[b] = model.newState();
      xs[b] = random(rnd, D, 1f);
    }
    Workspace ws = model.newWorkspace();
    BatchWorkspace bw = model.newBatchWorkspace(KEYS);
    assertAllocationFree(cell + " step", () -> model.step(states[0], xs[0], 0, ws));
    assertAllocationFree(cell + " stepBatch, 16 keys",
        () -> model.stepBatch(KEYS, states, xs, offsets, bw));
  }

  /** The sentiment model's shape: embedding, LSTM, mean pooling, softmax head; token steps. */
  @org.junit.jupiter.api.Test
  void tokenStepsThroughPoolingAndHeadShouldNotAllocateOnceCompiled() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, H).vocabSize(500)
        .pooling(Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 1L, 1.0),
        ModelInfo.named("alloc", 1), "test");
    RnnState[] states = new RnnState[KEYS];
    int[] ids = new int[KEYS];
    for (int b = 0; b < KEYS; b++) {
      states[b] = model.newState();
      ids[b] = 7 * b;
    }
    Workspace ws = model.newWorkspace();
    BatchWorkspace bw = model.newBatchWorkspace(KEYS);
    assertAllocationFree("token step", () -> model.stepToken(states[0], 3, ws));
    assertAllocationFree("token stepBatch, 16 keys",
        () -> model.stepTokensBatch(KEYS, states, ids, bw));
  }

  private static void assertAllocationFree(String what, Runnable kernel) {
    long thread = Thread.currentThread().getId();
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    long bytes;
    int calls;
    int rounds = 0;
    do {
      // A round ends after CALLS_PER_ROUND calls or ROUND_NANOS, whichever comes first: a kernel
      // stuck in the Vector API's Java fallback (about 1000x slower; seen once in CI) must fail
      // within the patience, not stall the build for many minutes in one round.
      long roundEnd = System.nanoTime() + ROUND_NANOS;
      long before = THREADS.getThreadAllocatedBytes(thread);
      calls = 0;
      do {
        kernel.run();
        calls++;
      } while (calls < CALLS_PER_ROUND && ((calls & 63) != 0 || System.nanoTime() < roundEnd));
      bytes = THREADS.getThreadAllocatedBytes(thread) - before;
      rounds++;
    } while (bytes > 0 && System.nanoTime() < deadline);
    assertThat(bytes)
        .as("%s: bytes allocated in %d calls after %d rounds (%.1f per call): a vector is boxed",
            what, calls, rounds, bytes / (double) calls)
        .isZero();
  }

  private static float[] random(SplittableRandom rnd, int n, float bound) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    return a;
  }
}
