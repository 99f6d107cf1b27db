package io.rnnstream.models.torch;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;

/**
 * The {@code --config} of {@code rnnstream import} ({@code docs/cli.md}): how a PyTorch
 * {@code state_dict} is laid out. Unknown keys are rejected so that typos do not pass silently.
 *
 * @param cell {@code lstm}, {@code gru}, {@code rnn_tanh} or {@code rnn_relu}
 * @param rnnPrefix the recurrent module's key prefix, e.g. {@code "rnn."}
 * @param head optional {@code nn.Linear} after the RNN
 * @param embedding optional {@code nn.Embedding} in front of it
 * @param activations optional LSTM activation override
 */
public record ImportConfig(
    @JsonProperty(value = "cell", required = true) String cell,
    @JsonProperty(value = "input_size", required = true) int inputSize,
    @JsonProperty(value = "hidden_size", required = true) int hiddenSize,
    @JsonProperty("num_layers") Integer numLayers,
    @JsonProperty("bidirectional") boolean bidirectional,
    @JsonProperty("rnn_prefix") String rnnPrefix,
    @JsonProperty("head") HeadConfig head,
    @JsonProperty("embedding") EmbeddingConfig embedding,
    @JsonProperty("activations") ActivationsConfig activations) {

  public ImportConfig {
    numLayers = numLayers == null ? 1 : numLayers;
    rnnPrefix = rnnPrefix == null ? "" : rnnPrefix;
  }

  /** An {@code nn.Linear} head: {@code <prefix>weight}, optional {@code <prefix>bias}. */
  public record HeadConfig(
      @JsonProperty(value = "prefix", required = true) String prefix,
      @JsonProperty("activation") String activation) {}

  /** An {@code nn.Embedding}: {@code <prefix>weight}. */
  public record EmbeddingConfig(@JsonProperty(value = "prefix", required = true) String prefix) {}

  /** LSTM candidate and cell activations (tanh by default). */
  public record ActivationsConfig(
      @JsonProperty("candidate") String candidate, @JsonProperty("cell") String cell) {}

  CellType cellType() {
    return switch (cell) {
      case "lstm" -> CellType.LSTM;
      case "gru" -> CellType.GRU;
      case "rnn_tanh", "rnn_relu" -> CellType.RNN;
      default -> throw new IllegalArgumentException(
          "config 'cell' is '" + cell + "': expected lstm, gru, rnn_tanh or rnn_relu");
    };
  }

  Activation elmanActivation() {
    return "rnn_relu".equals(cell) ? Activation.RELU : Activation.TANH;
  }

  static Activation activation(String field, String value, Activation fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Activation.of(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config '" + field + "': " + e.getMessage());
    }
  }
}
