package io.rnnstream.models.ctc;

import java.util.Arrays;

/**
 * A decoder's answer at one point of a stream: the best hypothesis so far and how much of it can
 * no longer change.
 *
 * <ul>
 *   <li>{@link #labels()}: class indices of the best hypothesis (no blanks, repeats collapsed);
 *       {@link #text()} renders them through the {@link CtcAlphabet}.
 *   <li>{@link #stableLength()}: the first {@code stableLength} labels are final: every later
 *       result of the same stream (until a reset) starts with them. {@link #stable()} is their
 *       text, always a prefix of {@link #text()}.
 *   <li>{@link #frames()}: per label, the frame (0-based since the state was created) at which
 *       the hypothesis emitted it.
 *   <li>{@link #offset()}: labels already removed from the state by
 *       {@link CtcDecoder#dropStable} before this result; {@code labels()[0]} is label number
 *       {@code offset} of the stream.
 *   <li>{@link #logScore()}: the natural-log score of the hypothesis (greedy: the best path's
 *       log-probability; beam search: the prefix's log-probability, summed over its alignments
 *       within the beam).
 *   <li>{@link #frameCount()}: frames consumed so far.
 * </ul>
 * Immutable (arrays are copied on the way in and out).
 */
public final class CtcResult {
  private final String text;
  private final String stable;
  private final int[] labels;
  private final long[] frames;
  private final int stableLength;
  private final long offset;
  private final double logScore;
  private final long frameCount;

  CtcResult(CtcAlphabet alphabet, int[] labels, long[] frames, int stableLength, long offset,
      double logScore, long frameCount) {
    if (labels.length != frames.length || stableLength < 0 || stableLength > labels.length) {
      throw new IllegalArgumentException("inconsistent result: " + labels.length + " labels, "
          + frames.length + " frames, stable " + stableLength);
    }
    this.labels = labels;
    this.frames = frames;
    this.stableLength = stableLength;
    this.offset = offset;
    this.logScore = logScore;
    this.frameCount = frameCount;
    this.stable = alphabet.text(labels, 0, stableLength);
    this.text = stable + alphabet.text(labels, stableLength, labels.length);
  }

  /** The best hypothesis as text. */
  public String text() {
    return text;
  }

  /** The prefix of {@link #text()} that no later result can change. */
  public String stable() {
    return stable;
  }

  public int[] labels() {
    return labels.clone();
  }

  public long[] frames() {
    return frames.clone();
  }

  public int stableLength() {
    return stableLength;
  }

  public long offset() {
    return offset;
  }

  public double logScore() {
    return logScore;
  }

  public long frameCount() {
    return frameCount;
  }

  /** Number of labels in the hypothesis. */
  public int length() {
    return labels.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CtcResult r && r.stableLength == stableLength && r.offset == offset
        && Double.compare(r.logScore, logScore) == 0 && r.frameCount == frameCount
        && Arrays.equals(r.labels, labels) && Arrays.equals(r.frames, frames)
        && r.text.equals(text);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(labels) + Arrays.hashCode(frames)) + stableLength;
  }

  @Override
  public String toString() {
    return "CtcResult{text=\"" + text + "\", stable=\"" + stable + "\", frames="
        + Arrays.toString(frames) + ", offset=" + offset + ", logScore=" + logScore
        + ", frameCount=" + frameCount + "}";
  }
}
