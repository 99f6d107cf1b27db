package io.rnnstream.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The memory floor of a batch-1 step: one pass reading {@code floats} weights with the widest
 * vectors and four independent accumulators (no other work), i.e. how fast this core can stream
 * a weight matrix of that size from wherever it lives in the cache hierarchy. A batch-1 step has
 * to read every weight once, so it cannot be much faster than this; {@link #copyOnce} measures
 * the same bandwidth through a JVM intrinsic.
 *
 * <p>Sizes: 98 304 floats (0.39 MB) = an LSTM H=128, D=64 (4H x (D+H)); 1 662 976 floats
 * (6.65 MB) = an LSTM H=512, D=300. Needs {@code --add-modules jdk.incubator.vector} (run.sh
 * passes it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WeightStreamBenchmark {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Param({"98304", "1662976"})
  public int floats;

  private float[] w;
  private float[] copy;

  @Setup
  public void setUp() {
    w = new float[floats];
    copy = new float[floats];
    for (int i = 0; i < floats; i++) {
      w[i] = (i % 7) * 0.125f;
    }
  }

  @Benchmark
  public float readOnce() {
    int step = S.length();
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    for (; i <= w.length - 4 * step; i += 4 * step) {
      a0 = a0.add(FloatVector.fromArray(S, w, i));
      a1 = a1.add(FloatVector.fromArray(S, w, i + step));
      a2 = a2.add(FloatVector.fromArray(S, w, i + 2 * step));
      a3 = a3.add(FloatVector.fromArray(S, w, i + 3 * step));
    }
    float sum = a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    for (; i < w.length; i++) {
      sum += w[i];
    }
    return sum;
  }

  /**
   * A second view of the same bandwidth: {@code System.arraycopy} of the weights (a JVM
   * intrinsic, so no question of how well the loop above compiles), moving twice the bytes.
   */
  @Benchmark
  public float[] copyOnce() {
    System.arraycopy(w, 0, copy, 0, w.length);
    return copy;
  }
}
