package io.rnnstream.models.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast kernels against their naive twins and against values computed here in double. */
class KernelsTest {

  /**
   * Tolerance of a float32 dot product of length C against the double reference: 1e-5 relative
   * to the magnitude scale |y0| + sum_c |W[r][c] x[c]| (so that cancellation near zero does not
   * make a correct float sum "fail"), plus 1e-6 absolute. Any indexing mistake gives errors of
   * the order of the terms themselves, many orders of magnitude above this.
   */
  private static final double REL = 1e-5;

  private static final double ABS = 1e-6;

  private static float[] random(SplittableRandom rnd, int n, double zeroFraction) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextDouble() < zeroFraction ? 0f : (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }

  /**
   * Runs fast and reference gemvAdd on the same W (R, C), x (padded by xOff) and y (padded by
   * yOff on the left and 3 sentinels on the right) and checks both against a double sum written
   * here, and that nothing outside y[yOff .. yOff+R) is touched.
   */
  private static void checkGemv(SplittableRandom rnd, int rows, int cols, int xOff, int yOff) {
    float[] w = random(rnd, rows * cols, 0.0); // W (R, C) row-major
    float[] x = random(rnd, xOff + cols + 2, 0.2); // x[xOff .. xOff+C), some exact zeros
    float[] y0 = new float[yOff + rows + 3]; // y[yOff .. yOff+R) plus sentinels
    for (int i = 0; i < y0.length; i++) {
      y0[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    Matrix m = Matrix.of(rows, cols, w);
    float[] fast = y0.clone();
    float[] ref = y0.clone();

    Kernels.gemvAdd(m, x, xOff, fast, yOff);
    ReferenceKernels.gemvAdd(m.tensor(), x, xOff, ref, yOff);

    for (int r = 0; r < rows; r++) {
      double sum = y0[yOff + r];
      double scale = Math.abs(y0[yOff + r]);
      for (int c = 0; c < cols; c++) {
        double term = (double) w[r * cols + c] * x[xOff + c];
        sum += term;
        scale += Math.abs(term);
      }
      double tol = REL * scale + ABS;
      String where = "row " + r + " of W (" + rows + ", " + cols + "), xOff " + xOff + ", yOff "
          + yOff;
      assertThat((double) fast[yOff + r]).as("fast " + where).isCloseTo(sum, within(tol));
      assertThat((double) ref[yOff + r]).as("reference " + where).isCloseTo(sum, within(tol));
      assertThat((double) fast[yOff + r]).as("fast vs reference " + where)
          .isCloseTo(ref[yOff + r], within(tol));
    }
    for (int i = 0; i < yOff; i++) {
      assertThat(fast[i]).as("fast wrote before yOff at %d", i).isEqualTo(y0[i]);
    }
    for (int i = yOff + rows; i < y0.length; i++) {
      assertThat(fast[i]).as("fast wrote after yOff+R at %d", i).isEqualTo(y0[i]);
    }
  }

  @Test
  void shouldMatchReferenceGemvOnRandomShapesAndOffsets() {
    SplittableRandom rnd = new SplittableRandom(20240611L);
    for (int trial = 0; trial < 150; trial++) {
      int rows = 1 + rnd.nextInt(300);
      int cols = 1 + rnd.nextInt(300);
      // half the trials with zero offsets (the fast path), half with offsets
      int xOff = trial % 2 == 0 ? 0 : rnd.nextInt(1, 17);
      int yOff = trial % 4 < 2 ? 0 : rnd.nextInt(1, 17);
      checkGemv(rnd, rows, cols, xOff, yOff);
    }
  }

  @ParameterizedTest(name = "W ({0}, {1}), xOff {2}, yOff {3}")
  @CsvSource({
    "1, 1, 0, 0",
    "1, 1, 5, 7",
    "1, 300, 0, 0",
    "300, 1, 0, 3",
    "300, 300, 0, 0",
    "300, 300, 11, 13",
    "7, 5, 0, 1",
    "128, 64, 64, 0"
  })
  void shouldMatchReferenceGemvOnEdgeShapes(int rows, int cols, int xOff, int yOff) {
    checkGemv(new SplittableRandom(rows * 1000L + cols), rows, cols, xOff, yOff);
  }

  @Test
  void shouldAccumulateIntoYRatherThanOverwrite() {
    // W (2, 2) = [[1, 2], [3, 4]], x = (1, 1), y0 = (10, 20) -> y = (13, 27)
    Matrix m = Matrix.of(2, 2, new float[] {1, 2, 3, 4});
    float[] y = {10, 20};
    Kernels.gemvAdd(m, new float[] {1, 1}, 0, y, 0);
    assertThat(y).containsExactly(13f, 27f);
  }

  @Test
  void shouldExposeRowMajorElementsThroughGet() {
    // W (2, 3) = [[1, 2, 3], [4, 5, 6]]
    Matrix m = Matrix.of(2, 3, new float[] {1, 2, 3, 4, 5, 6});
    assertThat(m.rows()).isEqualTo(2);
    assertThat(m.cols()).isEqualTo(3);
    assertThat(m.get(0, 2)).isEqualTo(3f);
    assertThat(m.get(1, 0)).isEqualTo(4f);
  }

  @Test
  void shouldRejectANonMatrixTensor() {
    assertThatThrownBy(() -> new Matrix(Tensor.vector(1, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2-d")
        .hasMessageContaining("[3]");
  }

  @Test
  void addColumnShouldEqualGemvWithAOneHotX() {
    SplittableRandom rnd = new SplittableRandom(7);
    int rows = 37;
    int cols = 23;
    float[] w = random(rnd, rows * cols, 0.0); // W (R, C)
    Matrix m = Matrix.of(rows, cols, w);
    int yOff = 4;
    float[] y0 = random(rnd, yOff + rows + 2, 0.0);
    for (int id = 0; id < cols; id++) {
      float[] viaColumn = y0.clone();
      m.addColumn(id, viaColumn, yOff);

      float[] oneHot = new float[cols];
      oneHot[id] = 1f;
      float[] viaGemv = y0.clone();
      Kernels.gemvAdd(m, oneHot, 0, viaGemv, yOff);

      float[] expected = y0.clone(); // y[yOff + r] = y0 + W[r][id], one float addition
      for (int r = 0; r < rows; r++) {
        expected[yOff + r] = y0[yOff + r] + w[r * cols + id];
      }
      assertThat(viaColumn).as("addColumn(%d)", id).containsExactly(expected);
      assertThat(viaGemv).as("gemv with one-hot %d", id).containsExactly(expected);
    }
  }

  @Test
  void softmaxShouldSumToOneAndMatchTheDefinition() {
    SplittableRandom rnd = new SplittableRandom(3);
    float[] a = new float[10];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (rnd.nextDouble() * 10 - 5);
    }
    float[] in = a.clone();
    Activation.SOFTMAX.apply(a, 0, a.length);

    double z = 0;
    for (float v : in) {
      z += Math.exp(v);
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).isCloseTo(Math.exp(in[i]) / z, within(1e-6));
      sum += a[i];
    }
    assertThat(sum).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void softmaxShouldBeStableForLargeInputs() {
    // naive exp(1000) overflows to infinity and gives NaN; the stable form gives
    // [1 / (1 + e), e / (1 + e)]
    float[] a = {1000f, 1001f};
    Activation.SOFTMAX.apply(a, 0, 2);
    double e = Math.E;
    assertThat((double) a[0]).isCloseTo(1 / (1 + e), within(1e-6));
    assertThat((double) a[1]).isCloseTo(e / (1 + e), within(1e-6));

    float[] b = {-1000f, -1001f, -1002f};
    Activation.SOFTMAX.apply(b, 0, 3);
    double zb = 1 + Math.exp(-1) + Math.exp(-2);
    assertThat((double) b[0]).isCloseTo(1 / zb, within(1e-6));
    assertThat((double) b[2]).isCloseTo(Math.exp(-2) / zb, within(1e-6));
    assertThat(b).doesNotContain(Float.NaN);
  }

  @Test
  void softmaxShouldOnlyTouchItsRange() {
    float[] a = {7f, 1f, 1f, 9f}; // softmax over a[1..3) only
    Activation.SOFTMAX.apply(a, 1, 2);
    assertThat(a).containsExactly(7f, 0.5f, 0.5f, 9f);
  }

  @ParameterizedTest(name = "sigmoid({0})")
  @CsvSource({"0", "2", "-2", "0.5", "10", "-10", "40", "-40"})
  void sigmoidShouldMatchTheLogisticFunction(float v) {
    double expected = 1 / (1 + Math.exp(-(double) v));
    assertThat((double) Activation.SIGMOID.apply(v)).isCloseTo(expected, within(1e-7));
    assertThat((double) Activation.sigmoid(v)).isCloseTo(expected, within(1e-7));
    float[] a = {v};
    Activation.SIGMOID.apply(a, 0, 1);
    assertThat((double) a[0]).isCloseTo(expected, within(1e-7));
  }

  @Test
  void sigmoidShouldSaturateWithoutNaN() {
    assertThat(Activation.sigmoid(0f)).isEqualTo(0.5f);
    assertThat(Activation.sigmoid(1000f)).isEqualTo(1f);
    assertThat(Activation.sigmoid(-1000f)).isEqualTo(0f);
    assertThat((double) Activation.sigmoid(2f)).isCloseTo(0.8807970779778823, within(1e-7));
  }

  @ParameterizedTest(name = "tanh({0})")
  @CsvSource({"0", "0.5", "-0.5", "1", "-3", "20"})
  void tanhShouldMatchMathTanh(float v) {
    double expected = Math.tanh(v);
    assertThat((double) Activation.TANH.apply(v)).isCloseTo(expected, within(1e-7));
    float[] a = {v};
    Activation.TANH.apply(a, 0, 1);
    assertThat((double) a[0]).isCloseTo(expected, within(1e-7));
  }

  @Test
  void reluAndIdentityShouldGiveTheirValues() {
    float[] a = {-2f, -0.0001f, 0f, 0.0001f, 3.5f};
    Activation.RELU.apply(a, 0, a.length);
    assertThat(a).containsExactly(0f, 0f, 0f, 0.0001f, 3.5f);
    assertThat(Activation.RELU.apply(-1f)).isEqualTo(0f);
    assertThat(Activation.RELU.apply(2.25f)).isEqualTo(2.25f);

    float[] b = {-2f, 3f};
    Activation.IDENTITY.apply(b, 0, 2);
    assertThat(b).containsExactly(-2f, 3f);
    assertThat(Activation.IDENTITY.apply(-7.5f)).isEqualTo(-7.5f);
  }

  @Test
  void elementwiseActivationsShouldRespectOffsetAndLength() {
    float[] a = {-1f, -1f, -1f, -1f};
    Activation.RELU.apply(a, 1, 2);
    assertThat(a).containsExactly(-1f, 0f, 0f, -1f);
  }

  @Test
  void scalarSoftmaxShouldBeRejected() {
    assertThatThrownBy(() -> Activation.SOFTMAX.apply(1f))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldParseActivationIdsCaseInsensitivelyAndNameTheChoicesOnError() {
    assertThat(Activation.of("TaNh")).isEqualTo(Activation.TANH);
    assertThat(Activation.RELU.id()).isEqualTo("relu");
    assertThatThrownBy(() -> Activation.of("swish"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("swish")
        .hasMessageContaining("sigmoid");
  }
}
