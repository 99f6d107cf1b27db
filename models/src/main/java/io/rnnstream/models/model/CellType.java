package io.rnnstream.models.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The recurrent cells of the lecture. */
public enum CellType {
  /** Elman network ({@code nn.RNN}); its activation is {@link ModelSpec#activation()}. */
  RNN(1),
  LSTM(4),
  GRU(3),
  /** Elman-style hidden layer fed by the previous output instead of the previous hidden state. */
  JORDAN(1),
  CLOCKWORK(1),
  SCRN(1);

  private final int gateRows;

  CellType(int gateRows) {
    this.gateRows = gateRows;
  }

  /** Rows of W_ih / W_hh per hidden unit (PyTorch stacks the gates: LSTM 4, GRU 3). */
  public int gateRows() {
    return gateRows;
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static CellType of(String id) {
    for (CellType c : values()) {
      if (c.id().equalsIgnoreCase(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown cell '" + id + "': expected one of rnn, lstm, gru, jordan, clockwork, scrn");
  }
}
