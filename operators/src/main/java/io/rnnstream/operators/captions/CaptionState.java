package io.rnnstream.operators.captions;

import io.rnnstream.models.captions.CaptionStream;

/**
 * Per-stream keyed state of the caption operator: ordering, the model version the open segment
 * runs on, buffering and activity, and the {@link CaptionStream.State} (extractor samples, LSTM
 * state, decoder state, segment index, revision, trailing blanks, segment start). Serialized by
 * {@link CaptionStateSerializer}.
 */
public final class CaptionState {
  /** Highest sequence number processed; -1 before the first ordered event. */
  public long lastSeq = -1;
  /** Version of the model the stream (its open segment) runs on; -1 before the first audio. */
  public long modelVersion = -1;
  /** Events waiting for the model's first version. */
  public int waiting;
  /** Processing time of the last event (idle expiry). */
  public long lastActive;
  /** The idle-expiry timer registered; 0 = none. */
  public long idleTimer;
  /** The stream's captioning state; null before the first audio. */
  public CaptionStream.State stream;

  public CaptionState() {}

  /** Equal fields and equal stream state bytes (the stream state has no equals of its own). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CaptionState s)) {
      return false;
    }
    return lastSeq == s.lastSeq && modelVersion == s.modelVersion && waiting == s.waiting
        && lastActive == s.lastActive && idleTimer == s.idleTimer
        && (stream == null ? s.stream == null
            : s.stream != null && java.util.Arrays.equals(stream.toBytes(), s.stream.toBytes()));
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(lastSeq, modelVersion, waiting);
  }

  @Override
  public String toString() {
    return "CaptionState{lastSeq=" + lastSeq + ", modelVersion=" + modelVersion + ", waiting="
        + waiting + ", stream=" + stream + "}";
  }
}
