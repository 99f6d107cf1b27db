package io.rnnstream.models.model;

import static io.rnnstream.models.model.TensorNames.rnn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every tensor a {@link ModelSpec} needs, with its canonical name and shape: the single source of
 * truth for building a model from weights, importing, initialising and validating snapshots.
 */
public final class Parameters {
  /** What a tensor is for; initialisers treat the kinds differently. */
  public enum Kind {
    INPUT_WEIGHT,
    RECURRENT_WEIGHT,
    BIAS,
    PEEPHOLE,
    OUTPUT_WEIGHT,
    EMBEDDING,
    ATTENTION
  }

  /** One named tensor of a model. */
  public record Param(String name, int[] shape, Kind kind) {}

  private Parameters() {}

  public static List<Param> of(ModelSpec s) {
    List<Param> out = new ArrayList<>();
    if (s.vocabSize() != null) {
      out.add(new Param(TensorNames.EMBEDDING, new int[] {s.vocabSize(), s.inputSize()},
          Kind.EMBEDDING));
    }
    int h = s.hiddenSize();
    int rows = s.cell().gateRows() * h;
    for (int layer = 0; layer < s.numLayers(); layer++) {
      int d = s.layerInputSize(layer);
      for (int dir = 0; dir < s.directions(); dir++) {
        boolean rev = dir == 1;
        int recurrentIn = s.cell() == CellType.JORDAN ? s.feedbackSize() : h;
        out.add(new Param(rnn("weight_ih", layer, rev), new int[] {rows, d}, Kind.INPUT_WEIGHT));
        out.add(new Param(rnn("weight_hh", layer, rev), new int[] {rows, recurrentIn},
            Kind.RECURRENT_WEIGHT));
        if (s.bias()) {
          out.add(new Param(rnn("bias_ih", layer, rev), new int[] {rows}, Kind.BIAS));
          out.add(new Param(rnn("bias_hh", layer, rev), new int[] {rows}, Kind.BIAS));
        }
        switch (s.cell()) {
          case LSTM -> {
            if (s.peepholes()) {
              out.add(new Param(rnn("weight_peep", layer, rev), new int[] {3 * h}, Kind.PEEPHOLE));
            }
          }
          case JORDAN -> {
            int o = s.feedbackSize();
            out.add(new Param(rnn("weight_ho", layer, rev), new int[] {o, h}, Kind.OUTPUT_WEIGHT));
            if (s.bias()) {
              out.add(new Param(rnn("bias_ho", layer, rev), new int[] {o}, Kind.BIAS));
            }
          }
          case SCRN -> {
            int c = s.contextSize();
            out.add(new Param(rnn("weight_cx", layer, rev), new int[] {c, d}, Kind.INPUT_WEIGHT));
            out.add(new Param(rnn("weight_hc", layer, rev), new int[] {h, c},
                Kind.RECURRENT_WEIGHT));
          }
          default -> {}
        }
      }
    }
    int top = s.topOutputSize();
    if (s.pooling() == Pooling.ATTENTION) {
      out.add(new Param(TensorNames.ATTENTION, new int[] {top}, Kind.ATTENTION));
    }
    if (s.head() != null) {
      out.add(new Param(TensorNames.HEAD_WEIGHT, new int[] {s.head().outputSize(), top},
          Kind.OUTPUT_WEIGHT));
      if (s.head().bias()) {
        out.add(new Param(TensorNames.HEAD_BIAS, new int[] {s.head().outputSize()}, Kind.BIAS));
      }
    }
    return Collections.unmodifiableList(out);
  }
}
