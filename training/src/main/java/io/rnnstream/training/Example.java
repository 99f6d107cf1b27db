package io.rnnstream.training;

import java.util.Arrays;

/**
 * One training sequence: dense inputs {@code [t] (D)} or token ids, and the loss on the model's
 * per-step outputs.
 */
public final class Example {
  private final double[][] inputs; // or null
  private final int[] tokens; // or null
  private final OutputLoss loss;

  private Example(double[][] inputs, int[] tokens, OutputLoss loss) {
    if (loss == null) {
      throw new IllegalArgumentException("loss must be set");
    }
    int n = inputs != null ? inputs.length : tokens.length;
    if (n == 0) {
      throw new IllegalArgumentException("an example needs at least one step");
    }
    this.inputs = inputs;
    this.tokens = tokens;
    this.loss = loss;
  }

  /** Dense inputs (copied). */
  public static Example of(double[][] inputs, OutputLoss loss) {
    double[][] c = new double[inputs.length][];
    for (int t = 0; t < inputs.length; t++) {
      c[t] = inputs[t].clone();
    }
    return new Example(c, null, loss);
  }

  /** Token ids for a model with an embedding (copied). */
  public static Example ofTokens(int[] ids, OutputLoss loss) {
    return new Example(null, ids.clone(), loss);
  }

  public int length() {
    return inputs != null ? inputs.length : tokens.length;
  }

  public OutputLoss loss() {
    return loss;
  }

  /** Forward over steps {@code [from, to)} starting from {@code init} (null: zero state). */
  SequenceTape forward(TrainableModel m, int from, int to, TrainState init) {
    if (tokens != null) {
      return SequenceTape.forwardTokens(m, Arrays.copyOfRange(tokens, from, to), init);
    }
    return SequenceTape.forward(m, Arrays.copyOfRange(inputs, from, to), init);
  }
}
