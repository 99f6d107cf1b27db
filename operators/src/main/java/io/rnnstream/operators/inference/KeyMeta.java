package io.rnnstream.operators.inference;

/**
 * Per-key bookkeeping shared by all models of the key (a Flink POJO): ordering, buffers and
 * activity. One state read per event instead of four.
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
