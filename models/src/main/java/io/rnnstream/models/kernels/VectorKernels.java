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
  /**
   * Matrices above this many floats (512 KB: a quarter of this machine's 2 MB L2) use the
   * 8-key kernel, which streams W half as often; smaller ones stay in L2 and the 4-key kernel,
   * with twice the rows per pass, was as fast or faster (LSTM 16 keys, CPU time per key: H=128
   * 2.4-2.7 us with 4 keys per pass vs 2.7 with 8; H=512 48 vs 40 us).
   */
  private static final int GEMM8_MIN_FLOATS = 128 * 1024;

  private static final float LOG2E = 1.44269504f;
  private static final float LN2_HI = 0.693145751953125f;
  private static final float LN2_LO = 1.428606765330187e-06f;
  /** 1.5 * 2^23: adding and subtracting it rounds a float to the nearest integer. */
  private static final float ROUND = 12582912f;
  private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
  /** Taylor coefficients 1/k! of e^r, k = 2..6 (as in {@link Activation#exp}). */
  private static final float C2 = 0.5f;
  private static final float C3 = 0.16666667f;
  private static final float C4 = 0.041666668f;
  private static final float C5 = 0.008333334f;
  private static final float C6 = 0.0013888889f;

  /**
   * Runs the activations once over values that take every branch (series, exponential, the
   * +-1 clamp), so that the Vector API's vector, mask and integer-vector classes they use are
   * loaded and initialised before C2 compiles any kernel. C2 intrinsifies a vector operation only
   * if those classes are initialised when it compiles the caller; otherwise the compiled kernel
   * keeps calling the slow Java fallback for good. That was seen once in CI: a tier-4 compiled
   * {@code tanh} still running {@code FloatVector.stOp}, minutes into KernelAllocationTest. (A
   * later operator profile found the other way to that state, a loop body too large for C2's
   * inlining budget; {@link #tanh} is written against it.)
   */
  VectorKernels() {
    float[] a = new float[4 * L];
    for (int i = 0; i < a.length; i++) {
      a[i] = -12f + 24f * i / (a.length - 1);
    }
    float[] b = a.clone();
    sigmoid(a, 0, a.length);
    tanh(b, 0, b.length);
  }

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
        panelTail(w, p, base, rows - r, x, xOff, y, r);
        break;
      }
      gemvPanel(p, base, cols, r, x, xOff, y);
    }
  }

  /** One key, the full panel at {@code base}: rows [r, r + PH) of y. */
  private static void gemvPanel(float[] p, int base, int cols, int r, float[] x, int xOff,
      float[] y) {
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

  /**
   * The last, partial panel ({@code n < }{@value #RB}{@code  L} rows from {@code r}): whole
   * vectors down the panel, then the remaining rows as {@link #rowDots}.
   */
  private static void panelTail(Matrix w, float[] p, int base, int n, float[] x, int xOff,
      float[] y, int r) {
    final int cols = w.cols();
    int i = 0;
    for (; i + L <= n; i += L) {
      FloatVector a = FloatVector.fromArray(S, y, r + i);
      for (int c = 0, o = base + i; c < cols; c++, o += PH) {
        a = FloatVector.fromArray(S, p, o).fma(FloatVector.broadcast(S, x[xOff + c]), a);
      }
      a.intoArray(y, r + i);
    }
    if (i < n) {
      rowDots(w, r + i, r + n, x, xOff, y);
    }
  }

  /**
   * Rows [from, to) (fewer than one vector of them: the last rows of a matrix, or all of a small
   * head) as dot products over W's row-major source, which is contiguous along a row; reading
   * them down the panel instead strides a whole panel height per column.
   */
  private static void rowDots(Matrix w, int from, int to, float[] x, int xOff, float[] y) {
    final float[] rowMajor = w.tensor().data();
    final int cols = w.cols();
    for (int row = from; row < to; row++) {
      int base = row * cols;
      FloatVector acc = FloatVector.zero(S);
      int c = 0;
      for (; c + L <= cols; c += L) {
        acc = FloatVector.fromArray(S, rowMajor, base + c)
            .fma(FloatVector.fromArray(S, x, xOff + c), acc);
      }
      float s = y[row] + acc.reduceLanes(VectorOperators.ADD);
      for (; c < cols; c++) {
        s = Math.fma(rowMajor[base + c], x[xOff + c], s);
      }
      y[row] = s;
    }
  }

  /**
   * Panels outermost, keys inside: each panel of W (64 rows x C) is brought into the cache once
   * per call and then reused by every group of keys, as a blocked GEMM does; with keys outermost
   * a W larger than L2 was streamed from L3 once per group (LSTM H=512: 60 us per key at 16 keys
   * against ONNX Runtime's 22).
   */
  @Override
  public void gemmAdd(Matrix w, int n, float[][] xs, int[] xOffs, int xOff, float[][] ys) {
    final float[] p = w.panels(PH);
    final int rows = w.rows();
    final int cols = w.cols();
    final boolean large = rows * cols > GEMM8_MIN_FLOATS;
    for (int r = 0, base = 0; r < rows; r += PH, base += PH * cols) {
      if (r + PH > rows) {
        for (int b = 0; b < n; b++) {
          panelTail(w, p, base, rows - r, xs[b], offset(xOffs, xOff, b), ys[b], r);
        }
        break;
      }
      int b = 0;
      for (; large && b + 8 <= n; b += 8) {
        gemm8Panel(p, base, cols, r, xs, xOffs, xOff, b, ys);
      }
      for (; b + 4 <= n; b += 4) {
        gemm4Panel(p, base, cols, r,
            xs[b], offset(xOffs, xOff, b), xs[b + 1], offset(xOffs, xOff, b + 1),
            xs[b + 2], offset(xOffs, xOff, b + 2), xs[b + 3], offset(xOffs, xOff, b + 3),
            ys[b], ys[b + 1], ys[b + 2], ys[b + 3]);
      }
      for (; b < n; b++) {
        gemvPanel(p, base, cols, r, xs[b], offset(xOffs, xOff, b), ys[b]);
      }
    }
  }

  private static int offset(int[] xOffs, int xOff, int b) {
    return (xOffs == null ? 0 : xOffs[b]) + xOff;
  }

  /**
   * Eight keys' products (keys b0 .. b0+7): 8 keys x 2 row vectors = 16 accumulators, each
   * panel is read in two halves of 2 vectors per column, so W streams from L2 once per eight
   * keys (twice as rarely as {@link #gemm4Panel}, whose shape leaves the same 16 registers).
   */
  private static void gemm8Panel(float[] p, int base, int cols, int r, float[][] xs,
      int[] xOffs, int xOff, int b0, float[][] ys) {
    final float[] x0 = xs[b0];
    final float[] x1 = xs[b0 + 1];
    final float[] x2 = xs[b0 + 2];
    final float[] x3 = xs[b0 + 3];
    final float[] x4 = xs[b0 + 4];
    final float[] x5 = xs[b0 + 5];
    final float[] x6 = xs[b0 + 6];
    final float[] x7 = xs[b0 + 7];
    final int o0 = offset(xOffs, xOff, b0);
    final int o1 = offset(xOffs, xOff, b0 + 1);
    final int o2 = offset(xOffs, xOff, b0 + 2);
    final int o3 = offset(xOffs, xOff, b0 + 3);
    final int o4 = offset(xOffs, xOff, b0 + 4);
    final int o5 = offset(xOffs, xOff, b0 + 5);
    final int o6 = offset(xOffs, xOff, b0 + 6);
    final int o7 = offset(xOffs, xOff, b0 + 7);
    final float[] y0 = ys[b0];
    final float[] y1 = ys[b0 + 1];
    final float[] y2 = ys[b0 + 2];
    final float[] y3 = ys[b0 + 3];
    final float[] y4 = ys[b0 + 4];
    final float[] y5 = ys[b0 + 5];
    final float[] y6 = ys[b0 + 6];
    final float[] y7 = ys[b0 + 7];
    for (int half = 0; half < 2; half++) {
      final int ra = r + 2 * half * L;
      final int rb = ra + L;
      final int pa = base + 2 * half * L;
      FloatVector a0 = FloatVector.fromArray(S, y0, ra);
      FloatVector b0v = FloatVector.fromArray(S, y0, rb);
      FloatVector a1 = FloatVector.fromArray(S, y1, ra);
      FloatVector b1v = FloatVector.fromArray(S, y1, rb);
      FloatVector a2 = FloatVector.fromArray(S, y2, ra);
      FloatVector b2v = FloatVector.fromArray(S, y2, rb);
      FloatVector a3 = FloatVector.fromArray(S, y3, ra);
      FloatVector b3v = FloatVector.fromArray(S, y3, rb);
      FloatVector a4 = FloatVector.fromArray(S, y4, ra);
      FloatVector b4v = FloatVector.fromArray(S, y4, rb);
      FloatVector a5 = FloatVector.fromArray(S, y5, ra);
      FloatVector b5v = FloatVector.fromArray(S, y5, rb);
      FloatVector a6 = FloatVector.fromArray(S, y6, ra);
      FloatVector b6v = FloatVector.fromArray(S, y6, rb);
      FloatVector a7 = FloatVector.fromArray(S, y7, ra);
      FloatVector b7v = FloatVector.fromArray(S, y7, rb);
      for (int c = 0, o = pa; c < cols; c++, o += PH) {
        FloatVector wa = FloatVector.fromArray(S, p, o);
        FloatVector wb = FloatVector.fromArray(S, p, o + L);
        FloatVector x = FloatVector.broadcast(S, x0[o0 + c]);
        a0 = wa.fma(x, a0);
        b0v = wb.fma(x, b0v);
        x = FloatVector.broadcast(S, x1[o1 + c]);
        a1 = wa.fma(x, a1);
        b1v = wb.fma(x, b1v);
        x = FloatVector.broadcast(S, x2[o2 + c]);
        a2 = wa.fma(x, a2);
        b2v = wb.fma(x, b2v);
        x = FloatVector.broadcast(S, x3[o3 + c]);
        a3 = wa.fma(x, a3);
        b3v = wb.fma(x, b3v);
        x = FloatVector.broadcast(S, x4[o4 + c]);
        a4 = wa.fma(x, a4);
        b4v = wb.fma(x, b4v);
        x = FloatVector.broadcast(S, x5[o5 + c]);
        a5 = wa.fma(x, a5);
        b5v = wb.fma(x, b5v);
        x = FloatVector.broadcast(S, x6[o6 + c]);
        a6 = wa.fma(x, a6);
        b6v = wb.fma(x, b6v);
        x = FloatVector.broadcast(S, x7[o7 + c]);
        a7 = wa.fma(x, a7);
        b7v = wb.fma(x, b7v);
      }
      a0.intoArray(y0, ra);
      b0v.intoArray(y0, rb);
      a1.intoArray(y1, ra);
      b1v.intoArray(y1, rb);
      a2.intoArray(y2, ra);
      b2v.intoArray(y2, rb);
      a3.intoArray(y3, ra);
      b3v.intoArray(y3, rb);
      a4.intoArray(y4, ra);
      b4v.intoArray(y4, rb);
      a5.intoArray(y5, ra);
      b5v.intoArray(y5, rb);
      a6.intoArray(y6, ra);
      b6v.intoArray(y6, rb);
      a7.intoArray(y7, ra);
      b7v.intoArray(y7, rb);
    }
  }

  /**
   * Four keys' products: 4 keys x {@value #RB} row vectors = 16 accumulators in registers; each
   * panel vector is loaded once for the four keys.
   */
  private static void gemm4Panel(float[] p, int base, int cols, int r, float[] x0, int o0,
      float[] x1, int o1, float[] x2, int o2, float[] x3, int o3, float[] y0, float[] y1,
      float[] y2, float[] y3) {
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

  /**
   * {@link Activation#sigmoid} lane-wise: {@code 1 / (1 + e^-x)}. The exponential is written out
   * here and in {@link #tanh} rather than shared: a helper taking and returning a
   * {@code FloatVector} is inlined only while it is small and not yet compiled on its own; once C2
   * compiles it separately (it is hot), callers stop inlining it, its argument's exact vector
   * class is lost, and every operation in it falls back to the Vector API's slow Java path
   * (seen in a Flink profile: a tenth of all samples).
   */
  @Override
  public void sigmoid(float[] a, int off, int len) {
    int i = off;
    int end = off + len;
    // constants broadcast once, outside the loop: a smaller loop body for C2 to inline whole
    // (see tanh)
    final FloatVector one = FloatVector.broadcast(S, 1f);
    final FloatVector lo = FloatVector.broadcast(S, -87.3f);
    final FloatVector hi = FloatVector.broadcast(S, 88f);
    final FloatVector log2e = FloatVector.broadcast(S, LOG2E);
    final FloatVector round = FloatVector.broadcast(S, ROUND);
    final FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
    final FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
    final FloatVector c6 = FloatVector.broadcast(S, C6);
    final FloatVector c5 = FloatVector.broadcast(S, C5);
    final FloatVector c4 = FloatVector.broadcast(S, C4);
    final FloatVector c3 = FloatVector.broadcast(S, C3);
    final FloatVector c2 = FloatVector.broadcast(S, C2);
    for (; i + L <= end; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i);
      // e = exp(-x), clamped to [-87.3, 88] as in Activation.exp
      FloatVector z = x.neg().max(lo).min(hi);
      FloatVector t = z.mul(log2e).add(round);
      FloatVector n = t.sub(round);
      // e^r, z = n ln2 + r: Cody-Waite reduction and the degree-6 Taylor polynomial of
      // Activation.exp, one fused multiply-add per step. Written out in each loop, not in a
      // helper: a helper taking or returning vectors that C2 does not inline boxes them.
      FloatVector r = n.fma(ln2Hi, z);
      r = n.fma(ln2Lo, r);
      FloatVector e = r.fma(c6, c5).fma(r, c4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
          .mul(t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
              .reinterpretAsFloats());
      one.div(e.add(one)).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Activation.sigmoid(a[i]);
    }
  }

  /**
   * {@link Activation#tanh} lane-wise: the odd series below 0.25, {@code (e - 1) / (e + 1)} with
   * {@code e = exp(2x)} above (see {@link #sigmoid} for why the exponential is written out).
   * Beyond |x| = 9.1, where {@link Activation#tanh} returns +-1, the quotient already rounds to
   * exactly +-1 (e > 8e7 or e < 1.3e-8; z is clamped, so also for infinities), so no blend is
   * needed there: the same bits with two compares and two blends fewer per vector.
   *
   * <p>Constants are broadcast once, outside the loop. Both changes keep the loop body small:
   * C2 inlines every Vector API call of it, and a body too large for its inlining budget leaves
   * the last operation (the store) as a call into the Vector API's Java fallback. An operator
   * profile showed that: {@code FloatVector.stOp} under this method's {@code intoArray},
   * persistently, in about 2 % of the operator threads' samples.
   */
  @Override
  public void tanh(float[] a, int off, int len) {
    int i = off;
    int end = off + len;
    final FloatVector one = FloatVector.broadcast(S, 1f);
    final FloatVector s5 = FloatVector.broadcast(S, -0.021869488f);
    final FloatVector s4 = FloatVector.broadcast(S, 0.053968254f);
    final FloatVector s3 = FloatVector.broadcast(S, 0.13333334f);
    final FloatVector s1 = FloatVector.broadcast(S, 0.33333334f);
    final FloatVector lo = FloatVector.broadcast(S, -87.3f);
    final FloatVector hi = FloatVector.broadcast(S, 88f);
    final FloatVector log2e = FloatVector.broadcast(S, LOG2E);
    final FloatVector round = FloatVector.broadcast(S, ROUND);
    final FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
    final FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
    final FloatVector c6 = FloatVector.broadcast(S, C6);
    final FloatVector c5 = FloatVector.broadcast(S, C5);
    final FloatVector c4 = FloatVector.broadcast(S, C4);
    final FloatVector c3 = FloatVector.broadcast(S, C3);
    final FloatVector c2 = FloatVector.broadcast(S, C2);
    final FloatVector quarter = FloatVector.broadcast(S, 0.25f);
    for (; i + L <= end; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i);
      FloatVector x2 = x.mul(x);
      FloatVector nx2 = x2.neg();
      FloatVector series = x2.fma(s5, s4).fma(nx2, s3).fma(nx2, s1).fma(nx2, one).mul(x);
      // e = exp(2x), clamped to [-87.3, 88] as in Activation.exp
      FloatVector z = x.add(x).max(lo).min(hi);
      FloatVector t = z.mul(log2e).add(round);
      FloatVector n = t.sub(round);
      // e^r exactly as in sigmoid (written out again for the reason given there)
      FloatVector r = n.fma(ln2Hi, z);
      r = n.fma(ln2Lo, r);
      FloatVector e = r.fma(c6, c5).fma(r, c4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
          .mul(t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
              .reinterpretAsFloats());
      e.sub(one).div(e.add(one)).blend(series, x.abs().lt(quarter)).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Activation.tanh(a[i]);
    }
  }
}
