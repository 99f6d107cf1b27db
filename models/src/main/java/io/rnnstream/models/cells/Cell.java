package io.rnnstream.models.cells;

/**
 * One direction of one recurrent layer: immutable weights and a pure step function.
 *
 * <p>The cell never stores per-sequence data. {@link #step} reads the input
 * {@code x[xOff .. xOff+inputSize)} and the previous state {@code state[sOff .. sOff+stateSize)},
 * and overwrites that state with the next one. The output that the next layer (or the head) sees
 * lives inside the state at {@code [sOff+outputOffset, sOff+outputOffset+outputSize)}.
 * {@code scratch} is a caller-owned buffer of at least {@link #scratchSize()} floats, so a step
 * allocates nothing.
 */
public interface Cell {
  int inputSize();

  int outputSize();

  int stateSize();

  int outputOffset();

  int scratchSize();

  /**
   * Advances the state by one time step.
   *
   * @param t the number of steps this sequence has taken before this one (the Clockwork clock)
   */
  void step(float[] x, int xOff, float[] state, int sOff, long t, float[] scratch);

  /**
   * Advances {@code n} independent sequences (keys) by one step each, with the same results as
   * {@code n} calls of {@link #step}: key b reads {@code xs[b][xOffs[b] ..]}, updates
   * {@code states[b][sOff ..]} and uses {@code scratch[b]}. LSTM, GRU and Elman cells override
   * this to read each weight once for a group of keys (cross-key batching); the default loops.
   */
  default void stepBatch(int n, float[][] xs, int[] xOffs, float[][] states, int sOff, long[] ts,
      float[][] scratch) {
    for (int b = 0; b < n; b++) {
      step(xs[b], xOffs[b], states[b], sOff, ts[b], scratch[b]);
    }
  }

  /**
   * Rows of this cell's input projection {@code b_ih + W_ih x}, which {@link #stepProjected}
   * takes precomputed; 0 if the cell has no separable input projection (the default). A model
   * with an embedding precomputes the projection of every token for its first layer, so that a
   * token step skips the {@code W_ih} product (see {@code RnnModel}).
   */
  default int projectionSize() {
    return 0;
  }

  /**
   * Writes the input projection of {@code x[xOff ..]} into {@code p[0 .. projectionSize())},
   * with the same bits as {@link #step} computes it.
   */
  default void project(float[] x, int xOff, float[] p) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " takes no precomputed input projection");
  }

  /**
   * {@link #step} with the input's projection {@code p[pOff .. pOff+projectionSize())} (from
   * {@link #project}) instead of the input: the same results, without the {@code W_ih} product.
   */
  default void stepProjected(float[] p, int pOff, float[] state, int sOff, long t,
      float[] scratch) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " takes no precomputed input projection");
  }

  /** {@link #stepBatch} with precomputed input projections ({@link #stepProjected}). */
  default void stepBatchProjected(int n, float[][] ps, int[] pOffs, float[][] states, int sOff,
      long[] ts, float[][] scratch) {
    for (int b = 0; b < n; b++) {
      stepProjected(ps[b], pOffs[b], states[b], sOff, ts[b], scratch[b]);
    }
  }
}
