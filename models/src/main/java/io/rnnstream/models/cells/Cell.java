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
}
