package io.rnnstream.models.model;

/**
 * Canonical tensor names inside a model. The recurrent part follows PyTorch's {@code nn.RNN /
 * nn.LSTM / nn.GRU} names under the prefix {@code rnn.} ({@code rnn.weight_ih_l0},
 * {@code rnn.bias_hh_l1_reverse}, ...), so an imported {@code state_dict} maps one to one. Cells
 * PyTorch lacks add their own names in the same pattern.
 */
public final class TensorNames {
  public static final String RNN = "rnn.";
  public static final String EMBEDDING = "embedding.weight";
  public static final String HEAD_WEIGHT = "head.weight";
  public static final String HEAD_BIAS = "head.bias";
  public static final String ATTENTION = "pool.attention";

  private TensorNames() {}

  /** {@code _l{layer}} or {@code _l{layer}_reverse}. */
  public static String suffix(int layer, boolean reverse) {
    return "_l" + layer + (reverse ? "_reverse" : "");
  }

  /** {@code rnn.<kind><suffix>}, e.g. {@code rnn.weight_ih_l0_reverse}. */
  public static String rnn(String kind, int layer, boolean reverse) {
    return RNN + kind + suffix(layer, reverse);
  }
}
