package io.rnnstream.models.cells;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/**
 * Clockwork RNN (Koutnik et al., JMLR 2014). The H hidden units form {@code g} equal modules with
 * increasing periods {@code T_1 < ... < T_g}. At step t only the modules with {@code t % T_i == 0}
 * are updated; the others keep their value. Module i reads only from modules with periods
 * {@code >= T_i} (slow feeds fast), so {@code W_hh} is block upper-triangular: the blocks below the
 * diagonal are masked to zero when the cell is built, whatever the stored tensor holds.
 *
 * <p>State: {@code [h (H)]}; the clock is the sequence's step count.
 */
public final class ClockworkCell implements Cell {
  private final Matrix wIh; // (H, D)
  private final Matrix wHh; // (H, H), block upper-triangular
  private final Tensor bIh;
  private final Tensor bHh;
  private final Activation activation;
  private final int[] periods;
  private final int hidden;
  private final int moduleSize;

  public ClockworkCell(
      Matrix wIh, Tensor wHh, Tensor bIh, Tensor bHh, Activation activation, int[] periods) {
    this.hidden = wIh.rows();
    if (periods.length == 0 || hidden % periods.length != 0) {
      throw new IllegalArgumentException(
          "clockwork: hidden_size " + hidden + " must split evenly into " + periods.length
              + " modules");
    }
    for (int i = 0; i < periods.length; i++) {
      if (periods[i] < 1 || (i > 0 && periods[i] <= periods[i - 1])) {
        throw new IllegalArgumentException(
            "clockwork: periods must be positive and strictly increasing, got "
                + java.util.Arrays.toString(periods));
      }
    }
    this.wIh = wIh;
    this.periods = periods.clone();
    this.moduleSize = hidden / periods.length;
    this.wHh = new Matrix(mask(wHh, moduleSize));
    this.bIh = bIh;
    this.bHh = bHh;
    this.activation = activation;
  }

  /** Zeroes W_hh[r][c] where c's module is faster than r's (c < r at module granularity). */
  public static Tensor mask(Tensor wHh, int moduleSize) {
    int h = wHh.dim(0);
    float[] m = wHh.data().clone();
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < h; c++) {
        if (c / moduleSize < r / moduleSize) {
          m[r * h + c] = 0f;
        }
      }
    }
    return new Tensor(new int[] {h, h}, m);
  }

  public int[] periods() {
    return periods.clone();
  }

  @Override
  public int inputSize() {
    return wIh.cols();
  }

  @Override
  public int outputSize() {
    return hidden;
  }

  @Override
  public int stateSize() {
    return hidden;
  }

  @Override
  public int outputOffset() {
    return 0;
  }

  @Override
  public int scratchSize() {
    return hidden;
  }

  @Override
  public void step(float[] x, int xOff, float[] state, int sOff, long t, float[] s) {
    Gates.affine(s, wIh, bIh, x, xOff, wHh, bHh, state, sOff);
    for (int m = 0; m < periods.length; m++) {
      if (t % periods[m] != 0) {
        continue; // inactive module keeps its value
      }
      int from = m * moduleSize;
      activation.apply(s, from, moduleSize);
      System.arraycopy(s, from, state, sOff + from, moduleSize);
    }
  }
}
