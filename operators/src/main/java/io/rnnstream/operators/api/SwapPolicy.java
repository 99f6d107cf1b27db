package io.rnnstream.operators.api;

/** What happens to a key's state when a new version of its model arrives. */
public enum SwapPolicy {
  /**
   * Default. A segment in progress finishes on the version it started with; the key moves to the
   * new version when the segment ends (rolling state carried if the state layouts match, else
   * reset).
   */
  AT_SEGMENT_BOUNDARY,
  /** Switch at the key's next event, keeping its state when the layouts match; else reset. */
  IMMEDIATE_CARRY,
  /** Switch at the key's next event from the zero state. */
  IMMEDIATE_RESET,
  /**
   * Switch at the key's next event, re-warming the state by replaying the key's last N inputs
   * through the new version: the state equals a fresh run over those N inputs.
   */
  REPLAY_LAST_N
}
