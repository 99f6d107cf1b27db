package io.rnnstream.operators.inference;

/**
 * Per-key bookkeeping as builds before {@link KeyState} stored it (a Flink POJO in its own
 * ValueState). As a state of its own it is only read, by {@link LegacyKeyState} to migrate such
 * state; the class and its fields must stay as they are, since Flink's POJO serializer restores
 * them by name. {@link KeyState} extends it: its own serializer writes these fields and the
 * per-model states.
 */
public class KeyMeta {
  /** Highest sequence number processed; -1 before the first ordered event. */
  public long lastSeq = -1;
  /** Events waiting for their model's first version. */
  public int waiting;
  /** Out-of-order events held back until the gap closes or times out. */
  public int pending;
  /** Processing time at which a gap stops being waited for; 0 = no gap. */
  public long gapDeadline;
  /** Processing time of the last event (idle expiry). */
  public long lastActive;
  /** The idle-expiry timer currently registered (one per second per key at most); 0 = none. */
  public long idleTimer;

  public KeyMeta() {}
}
