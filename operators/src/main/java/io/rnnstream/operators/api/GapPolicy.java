package io.rnnstream.operators.api;

/** What to do when a key's sequence number skips ahead and the missing events never arrive. */
public enum GapPolicy {
  /** After the wait, process the buffered events in order as if nothing was missing. */
  CONTINUE,
  /** After the wait, reset the key's state, then process the buffered events in order. */
  RESET
}
