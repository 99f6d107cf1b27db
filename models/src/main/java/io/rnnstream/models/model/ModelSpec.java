package io.rnnstream.models.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.rnnstream.models.kernels.Activation;
import java.util.Arrays;

/**
 * The architecture of a model: everything but the weights. Stored as JSON in snapshots, so fields
 * only ever get added (with defaults). Build one with {@link #builder(CellType, int, int)}.
 *
 * @param cell the recurrent cell
 * @param inputSize D, the width of each input vector (the embedding width when {@code vocabSize}
 *     is set)
 * @param hiddenSize H per layer and direction
 * @param numLayers stacked layers (deep RNN); layer k > 0 reads layer k-1's output
 * @param bidirectional a reverse direction per layer; such models run on whole segments
 * @param bias whether the b_ih / b_hh tensors exist ({@code bias=False} in PyTorch)
 * @param activation hidden activation of RNN, Jordan and Clockwork cells
 * @param candidateActivation LSTM candidate g (tanh by default)
 * @param cellActivation LSTM activation applied to c before the output gate (tanh by default)
 * @param peepholes LSTM peephole connections from c to the i, f, o gates
 * @param clockPeriods Clockwork module periods, strictly increasing; H splits evenly among them
 * @param contextSize SCRN context width S
 * @param contextAlpha SCRN context self-connection
 * @param feedbackSize Jordan output width O (the output fed back)
 * @param feedbackActivation Jordan output activation
 * @param vocabSize embedding rows when the model reads token ids; null for dense inputs
 * @param head optional linear head on top
 * @param pooling many-to-one pooling of the top outputs ({@link Pooling#NONE}: many-to-many)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
    @JsonProperty("cell") CellType cell,
    @JsonProperty("inputSize") int inputSize,
    @JsonProperty("hiddenSize") int hiddenSize,
    @JsonProperty("numLayers") int numLayers,
    @JsonProperty("bidirectional") boolean bidirectional,
    @JsonProperty("bias") boolean bias,
    @JsonProperty("activation") Activation activation,
    @JsonProperty("candidateActivation") Activation candidateActivation,
    @JsonProperty("cellActivation") Activation cellActivation,
    @JsonProperty("peepholes") boolean peepholes,
    @JsonProperty("clockPeriods") int[] clockPeriods,
    @JsonProperty("contextSize") int contextSize,
    @JsonProperty("contextAlpha") float contextAlpha,
    @JsonProperty("feedbackSize") int feedbackSize,
    @JsonProperty("feedbackActivation") Activation feedbackActivation,
    @JsonProperty("vocabSize") Integer vocabSize,
    @JsonProperty("head") HeadSpec head,
    @JsonProperty("pooling") Pooling pooling) {

  public ModelSpec {
    if (cell == null) {
      throw new IllegalArgumentException("cell must be set");
    }
    requirePositive("inputSize", inputSize);
    requirePositive("hiddenSize", hiddenSize);
    requirePositive("numLayers", numLayers);
    activation = activation == null ? Activation.TANH : activation;
    candidateActivation = candidateActivation == null ? Activation.TANH : candidateActivation;
    cellActivation = cellActivation == null ? Activation.TANH : cellActivation;
    feedbackActivation = feedbackActivation == null ? Activation.IDENTITY : feedbackActivation;
    pooling = pooling == null ? Pooling.NONE : pooling;
    for (Activation a :
        new Activation[] {activation, candidateActivation, cellActivation, feedbackActivation}) {
      if (a == Activation.SOFTMAX && cell != CellType.JORDAN) {
        throw new IllegalArgumentException("softmax is only allowed as a head or Jordan output");
      }
    }
    if (peepholes && cell != CellType.LSTM) {
      throw new IllegalArgumentException("peepholes are an LSTM option, cell is " + cell.id());
    }
    switch (cell) {
      case CLOCKWORK -> {
        if (clockPeriods == null || clockPeriods.length == 0) {
          throw new IllegalArgumentException("clockPeriods must be set for a clockwork cell");
        }
        for (int i = 0; i < clockPeriods.length; i++) {
          if (clockPeriods[i] < 1 || (i > 0 && clockPeriods[i] <= clockPeriods[i - 1])) {
            throw new IllegalArgumentException("clockPeriods must be >= 1 and strictly increasing,"
                + " got " + Arrays.toString(clockPeriods));
          }
        }
        if (hiddenSize % clockPeriods.length != 0) {
          throw new IllegalArgumentException(
              "hiddenSize " + hiddenSize + " must split evenly into " + clockPeriods.length
                  + " clockwork modules");
        }
        clockPeriods = clockPeriods.clone();
      }
      case SCRN -> {
        requirePositive("contextSize", contextSize);
        if (!(contextAlpha >= 0f && contextAlpha <= 1f)) {
          throw new IllegalArgumentException("contextAlpha must be in [0, 1], got " + contextAlpha);
        }
      }
      case JORDAN -> requirePositive("feedbackSize", feedbackSize);
      default -> {}
    }
    if (vocabSize != null) {
      requirePositive("vocabSize", vocabSize);
    }
  }

  private static void requirePositive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be >= 1, got " + value);
    }
  }

  /** Width of one direction's output of one layer. */
  public int layerOutputSize() {
    return switch (cell) {
      case JORDAN -> feedbackSize;
      case SCRN -> hiddenSize + contextSize;
      default -> hiddenSize;
    };
  }

  /** Width of the top layer's output as the head sees it (both directions concatenated). */
  public int topOutputSize() {
    return layerOutputSize() * directions();
  }

  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /** Width of one input to layer k. */
  public int layerInputSize(int layer) {
    return layer == 0 ? inputSize : topOutputSize();
  }

  /** Width of what {@code step} returns: the head's output, or the (pooled) top output. */
  public int outputSize() {
    return head == null ? topOutputSize() : head.outputSize();
  }

  public boolean readsTokenIds() {
    return vocabSize != null;
  }

  public Builder toBuilder() {
    Builder b = new Builder(cell, inputSize, hiddenSize);
    b.numLayers = numLayers;
    b.bidirectional = bidirectional;
    b.bias = bias;
    b.activation = activation;
    b.candidateActivation = candidateActivation;
    b.cellActivation = cellActivation;
    b.peepholes = peepholes;
    b.clockPeriods = clockPeriods;
    b.contextSize = contextSize;
    b.contextAlpha = contextAlpha;
    b.feedbackSize = feedbackSize;
    b.feedbackActivation = feedbackActivation;
    b.vocabSize = vocabSize;
    b.head = head;
    b.pooling = pooling;
    return b;
  }

  public static Builder builder(CellType cell, int inputSize, int hiddenSize) {
    return new Builder(cell, inputSize, hiddenSize);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s
        && s.toBuilder().equalsIgnoringArrays(toBuilder())
        && Arrays.equals(s.clockPeriods, clockPeriods);
  }

  @Override
  public int hashCode() {
    return toBuilder().hashIgnoringArrays() * 31 + Arrays.hashCode(clockPeriods);
  }

  /** Mutable builder with the defaults of PyTorch: 1 layer, unidirectional, with bias. */
  public static final class Builder {
    private final CellType cell;
    private final int inputSize;
    private final int hiddenSize;
    private int numLayers = 1;
    private boolean bidirectional;
    private boolean bias = true;
    private Activation activation;
    private Activation candidateActivation;
    private Activation cellActivation;
    private boolean peepholes;
    private int[] clockPeriods;
    private int contextSize;
    private float contextAlpha = 0.95f;
    private int feedbackSize;
    private Activation feedbackActivation;
    private Integer vocabSize;
    private HeadSpec head;
    private Pooling pooling;

    private Builder(CellType cell, int inputSize, int hiddenSize) {
      this.cell = cell;
      this.inputSize = inputSize;
      this.hiddenSize = hiddenSize;
    }

    public Builder numLayers(int v) {
      numLayers = v;
      return this;
    }

    public Builder bidirectional(boolean v) {
      bidirectional = v;
      return this;
    }

    public Builder bias(boolean v) {
      bias = v;
      return this;
    }

    public Builder activation(Activation v) {
      activation = v;
      return this;
    }

    public Builder candidateActivation(Activation v) {
      candidateActivation = v;
      return this;
    }

    public Builder cellActivation(Activation v) {
      cellActivation = v;
      return this;
    }

    public Builder peepholes(boolean v) {
      peepholes = v;
      return this;
    }

    public Builder clockPeriods(int... v) {
      clockPeriods = v.clone();
      return this;
    }

    public Builder context(int size, float alpha) {
      contextSize = size;
      contextAlpha = alpha;
      return this;
    }

    public Builder feedback(int size, Activation outputActivation) {
      feedbackSize = size;
      feedbackActivation = outputActivation;
      return this;
    }

    public Builder vocabSize(Integer v) {
      vocabSize = v;
      return this;
    }

    public Builder head(int outputSize, Activation activation) {
      head = new HeadSpec(outputSize, activation, true);
      return this;
    }

    public Builder head(HeadSpec v) {
      head = v;
      return this;
    }

    public Builder pooling(Pooling v) {
      pooling = v;
      return this;
    }

    public ModelSpec build() {
      return new ModelSpec(
          cell, inputSize, hiddenSize, numLayers, bidirectional, bias, activation,
          candidateActivation, cellActivation, peepholes, clockPeriods, contextSize, contextAlpha,
          feedbackSize, feedbackActivation, vocabSize, head, pooling);
    }

    private boolean equalsIgnoringArrays(Builder o) {
      return java.util.Objects.equals(key(), o.key());
    }

    private int hashIgnoringArrays() {
      return key().hashCode();
    }

    private java.util.List<Object> key() {
      return java.util.Arrays.asList(
          cell, inputSize, hiddenSize, numLayers, bidirectional, bias, activation,
          candidateActivation, cellActivation, peepholes, contextSize, contextAlpha, feedbackSize,
          feedbackActivation, vocabSize, head, pooling);
    }
  }
}
