package io.rnnstream.training;

/**
 * Double-precision twin of one {@link io.rnnstream.models.cells.Cell} (one direction of one
 * layer) with a backward pass. The state layout is the inference cell's ({@code [h, c]} for LSTM,
 * {@code [y, h]} for Jordan, {@code [h, s]} for SCRN, {@code [h]} otherwise) and the output is
 * always the first {@link #outputSize} values of the state.
 *
 * <p>{@link #forward} never mutates {@code x} or {@code prev} and writes a fresh {@code next}; the
 * cache it returns keeps references to all three, so the caller must not mutate them either.
 */
abstract class TrainCell {
  final int inputSize;
  final int outputSize;
  final int stateSize;

  TrainCell(int inputSize, int outputSize, int stateSize) {
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.stateSize = stateSize;
  }

  /**
   * One step: {@code next (S) = cell(x (D), prev (S))} at clock {@code t} (steps this sequence
   * took before this one).
   *
   * @return what {@link #backward} needs for this step
   */
  abstract Object forward(double[] x, double[] prev, long t, double[] next);

  /**
   * Backward through one step.
   *
   * @param dNext dL/d next state (S), output gradient already added into its first outputSize
   * @param dx dL/dx (D), accumulated into
   * @param dPrev dL/d prev state (S), overwritten
   * @param g parameter gradients, accumulated into
   */
  abstract void backward(Object cache, double[] dNext, double[] dx, double[] dPrev, Gradients g);
}
