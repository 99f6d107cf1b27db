package io.rnnstream.models.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Both backends (the auto-vectorised loops and the Vector API path; the build runs tests with
 * {@code --add-modules jdk.incubator.vector}) against {@link ReferenceKernels} and the scalar
 * activations.
 */
class KernelBackendTest {
  /** As in {@link KernelsTest}: relative to |y0| + sum |W x|, plus an absolute floor. */
  private static final double REL = 1e-5;
  private static final double ABS = 1e-6;

  static List<KernelBackend> backends() {
    List<KernelBackend> all = new ArrayList<>();
    all.add(Kernels.scalar());
    if (Kernels.vectorModulePresent()) {
      all.add(Kernels.vector());
    }
    return all;
  }

  @Test
  void testsShouldRunTheVectorBackend() {
    // the surefire argLine adds the module; without it this suite would only cover the scalar path
    assertThat(Kernels.vectorModulePresent()).isTrue();
    assertThat(Kernels.backend().name()).startsWith("vector-");
  }

  @Test
  void selectionShouldHonourThePropertyAndRejectUnknownValues() {
    assertThat(Kernels.select("scalar").name()).isEqualTo("scalar");
    assertThat(Kernels.select("AUTO").name()).startsWith("vector-");
    assertThatThrownBy(() -> Kernels.select("gpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rnnstream.kernels=gpu")
        .hasMessageContaining("auto, vector or scalar");
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }

  /**
   * gemmAdd for n keys (each x at its own offset plus a shared one) against the reference gemv
   * per key, and gemvAdd against the reference; shapes around the register block (64 rows at
   * 512 bits) and the 4-key groups.
   */
  @ParameterizedTest
  @MethodSource("backends")
  void productsShouldMatchTheReference(KernelBackend backend) {
    SplittableRandom rnd = new SplittableRandom(11);
    int[][] shapes = {{1, 1}, {7, 5}, {16, 3}, {63, 17}, {64, 64}, {65, 9}, {200, 33},
        {512, 192}, {96, 128}, {600, 230}}; // the last is above the 8-key kernel's threshold
    for (int[] shape : shapes) {
      int rows = shape[0];
      int cols = shape[1];
      Matrix w = Matrix.of(rows, cols, random(rnd, rows * cols));
      for (int n : new int[] {1, 3, 4, 5, 9, 13}) {
        float[][] xs = new float[n][];
        int[] offs = new int[n];
        float[][] ys = new float[n][];
        float[][] expected = new float[n][];
        int shared = rnd.nextInt(3);
        for (int b = 0; b < n; b++) {
          offs[b] = rnd.nextInt(5);
          xs[b] = random(rnd, offs[b] + shared + cols);
          ys[b] = random(rnd, rows);
          expected[b] = ys[b].clone();
          ReferenceKernels.gemvAdd(w.tensor(), xs[b], offs[b] + shared, expected[b], 0);
        }
        float[][] single = new float[n][];
        for (int b = 0; b < n; b++) {
          single[b] = ys[b].clone();
          backend.gemvAdd(w, xs[b], offs[b] + shared, single[b]);
        }
        backend.gemmAdd(w, n, xs, offs, shared, ys);
        for (int b = 0; b < n; b++) {
          for (int r = 0; r < rows; r++) {
            double scale = Math.abs(expected[b][r]) + cols; // |W x| <= C for entries in [-1, 1]
            String where = backend.name() + " W (" + rows + ", " + cols + "), n " + n + ", key "
                + b + ", row " + r;
            assertThat((double) ys[b][r]).as("gemm " + where)
                .isCloseTo(expected[b][r], within(REL * scale + ABS));
            // one key's product does not depend on which other keys share its batch
            assertThat(ys[b][r]).as("gemm vs gemv " + where).isEqualTo(single[b][r]);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void gemmShouldReadSharedOffsetsWhenKeyOffsetsAreNull(KernelBackend backend) {
    // W (2, 2) = [[1, 2], [3, 4]]; x = state [pad, 1, 1] read at shared offset 1 -> y += (3, 7)
    Matrix w = Matrix.of(2, 2, new float[] {1, 2, 3, 4});
    float[][] xs = {{9, 1, 1}, {9, 2, 0}};
    float[][] ys = {{10, 20}, {0, 0}};
    backend.gemmAdd(w, 2, xs, null, 1, ys);
    assertThat(ys[0]).containsExactly(13f, 27f);
    assertThat(ys[1]).containsExactly(2f, 6f);
  }

  /**
   * Activations over the whole useful range, saturation and padding lanes: within 2e-6
   * relative of the scalar functions (the vector path evaluates the same polynomials with fused
   * multiply-adds), and untouched outside [off, off+len).
   */
  @ParameterizedTest
  @MethodSource("backends")
  void activationsShouldMatchTheScalarFunctions(KernelBackend backend) {
    int len = 1003;
    float[] in = new float[len + 2];
    for (int i = 0; i < in.length; i++) {
      in[i] = -30f + 60f * i / len; // includes the |x| < 0.25 series and |x| > 9.1 saturation
    }
    in[5] = 0f;
    in[6] = -0f;
    in[7] = 1e-30f;
    in[8] = -100f;
    in[9] = 100f;
    float[] sig = in.clone();
    float[] tanh = in.clone();
    backend.sigmoid(sig, 1, len);
    backend.tanh(tanh, 1, len);
    for (int i = 1; i <= len; i++) {
      double s = Activation.sigmoid(in[i]);
      double t = Activation.tanh(in[i]);
      assertThat((double) sig[i]).as("%s sigmoid(%s)", backend.name(), in[i])
          .isCloseTo(s, within(2e-6 * Math.abs(s) + 1e-30));
      assertThat((double) tanh[i]).as("%s tanh(%s)", backend.name(), in[i])
          .isCloseTo(t, within(2e-6 * Math.abs(t) + 1e-30));
    }
    assertThat(sig[0]).isEqualTo(in[0]);
    assertThat(sig[len + 1]).isEqualTo(in[len + 1]);
    assertThat(tanh[0]).isEqualTo(in[0]);
    assertThat(tanh[len + 1]).isEqualTo(in[len + 1]);
  }

  /**
   * Beyond |x| = 9.1 tanh is exactly +-1 (as {@link Activation#tanh} returns there): the vector
   * kernel relies on its quotient rounding to +-1 rather than blending the constant in, so every
   * float from 9.1 up to where the exponential's clamp takes over, and the infinities, are
   * checked bit for bit.
   */
  @ParameterizedTest
  @MethodSource("backends")
  void tanhShouldBeExactlyOneInMagnitudeBeyondItsSaturation(KernelBackend backend) {
    java.util.List<Float> xs = new java.util.ArrayList<>();
    for (float x = 9.1f; x < 50f; x = Math.nextUp(x) + (x - 9.1f) * 1e-3f) {
      xs.add(x);
      xs.add(-x);
    }
    xs.add(Float.POSITIVE_INFINITY);
    xs.add(Float.NEGATIVE_INFINITY);
    xs.add(Float.MAX_VALUE);
    xs.add(-Float.MAX_VALUE);
    float[] a = new float[xs.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = xs.get(i);
    }
    float[] out = a.clone();
    backend.tanh(out, 0, out.length);
    for (int i = 0; i < a.length; i++) {
      assertThat(out[i]).as("%s tanh(%s)", backend.name(), a[i]).isEqualTo(Math.signum(a[i]));
      assertThat(out[i]).isEqualTo((float) Activation.tanh(a[i]));
    }
  }
}
