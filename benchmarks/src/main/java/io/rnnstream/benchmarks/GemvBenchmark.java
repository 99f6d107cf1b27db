package io.rnnstream.benchmarks;

import io.rnnstream.models.kernels.Kernels;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.ReferenceKernels;
import io.rnnstream.models.kernels.Tensor;
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
 * {@code y += W x} for the two products of an LSTM step at H=128, D=64: W_ih (4H=512, D=64) and
 * W_hh (4H=512, H=128). Compares
 *
 * <ul>
 *   <li>{@code fast}: {@link Kernels#gemvAdd}, axpy loops over the column arrays that
 *       {@link Matrix} keeps (what the cells use), y at offset 0;
 *   <li>{@code fastAtOffset}: the same, but accumulating into {@code y} at a non-zero offset
 *       (several times slower: the offset loop does not vectorise as well on JDK 17; the GRU
 *       used this path for its recurrent product until it moved both products to offset 0);
 *   <li>{@code reference}: {@link ReferenceKernels#gemvAdd}, a row-by-row dot product over the
 *       row-major tensor in double precision (what the tests compare against);
 *   <li>{@code rowDotFloat}: the same row-major dot product with a float accumulator, defined
 *       here (not in the library), to separate the cost of the double accumulator from the cost
 *       of the layout.
 * </ul>
 *
 * Each call first zeroes y (512 floats, a few ns) so that y stays bounded; all three pay it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemvBenchmark {
  @Param({"512"})
  public int rows;

  /** 64: W_ih (4H, D); 128: W_hh (4H, H). */
  @Param({"64", "128"})
  public int cols;

  private Tensor tensor;
  private Matrix matrix;
  private float[] x;
  private float[] y;
  private float[] y2; // (2R): fastAtOffset writes the upper half

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(11L);
    float bound = (float) (1.0 / Math.sqrt(128));
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    tensor = Tensor.matrix(rows, cols, w);
    matrix = new Matrix(tensor);
    x = new float[cols];
    for (int i = 0; i < cols; i++) {
      x[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    y = new float[rows];
    y2 = new float[2 * rows];
  }

  @Benchmark
  public float fast() {
    Arrays.fill(y, 0f);
    Kernels.gemvAdd(matrix, x, 0, y, 0);
    return y[0];
  }

  /**
   * {@code fast} writing into {@code y[R .. 2R)} instead of {@code y[0 .. R)}: the non-zero
   * {@code yOff} path of {@link Kernels#gemvAdd}.
   */
  @Benchmark
  public float fastAtOffset() {
    Arrays.fill(y2, rows, 2 * rows, 0f);
    Kernels.gemvAdd(matrix, x, 0, y2, rows);
    return y2[rows];
  }

  @Benchmark
  public float reference() {
    Arrays.fill(y, 0f);
    ReferenceKernels.gemvAdd(tensor, x, 0, y, 0);
    return y[0];
  }

  @Benchmark
  public float rowDotFloat() {
    Arrays.fill(y, 0f);
    rowDot(tensor.data(), rows, cols, x, y);
    return y[0];
  }

  private static void rowDot(float[] w, int rows, int cols, float[] x, float[] y) {
    for (int r = 0; r < rows; r++) {
      float sum = 0f;
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        sum += w[base + c] * x[c];
      }
      y[r] += sum;
    }
  }
}
