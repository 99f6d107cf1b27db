package io.rnnstream.models.kernels;

import java.util.Locale;

/**
 * Entry point to the fast kernels. Each has a naive twin in {@link ReferenceKernels} that tests
 * compare against.
 *
 * <p>The {@link KernelBackend} is chosen once, when this class loads, from the system property
 * {@code rnnstream.kernels}: {@code auto} (default: the Vector API path when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, else the auto-vectorised loops), {@code vector}
 * (fail if the module is missing) or {@code scalar}. It sits in a {@code static final} field, so
 * C2 inlines the calls as if there were one implementation.
 */
public final class Kernels {
  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final KernelBackend BACKEND =
      select(System.getProperty("rnnstream.kernels", "auto"));

  private Kernels() {}

  /** The backend this JVM runs. */
  public static KernelBackend backend() {
    return BACKEND;
  }

  /** The auto-vectorised backend, whatever the JVM chose (tests and benchmarks compare both). */
  public static KernelBackend scalar() {
    return ScalarKernels.INSTANCE;
  }

  /**
   * The Vector API backend.
   *
   * @throws IllegalStateException naming the JVM flag when the module is not in the boot layer
   */
  public static KernelBackend vector() {
    if (!vectorModulePresent()) {
      throw new IllegalStateException("the Vector API backend needs the JVM option "
          + "--add-modules " + VECTOR_MODULE + " (JDK 17 or newer)");
    }
    try {
      return (KernelBackend) Class.forName("io.rnnstream.models.kernels.VectorKernels")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("the Vector API backend failed to load: " + e, e);
    }
  }

  static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  static KernelBackend select(String choice) {
    switch (choice.toLowerCase(Locale.ROOT)) {
      case "scalar":
        return scalar();
      case "vector":
        return vector();
      case "auto":
        if (!vectorModulePresent()) {
          return scalar();
        }
        try {
          return vector();
        } catch (IllegalStateException e) {
          return scalar();
        }
      default:
        throw new IllegalArgumentException(
            "rnnstream.kernels=" + choice + ": expected auto, vector or scalar");
    }
  }

  /** y[yOff..yOff+R) += W (R, C) @ x[xOff..xOff+C). */
  public static void gemvAdd(Matrix w, float[] x, int xOff, float[] y, int yOff) {
    if (yOff == 0) {
      BACKEND.gemvAdd(w, x, xOff, y);
      return;
    }
    float[][] col = w.columns(); // rare (no cell writes at an offset): a plain loop
    for (int c = 0; c < w.cols(); c++) {
      axpy(x[xOff + c], col[c], y, yOff, w.rows());
    }
  }

  /** y[0..n) += a * v[0..n). Kept offset-free: the simplest loop shape vectorises best. */
  public static void axpy(float a, float[] v, float[] y, int n) {
    if (a == 0f) {
      return;
    }
    for (int i = 0; i < n; i++) {
      y[i] += a * v[i];
    }
  }

  /** y[yOff..yOff+n) += a * v[0..n). */
  public static void axpy(float a, float[] v, float[] y, int yOff, int n) {
    if (a == 0f) {
      return;
    }
    for (int i = 0; i < n; i++) {
      y[yOff + i] += a * v[i];
    }
  }

  /** dst[dOff..dOff+n) = src[sOff..sOff+n) (or zeros when {@code src} is null). */
  public static void copyOrZero(float[] src, int sOff, float[] dst, int dOff, int n) {
    if (src == null) {
      java.util.Arrays.fill(dst, dOff, dOff + n, 0f);
    } else {
      System.arraycopy(src, sOff, dst, dOff, n);
    }
  }
}
