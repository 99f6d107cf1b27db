package io.rnnstream.models.audio;

/** Receives feature frames from {@link LogMelExtractor} as they complete. */
@FunctionalInterface
public interface FrameConsumer {
  /**
   * @param frameIndex index of the frame in its stream (0, 1, ...): it starts at sample {@code
   *     frameIndex * frameShift}
   * @param features the frame's {@code numMelBins} log-mel values. The array is reused for the next
   *     frame: copy it if you keep it.
   */
  void accept(long frameIndex, float[] features);
}
