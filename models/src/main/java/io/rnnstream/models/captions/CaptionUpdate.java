package io.rnnstream.models.captions;

import java.util.List;

/**
 * One caption of a segment: a partial (taken while the segment goes on) or the final one.
 *
 * @param segment index of the segment within the stream (0, 1, ...)
 * @param revision index of this caption within its segment (0, 1, ...); the final caption has the
 *     highest
 * @param stable the part of the text no later caption of the segment changes; it only grows
 *     within a segment and is a prefix of the final text
 * @param unstable the rest of the current best hypothesis (empty in a final caption)
 * @param isFinal whether the segment ended (endpoint, maximum length or end of stream)
 * @param words words of {@code stable + unstable} (split on spaces) with their time spans
 * @param startMs start of the segment on the stream
 * @param endMs end of the audio the caption covers (the last frame consumed)
 */
public record CaptionUpdate(long segment, int revision, String stable, String unstable,
    boolean isFinal, List<CaptionWord> words, long startMs, long endMs) {

  public CaptionUpdate {
    words = List.copyOf(words);
  }

  /** {@code stable + unstable}. */
  public String text() {
    return stable + unstable;
  }
}
