package io.rnnstream.operators.api;

/** The lecture's two shapes of output. */
public enum Mode {
  /** One prediction per segment (sentiment of a message), optionally a rolling one per key. */
  MANY_TO_ONE,
  /** One prediction per step (a tag per token); bidirectional models emit at segment end. */
  MANY_TO_MANY
}
