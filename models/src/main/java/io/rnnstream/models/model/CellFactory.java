package io.rnnstream.models.model;

import static io.rnnstream.models.model.TensorNames.rnn;

import io.rnnstream.models.cells.Cell;
import io.rnnstream.models.cells.ClockworkCell;
import io.rnnstream.models.cells.ElmanCell;
import io.rnnstream.models.cells.GruCell;
import io.rnnstream.models.cells.JordanCell;
import io.rnnstream.models.cells.LstmCell;
import io.rnnstream.models.cells.ScrnCell;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/** Builds one direction of one layer from a spec and its (already shape-checked) weights. */
final class CellFactory {
  private CellFactory() {}

  static Cell build(ModelSpec s, Weights w, int layer, boolean reverse) {
    int h = s.hiddenSize();
    int rows = s.cell().gateRows() * h;
    int d = s.layerInputSize(layer);
    int recurrentIn = s.cell() == CellType.JORDAN ? s.feedbackSize() : h;
    Tensor wIhT = w.require(rnn("weight_ih", layer, reverse), rows, d);
    Tensor wHhT = w.require(rnn("weight_hh", layer, reverse), rows, recurrentIn);
    Matrix wIh = new Matrix(wIhT);
    Tensor bIh = w.optional(rnn("bias_ih", layer, reverse), s.bias(), rows);
    Tensor bHh = w.optional(rnn("bias_hh", layer, reverse), s.bias(), rows);
    return switch (s.cell()) {
      case RNN -> new ElmanCell(wIh, new Matrix(wHhT), bIh, bHh, s.activation());
      case LSTM -> new LstmCell(wIh, new Matrix(wHhT), bIh, bHh,
          s.peepholes() ? w.require(rnn("weight_peep", layer, reverse), 3 * h) : null,
          s.candidateActivation(), s.cellActivation());
      case GRU -> new GruCell(wIh, new Matrix(wHhT), bIh, bHh);
      case JORDAN -> new JordanCell(wIh, new Matrix(wHhT), bIh, bHh,
          new Matrix(w.require(rnn("weight_ho", layer, reverse), s.feedbackSize(), h)),
          w.optional(rnn("bias_ho", layer, reverse), s.bias(), s.feedbackSize()),
          s.activation(), s.feedbackActivation());
      case CLOCKWORK -> new ClockworkCell(wIh, wHhT, bIh, bHh, s.activation(), s.clockPeriods());
      case SCRN -> new ScrnCell(wIh, new Matrix(wHhT), bIh, bHh,
          new Matrix(w.require(rnn("weight_cx", layer, reverse), s.contextSize(), d)),
          new Matrix(w.require(rnn("weight_hc", layer, reverse), h, s.contextSize())),
          s.contextAlpha());
    };
  }
}
