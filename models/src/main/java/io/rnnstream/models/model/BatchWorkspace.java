package io.rnnstream.models.model;

/**
 * Per-thread buffers for {@link RnnModel#stepBatch}: one {@link Workspace} per key slot plus the
 * arrays of pointers the batched cells read. Create it once ({@link RnnModel#newBatchWorkspace})
 * and reuse it: a batched step then allocates nothing.
 */
public final class BatchWorkspace {
  final Workspace[] slots;
  final float[][] scratch; // slots[b].scratch
  final float[][] inputs; // where key b's layer input lives...
  final int[] inputOffsets; // ...and at which offset
  final float[][] states; // key b's RnnState.values()
  final long[] steps; // key b's steps before this one

  BatchWorkspace(Workspace[] slots) {
    int n = slots.length;
    this.slots = slots;
    this.scratch = new float[n][];
    for (int b = 0; b < n; b++) {
      scratch[b] = slots[b].scratch;
    }
    this.inputs = new float[n][];
    this.inputOffsets = new int[n];
    this.states = new float[n][];
    this.steps = new long[n];
  }

  /** The most keys one batched step can take. */
  public int capacity() {
    return slots.length;
  }

  /** Key b's output of the last batched step (valid until the next one). */
  public float[] output(int b) {
    return slots[b].output;
  }

  /** Slot b's own workspace, for single-key calls between batches. */
  public Workspace slot(int b) {
    return slots[b];
  }
}
