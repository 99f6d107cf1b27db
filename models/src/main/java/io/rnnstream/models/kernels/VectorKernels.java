package io.rnnstream.models.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Explicit SIMD through the incubating Java Vector API ({@code jdk.incubator.vector}). Loaded
 * reflectively by {@link Kernels} only when that module is in the boot layer, so the rest of the
 * library runs on a JVM without it.
 *
 * <p>The species is a {@code static final} constant: C2 then compiles every vector operation to
 * one instruction (a species passed as a parameter was 5-11x slower). Products are register
 * blocked: a block of {@value #RB} vectors of rows of W (64 rows at 512 bits) accumulates in
 * registers over all C columns, so y is loaded and stored once per call; the batched product
 * does the same for four keys at once (16 accumulators), loading each piece of W once for the
 * four keys. W is read from its row-panel copy ({@link Matrix#panels}), one contiguous stream
 * per register block. Activations use the same range reduction and polynomials as {@link Activation},
 * evaluated with fused multiply-adds.
 */
final class VectorKernels implements KernelBackend {
  private static final VectorSpecies<Float> S = species(Integer.getInteger("rnnstream.vector.bits", 0));
  private static final int L = S.length();
  /** Row vectors per register block. */
  private static final int RB = 4;
  /** Rows per register block = rows per panel of {@link Matrix#panels}. */
  private static final int PH = RB * L;

  private static final float LOG2E = 1.44269504f;
  private static final float LN2_HI = 0.693145751953125f;
  private static final float LN2_LO = 1.428606765330187e-06f;
  /** 1.5 * 2^23: adding and subtracting it rounds a float to the nearest integer. */
  private static final float ROUND = 12582912f;
  private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

  VectorKernels() {}

  private static VectorSpecies<Float> species(int bits) {
    return switch (bits) {
      case 0 -> FloatVector.SPECIES_PREFERRED;
      case 128 -> FloatVector.SPECIES_128;
      case 256 -> FloatVector.SPECIES_256;
      case 512 -> FloatVector.SPECIES_512;
      default -> throw new IllegalArgumentException(
          "rnnstream.vector.bits=" + bits + ": expected 128, 256 or 512");
    };
  }

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  @Override
  public void gemvAdd(Matrix w, float[] x, int xOff, float[] y) {
    final float[] p = w.panels(PH);
    final int rows = w.rows();
    final int cols = w.cols();
    for (int r = 0, base = 0; r < rows; r += PH, base += PH * cols) {
      if (r + PH > rows) {
        panelTail(p, base, cols, rows - r, x, xOff, y, r);
        break;
      }
      FloatVector a0 = FloatVector.fromArray(S, y, r);
      FloatVector a1 = FloatVector.fromArray(S, y, r + L);
      FloatVector a2 = FloatVector.fromArray(S, y, r + 2 * L);
      FloatVector a3 = FloatVector.fromArray(S, y, r + 3 * L);
      for (int c = 0, o = base; c < cols; c++, o += PH) {
        FloatVector xc = FloatVector.broadcast(S, x[xOff + c]);
        a0 = FloatVector.fromArray(S, p, o).fma(xc, a0);
        a1 = FloatVector.fromArray(S, p, o + L).fma(xc, a1);
        a2 = FloatVector.fromArray(S, p, o + 2 * L).fma(xc, a2);
        a3 = FloatVector.fromArray(S, p, o + 3 * L).fma(xc, a3);
      }
      a0.intoArray(y, r);
      a1.intoArray(y, r + L);
      a2.intoArray(y, r + 2 * L);
      a3.intoArray(y, r + 3 * L);
    }
  }

  /**
   * The last, partial panel ({@code n < }{@value #RB}{@code  L} rows from {@code r}): whole
   * vectors, then single rows. Same summation order per row as a full panel.
   */
  private static void panelTail(float[] p, int base, int cols, int n, float[] x, int xOff,
      float[] y, int r) {
    int i = 0;
    for (; i + L <= n; i += L) {
      FloatVector a = FloatVector.fromArray(S, y, r + i);
      for (int c = 0, o = base + i; c < cols; c++, o += PH) {
        a = FloatVector.fromArray(S, p, o).fma(FloatVector.broadcast(S, x[xOff + c]), a);
      }
      a.intoArray(y, r + i);
    }
    for (; i < n; i++) {
      float s = y[r + i];
      for (int c = 0, o = base + i; c < cols; c++, o += PH) {
        s = Math.fma(p[o], x[xOff + c], s);
      }
      y[r + i] = s;
    }
  }

  @Override
  public void gemmAdd(Matrix w, int n, float[][] xs, int[] xOffs, int xOff, float[][] ys) {
    int b = 0;
    for (; b + 4 <= n; b += 4) {
      gemm4(w,
          xs[b], offset(xOffs, xOff, b), xs[b + 1], offset(xOffs, xOff, b + 1),
          xs[b + 2], offset(xOffs, xOff, b + 2), xs[b + 3], offset(xOffs, xOff, b + 3),
          ys[b], ys[b + 1], ys[b + 2], ys[b + 3]);
    }
    for (; b < n; b++) {
      gemvAdd(w, xs[b], offset(xOffs, xOff, b), ys[b]);
    }
  }

  private static int offset(int[] xOffs, int xOff, int b) {
    return (xOffs == null ? 0 : xOffs[b]) + xOff;
  }

  /**
   * Four keys' products: 4 keys x {@value #RB} row vectors = 16 accumulators in registers; each
   * panel vector is loaded once for the four keys.
   */
  private static void gemm4(Matrix w, float[] x0, int o0, float[] x1, int o1, float[] x2, int o2,
      float[] x3, int o3, float[] y0, float[] y1, float[] y2, float[] y3) {
    final float[] p = w.panels(PH);
    final int rows = w.rows();
    final int cols = w.cols();
    for (int r = 0, base = 0; r < rows; r += PH, base += PH * cols) {
      if (r + PH > rows) {
        int n = rows - r;
        panelTail(p, base, cols, n, x0, o0, y0, r);
        panelTail(p, base, cols, n, x1, o1, y1, r);
        panelTail(p, base, cols, n, x2, o2, y2, r);
        panelTail(p, base, cols, n, x3, o3, y3, r);
        break;
      }
      final int r1 = r + L;
      final int r2 = r + 2 * L;
      final int r3 = r + 3 * L;
      FloatVector a00 = FloatVector.fromArray(S, y0, r);
      FloatVector a01 = FloatVector.fromArray(S, y0, r1);
      FloatVector a02 = FloatVector.fromArray(S, y0, r2);
      FloatVector a03 = FloatVector.fromArray(S, y0, r3);
      FloatVector a10 = FloatVector.fromArray(S, y1, r);
      FloatVector a11 = FloatVector.fromArray(S, y1, r1);
      FloatVector a12 = FloatVector.fromArray(S, y1, r2);
      FloatVector a13 = FloatVector.fromArray(S, y1, r3);
      FloatVector a20 = FloatVector.fromArray(S, y2, r);
      FloatVector a21 = FloatVector.fromArray(S, y2, r1);
      FloatVector a22 = FloatVector.fromArray(S, y2, r2);
      FloatVector a23 = FloatVector.fromArray(S, y2, r3);
      FloatVector a30 = FloatVector.fromArray(S, y3, r);
      FloatVector a31 = FloatVector.fromArray(S, y3, r1);
      FloatVector a32 = FloatVector.fromArray(S, y3, r2);
      FloatVector a33 = FloatVector.fromArray(S, y3, r3);
      for (int c = 0, o = base; c < cols; c++, o += PH) {
        FloatVector w0 = FloatVector.fromArray(S, p, o);
        FloatVector w1 = FloatVector.fromArray(S, p, o + L);
        FloatVector w2 = FloatVector.fromArray(S, p, o + 2 * L);
        FloatVector w3 = FloatVector.fromArray(S, p, o + 3 * L);
        FloatVector x = FloatVector.broadcast(S, x0[o0 + c]);
        a00 = w0.fma(x, a00);
        a01 = w1.fma(x, a01);
        a02 = w2.fma(x, a02);
        a03 = w3.fma(x, a03);
        x = FloatVector.broadcast(S, x1[o1 + c]);
        a10 = w0.fma(x, a10);
        a11 = w1.fma(x, a11);
        a12 = w2.fma(x, a12);
        a13 = w3.fma(x, a13);
        x = FloatVector.broadcast(S, x2[o2 + c]);
        a20 = w0.fma(x, a20);
        a21 = w1.fma(x, a21);
        a22 = w2.fma(x, a22);
        a23 = w3.fma(x, a23);
        x = FloatVector.broadcast(S, x3[o3 + c]);
        a30 = w0.fma(x, a30);
        a31 = w1.fma(x, a31);
        a32 = w2.fma(x, a32);
        a33 = w3.fma(x, a33);
      }
      a00.intoArray(y0, r);
      a01.intoArray(y0, r1);
      a02.intoArray(y0, r2);
      a03.intoArray(y0, r3);
      a10.intoArray(y1, r);
      a11.intoArray(y1, r1);
      a12.intoArray(y1, r2);
      a13.intoArray(y1, r3);
      a20.intoArray(y2, r);
      a21.intoArray(y2, r1);
      a22.intoArray(y2, r2);
      a23.intoArray(y2, r3);
      a30.intoArray(y3, r);
      a31.intoArray(y3, r1);
      a32.intoArray(y3, r2);
      a33.intoArray(y3, r3);
    }
  }

  @Override
  public void sigmoid(float[] a, int off, int len) {
    int i = off;
    int end = off + len;
    for (; i + L <= end; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, i);
      FloatVector.broadcast(S, 1f).div(exp(v.neg()).add(1f)).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Activation.sigmoid(a[i]);
    }
  }

  /**
   * {@link Activation#tanh} lane-wise: the odd series below 0.25, the exponential form above,
   * +-1 beyond 9.1. Written as one loop body (no helper taking or returning a vector besides
   * {@link #exp}): a vector that crosses a call C2 did not inline is boxed on the heap.
   */
  @Override
  public void tanh(float[] a, int off, int len) {
    int i = off;
    int end = off + len;
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (; i + L <= end; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i);
      FloatVector x2 = x.mul(x);
      FloatVector series = x2.fma(-0.021869488f, 0.053968254f);
      series = series.fma(x2.neg(), FloatVector.broadcast(S, 0.13333334f));
      series = series.fma(x2.neg(), FloatVector.broadcast(S, 0.33333334f));
      series = series.fma(x2.neg(), one).mul(x);
      FloatVector e = exp(x.add(x));
      FloatVector out = e.sub(1f).div(e.add(1f));
      FloatVector ax = x.abs();
      out = out.blend(series, ax.lt(0.25f));
      out = out.blend(one.blend(one.neg(), x.lt(0f)), ax.compare(VectorOperators.GT, 9.1f));
      out.intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Activation.tanh(a[i]);
    }
  }

  /**
   * {@link Activation#exp} lane-wise on [-87.3, 88] (inputs outside are clamped: the callers
   * saturate there anyway): x = n ln2 + r, a degree-6 polynomial in r, 2^n from exponent bits.
   * The integer n is read from the bits of the rounding sum {@code t = x log2(e) + 1.5 * 2^23}
   * (its low mantissa bits hold n) rather than converted: JDK 17 does not intrinsify the
   * float-to-int conversion, which boxed every vector (16 KB of garbage per 512 activations).
   */
  private static FloatVector exp(FloatVector x) {
    FloatVector c = x.max(-87.3f).min(88f);
    FloatVector t = c.mul(LOG2E).add(ROUND);
    FloatVector n = t.sub(ROUND);
    FloatVector r = c.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
    FloatVector p = r.fma(0.0013888889f, 0.008333334f);
    p = p.fma(r, FloatVector.broadcast(S, 0.041666668f));
    p = p.fma(r, FloatVector.broadcast(S, 0.16666667f));
    p = p.fma(r, FloatVector.broadcast(S, 0.5f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    FloatVector twoToN = t.reinterpretAsInts().sub(ROUND_BITS - 127)
        .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(twoToN);
  }
}
