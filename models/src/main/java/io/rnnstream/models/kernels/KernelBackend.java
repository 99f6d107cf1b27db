package io.rnnstream.models.kernels;

/**
 * The hot loops of a recurrent step, in one of two implementations chosen once per JVM
 * ({@link Kernels#backend()}): {@link ScalarKernels}, plain loops that C2 auto-vectorises on any
 * JDK 17, and {@code VectorKernels}, explicit SIMD through the incubating Java Vector API when the
 * JVM runs with {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Both agree with {@link ReferenceKernels} within float rounding (the vector path fuses
 * multiply-adds, so sums differ in the last bits; the tests state the tolerance). Destinations are
 * always at offset 0 of their array: a gemv writing at an offset measured several times slower.
 */
public interface KernelBackend {
  /** Short name for logs and benchmarks: {@code "scalar"} or {@code "vector-512"}. */
  String name();

  /** y[0..R) += W (R, C) @ x[xOff..xOff+C). */
  void gemvAdd(Matrix w, float[] x, int xOff, float[] y);

  /**
   * The same product for {@code n} keys at once, reading each weight column once per group of
   * keys instead of once per key: for b &lt; n,
   * {@code ys[b][0..R) += W @ xs[b][off_b .. off_b+C)} with
   * {@code off_b = (xOffs == null ? 0 : xOffs[b]) + xOff}.
   */
  void gemmAdd(Matrix w, int n, float[][] xs, int[] xOffs, int xOff, float[][] ys);

  /** a[off..off+len) = sigmoid(a[...]) in place, as {@link Activation#sigmoid}. */
  void sigmoid(float[] a, int off, int len);

  /** a[off..off+len) = tanh(a[...]) in place, as {@link Activation#tanh}. */
  void tanh(float[] a, int off, int len);
}
