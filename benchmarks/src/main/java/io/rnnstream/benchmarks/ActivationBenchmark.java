package io.rnnstream.benchmarks;

import io.rnnstream.models.kernels.Activation;
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
 * The element-wise part of a cell step: {@code n} activations, in place, over pre-activations
 * drawn uniformly from [-4, 4]. An LSTM step applies 3H sigmoids and 2H tanh, a GRU step 2H
 * sigmoids and H tanh; BENCHMARKS.md multiplies accordingly.
 *
 * <ul>
 *   <li>{@code tanh}, {@code sigmoid}: the library's {@link Activation#TANH} and
 *       {@link Activation#SIGMOID} (what the cells call);
 *   <li>{@code mathTanh}: {@code (float) Math.tanh}, defined here as the JDK baseline. JDK 17
 *       does not intrinsify it (it runs fdlibm's {@code StrictMath.tanh});
 *   <li>{@code mathSigmoid}: {@code 1 / (1 + Math.exp(-v))} in double, defined here as the JDK
 *       baseline ({@code Math.exp} is a C2 intrinsic).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ActivationBenchmark {
  @Param({"128"})
  public int n;

  private float[] src;
  private float[] dst;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(3L);
    src = new float[n];
    dst = new float[n];
    for (int i = 0; i < n; i++) {
      src[i] = (float) (rnd.nextDouble() * 8 - 4);
    }
  }

  @Benchmark
  public float tanh() {
    System.arraycopy(src, 0, dst, 0, n);
    Activation.TANH.apply(dst, 0, n);
    return dst[0];
  }

  @Benchmark
  public float sigmoid() {
    System.arraycopy(src, 0, dst, 0, n);
    Activation.SIGMOID.apply(dst, 0, n);
    return dst[0];
  }

  @Benchmark
  public float mathTanh() {
    for (int i = 0; i < n; i++) {
      dst[i] = (float) Math.tanh(src[i]);
    }
    return dst[0];
  }

  @Benchmark
  public float mathSigmoid() {
    for (int i = 0; i < n; i++) {
      dst[i] = (float) (1.0 / (1.0 + Math.exp(-src[i])));
    }
    return dst[0];
  }
}
