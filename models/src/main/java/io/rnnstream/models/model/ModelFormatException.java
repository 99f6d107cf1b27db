package io.rnnstream.models.model;

/** A model's weights, architecture or snapshot file is not what it must be; the message says why. */
public class ModelFormatException extends RuntimeException {
  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
