package io.rnnstream.models.model;

/**
 * Scratch buffers for one worker thread, sized for one model by {@link RnnModel#newWorkspace()}.
 * Allocated once per worker, never per step; not thread-safe.
 */
public final class Workspace {
  final float[] scratch; // the largest cell scratch
  final float[] pooled; // (P) pooled top output
  final float[] output; // (O) what step() returns
  final float[] segmentState; // one layer-direction state, for bidirectional segments

  Workspace(int scratch, int pooled, int output, int segmentState) {
    this.scratch = new float[scratch];
    this.pooled = new float[pooled];
    this.output = new float[output];
    this.segmentState = new float[segmentState];
  }
}
