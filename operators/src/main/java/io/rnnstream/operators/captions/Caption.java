package io.rnnstream.operators.captions;

import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.captions.CaptionWord;
import java.util.Arrays;
import java.util.Objects;

/**
 * One caption of one stream's segment (a Flink POJO: the words are an array of POJOs, no Kryo).
 * Within a segment, revisions count up, {@link #stable} only grows and is a prefix of the final
 * caption's text; the segment's last caption has {@link #isFinal} set and everything stable.
 */
public class Caption {
  /** A word and its time span on the stream, ms since the stream's first sample. */
  public static class Word {
    public String text;
    public long startMs;
    public long endMs;

    public Word() {}

    public Word(String text, long startMs, long endMs) {
      this.text = text;
      this.startMs = startMs;
      this.endMs = endMs;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Word w && Objects.equals(text, w.text) && startMs == w.startMs
          && endMs == w.endMs;
    }

    @Override
    public int hashCode() {
      return Objects.hash(text, startMs, endMs);
    }

    @Override
    public String toString() {
      return text + "@" + startMs + "-" + endMs;
    }
  }

  public String stream;
  /** Index of the segment (utterance) within the stream. */
  public long segment;
  /** Index of this caption within the segment. */
  public int revision;
  /** Text no later caption of the segment changes. */
  public String stable;
  /** The rest of the current best hypothesis; empty when final. */
  public String unstable;
  /** The segment ended (endpoint, maximum length or end of stream). ("final" is a Java keyword.) */
  public boolean isFinal;
  public Word[] words;
  /** Start of the segment on the stream (ms). */
  public long startMs;
  /** End of the audio this caption covers (ms). */
  public long endMs;
  public String modelName;
  public long modelVersion;
  /** Sequence number of the event during which the caption was made. */
  public long seq;
  /** Processing time minus the event's {@code timestampMs} (0 when unknown); not in equals. */
  public long latencyMs;

  public Caption() {}

  static Caption of(String stream, CaptionUpdate u, String modelName, long modelVersion) {
    Caption c = new Caption();
    c.stream = stream;
    c.segment = u.segment();
    c.revision = u.revision();
    c.stable = u.stable();
    c.unstable = u.unstable();
    c.isFinal = u.isFinal();
    c.words = new Word[u.words().size()];
    for (int i = 0; i < c.words.length; i++) {
      CaptionWord w = u.words().get(i);
      c.words[i] = new Word(w.text(), w.startMs(), w.endMs());
    }
    c.startMs = u.startMs();
    c.endMs = u.endMs();
    c.modelName = modelName;
    c.modelVersion = modelVersion;
    return c;
  }

  /** {@code stable + unstable}. */
  public String text() {
    return (stable == null ? "" : stable) + (unstable == null ? "" : unstable);
  }

  /** Equality of the caption itself, ignoring latency (which differs run to run). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Caption c && Objects.equals(stream, c.stream) && segment == c.segment
        && revision == c.revision && Objects.equals(stable, c.stable)
        && Objects.equals(unstable, c.unstable) && isFinal == c.isFinal
        && Arrays.equals(words, c.words) && startMs == c.startMs && endMs == c.endMs
        && Objects.equals(modelName, c.modelName) && modelVersion == c.modelVersion
        && seq == c.seq;
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, segment, revision);
  }

  @Override
  public String toString() {
    return "Caption{" + stream + " seg=" + segment + " rev=" + revision + (isFinal ? " FINAL" : "")
        + " \"" + stable + "|" + unstable + "\" " + startMs + "-" + endMs + "ms " + modelName
        + " v" + modelVersion + " seq=" + seq + "}";
  }
}
