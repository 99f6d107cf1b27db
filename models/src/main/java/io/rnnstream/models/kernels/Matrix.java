package io.rnnstream.models.kernels;

/**
 * A weight matrix W (rows R, cols C) prepared for fast matrix-vector products.
 *
 * <p>Besides the row-major source tensor (PyTorch layout, kept for snapshots; never modified),
 * the matrix builds on first use the layout its kernels read, so it holds two copies of W rather
 * than three: its columns as separate {@code float[R]} arrays (the scalar backend, and one-hot
 * column lookups such as embeddings), or row panels (the Vector API backend, {@link #panels}).
 * With columns, {@code y += W x} becomes C axpy loops {@code y += x[c] * col[c]}, which C2
 * auto-vectorises on JDK 17; a dot-product reduction over rows or a flat array with offsets does
 * not vectorise (the two gemvs of an H=128, D=64 LSTM step took 6.8-8.5 us against 46-58 us for
 * a row-major dot product when this layout was chosen).
 */
public final class Matrix {
  private final Tensor source;
  private final int rows;
  private final int cols;
  /** cols[c][r] = W[r][c], built on first use (see {@link #columns()}). */
  private volatile float[][] columns;
  /** The SIMD layout, built on first use by the backend that wants it (see {@link #panels}). */
  private volatile Panels panels;

  private record Panels(int height, float[] data) {}

  public Matrix(Tensor source) {
    if (source.rank() != 2) {
      throw new IllegalArgumentException("a matrix needs a 2-d tensor, got " + source.shapeString());
    }
    this.source = source;
    this.rows = source.dim(0);
    this.cols = source.dim(1);
  }

  public static Matrix of(int rows, int cols, float[] rowMajor) {
    return new Matrix(Tensor.matrix(rows, cols, rowMajor));
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public Tensor tensor() {
    return source;
  }

  /** W[r][c]. */
  public float get(int r, int c) {
    return source.data()[r * cols + c];
  }

  /** Column c (length R), shared: do not modify. */
  float[] column(int c) {
    return columns()[c];
  }

  /**
   * W packed in row panels of {@code height} rows for the SIMD kernels: panel p holds rows
   * {@code [p h, p h + h)} as C consecutive column slices of h floats,
   * {@code data[(p C + c) h + i] = W[p h + i][c]}, the last panel padded with zero rows. A
   * register block of rows then streams one contiguous array (hardware prefetch, few TLB
   * pages) instead of one slice from each of C column arrays. Built once, on first use; a race
   * builds identical copies.
   */
  float[] panels(int height) {
    Panels p = panels;
    if (p == null || p.height() != height) {
      int blocks = (rows + height - 1) / height;
      float[] data = new float[blocks * cols * height];
      float[] w = source.data();
      for (int r = 0; r < rows; r++) {
        int base = (r / height) * cols * height + r % height;
        for (int c = 0; c < cols; c++) {
          data[base + c * height] = w[r * cols + c];
        }
      }
      p = new Panels(height, data);
      panels = p;
    }
    return p.data();
  }

  /**
   * All columns, {@code columns()[c][r] = W[r][c]}, shared: do not modify. Built once, on first
   * use; a race builds identical copies.
   */
  float[][] columns() {
    float[][] col = columns;
    if (col == null) {
      col = new float[cols][rows];
      float[] w = source.data();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          col[c][r] = w[r * cols + c];
        }
      }
      columns = col;
    }
    return col;
  }

  /** y[yOff .. yOff+R) += W (R, C) @ x[xOff .. xOff+C). */
  public void multiplyAdd(float[] x, int xOff, float[] y, int yOff) {
    Kernels.gemvAdd(this, x, xOff, y, yOff);
  }

  /**
   * The product for n keys at once (see {@link KernelBackend#gemmAdd}): for b &lt; n,
   * {@code ys[b][0..R) += W @ xs[b][(xOffs == null ? 0 : xOffs[b]) + xOff ..]}.
   */
  public void multiplyAddBatch(int n, float[][] xs, int[] xOffs, int xOff, float[][] ys) {
    Kernels.backend().gemmAdd(this, n, xs, xOffs, xOff, ys);
  }

  /** y[yOff + r] += W[r][id]: the product with a one-hot vector (embedding lookups, 1-of-N). */
  public void addColumn(int id, float[] y, int yOff) {
    float[] col = column(id);
    for (int r = 0; r < rows; r++) {
      y[yOff + r] += col[r];
    }
  }
}
