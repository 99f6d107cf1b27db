package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnState;

/**
 * Everything one key keeps for one model name between events (mutable; written back to Flink
 * state after each event). Serialized by {@link SequenceStateSerializer}, never Kryo.
 *
 * <pre>
 * version, layout   model version the states belong to, and hash of its state layout
 * segmentOpen       a segment (message, utterance) is in progress
 * segments          segments completed so far (index of the next one)
 * segmentSteps      steps taken in the open segment
 * segment           state of the open segment (reset at each segment start); null for
 *                   bidirectional models, which keep the segment's inputs in open instead
 * rolling           state carried across segments (conversation mood), or null
 * ring              the last N inputs (N rows of width floats), for REPLAY_LAST_N, or null
 * ringCount/Next    valid rows in ring, next row to write
 * width             floats per input row (the model's input size, or 1 for a token id)
 * open/openRows     bidirectional: the open segment's input rows
 * </pre>
 */
public final class SequenceState {
  public long version;
  public int layout;
  public boolean segmentOpen;
  public long segments;
  public int segmentSteps;
  public RnnState segment;
  public RnnState rolling;
  public float[] ring;
  public int ringCount;
  public int ringNext;
  public int width;
  public float[] open;
  public int openRows;

  /** Appends one input row to the replay ring (overwriting the oldest when full). */
  void remember(float[] src, int off, int n) {
    if (ring == null) {
      return;
    }
    int rows = ring.length / width;
    System.arraycopy(src, off, ring, ringNext * width, n);
    ringNext = (ringNext + 1) % rows;
    ringCount = Math.min(ringCount + 1, rows);
  }

  /** Records a token id as a one-float row. */
  void rememberId(int id) {
    if (ring == null) {
      return;
    }
    int rows = ring.length;
    ring[ringNext] = id;
    ringNext = (ringNext + 1) % rows;
    ringCount = Math.min(ringCount + 1, rows);
  }

  /**
   * Row index in a ring of {@code rows} rows of the {@code fromOldest}-th of the last {@code n}
   * rows written, given the next row to write.
   */
  static int ringRow(int ringNext, int rows, int fromOldest, int n) {
    return ((ringNext - n + fromOldest) % rows + rows) % rows;
  }

  /** Appends one row to the open bidirectional segment, growing the buffer geometrically. */
  void appendOpen(float[] src, int off) {
    grow();
    System.arraycopy(src, off, open, openRows * width, width);
    openRows++;
  }

  /** Appends a token id (width 1) to the open bidirectional segment. */
  void appendOpenId(int id) {
    grow();
    open[openRows] = id;
    openRows++;
  }

  private void grow() {
    int need = (openRows + 1) * width;
    if (open == null || open.length < need) {
      open = java.util.Arrays.copyOf(open == null ? new float[0] : open, 2 * need);
    }
  }

  void clearSegment() {
    segmentOpen = false;
    segmentSteps = 0;
    openRows = 0;
    if (segment != null) {
      segment.reset();
    }
  }

  /** Back to the zero state: segment, rolling and replay history. */
  void resetAll() {
    clearSegment();
    if (rolling != null) {
      rolling.reset();
    }
    ringCount = 0;
    ringNext = 0;
  }
}
