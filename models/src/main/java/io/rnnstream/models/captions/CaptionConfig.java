package io.rnnstream.models.captions;

import io.rnnstream.models.ctc.PrefixBeamSearch;

/**
 * Immutable settings of a {@link CaptionStream}: decoder, endpointing and how often partial
 * captions are taken. Frame counts are feature frames (10 ms each with the default front end).
 * Build with {@link #builder()}; every check names the field. Serializable, so that Flink functions
 * can carry it.
 */
public final class CaptionConfig implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** The CTC decoder. */
  public enum Decoder {
    /** Best path: nothing is ever revised, the whole text is stable. */
    GREEDY,
    /** Prefix beam search; the stable part is the beams' common prefix (see PrefixBeamSearch). */
    BEAM
  }

  /** Default beam width of caption streams (a caption stream runs 100 frames per second). */
  public static final int DEFAULT_BEAM_WIDTH = 8;

  private final Decoder decoder;
  private final int beamWidth;
  private final double pruneBelow;
  private final int commitAfterFrames;
  private final int endpointBlankFrames;
  private final int maxSegmentFrames;
  private final int partialIntervalFrames;
  private final boolean partials;

  private CaptionConfig(Builder b) {
    this.decoder = b.decoder;
    this.beamWidth = b.beamWidth;
    this.pruneBelow = b.pruneBelow;
    this.commitAfterFrames = b.commitAfterFrames;
    this.endpointBlankFrames = b.endpointBlankFrames;
    this.maxSegmentFrames = b.maxSegmentFrames;
    this.partialIntervalFrames = b.partialIntervalFrames;
    this.partials = b.partials;
  }

  public static CaptionConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.decoder = decoder;
    b.beamWidth = beamWidth;
    b.pruneBelow = pruneBelow;
    b.commitAfterFrames = commitAfterFrames;
    b.endpointBlankFrames = endpointBlankFrames;
    b.maxSegmentFrames = maxSegmentFrames;
    b.partialIntervalFrames = partialIntervalFrames;
    b.partials = partials;
    return b;
  }

  public Decoder decoder() {
    return decoder;
  }

  public int beamWidth() {
    return beamWidth;
  }

  public double pruneBelow() {
    return pruneBelow;
  }

  public int commitAfterFrames() {
    return commitAfterFrames;
  }

  public int endpointBlankFrames() {
    return endpointBlankFrames;
  }

  public int maxSegmentFrames() {
    return maxSegmentFrames;
  }

  public int partialIntervalFrames() {
    return partialIntervalFrames;
  }

  public boolean partials() {
    return partials;
  }

  @Override
  public String toString() {
    return "CaptionConfig{decoder=" + decoder + ", beamWidth=" + beamWidth + ", pruneBelow="
        + pruneBelow + ", commitAfterFrames=" + commitAfterFrames + ", endpointBlankFrames="
        + endpointBlankFrames + ", maxSegmentFrames=" + maxSegmentFrames
        + ", partialIntervalFrames=" + partialIntervalFrames + ", partials=" + partials + "}";
  }

  /** Builder with the defaults preset. */
  public static final class Builder {
    private Decoder decoder = Decoder.BEAM;
    private int beamWidth = DEFAULT_BEAM_WIDTH;
    private double pruneBelow = Double.NEGATIVE_INFINITY;
    private int commitAfterFrames = 100;
    private int endpointBlankFrames = 60;
    private int maxSegmentFrames = 3000;
    private int partialIntervalFrames = 10;
    private boolean partials = true;

    private Builder() {}

    /** GREEDY or BEAM (default). */
    public Builder decoder(Decoder v) {
      if (v == null) {
        throw new IllegalArgumentException("decoder must not be null");
      }
      decoder = v;
      return this;
    }

    /** Beam search: {@code BEAM} with this width (>= 1, default {@value #DEFAULT_BEAM_WIDTH}). */
    public Builder beam(int width) {
      decoder = Decoder.BEAM;
      return beamWidth(width);
    }

    /** Beam width for {@link Decoder#BEAM} (>= 1, default {@value #DEFAULT_BEAM_WIDTH}). */
    public Builder beamWidth(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("beamWidth must be >= 1, got " + v);
      }
      beamWidth = v;
      return this;
    }

    /**
     * Beam search: classes whose frame log-probability is below this are skipped at that frame
     * (see {@link PrefixBeamSearch.Builder#pruneBelow}). Default -Infinity: off.
     */
    public Builder pruneBelow(double v) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("pruneBelow must be a number, got NaN");
      }
      pruneBelow = v;
      return this;
    }

    /**
     * Beam search: labels older than this many frames are settled (stable), bounding both the
     * state and how far the stable text lags the audio (default 100 = 1 s; 0 = off, which leaves
     * the lag to the beams' agreement).
     */
    public Builder commitAfterFrames(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("commitAfterFrames must be >= 0, got " + v);
      }
      commitAfterFrames = v;
      return this;
    }

    /**
     * Endpointing: once something was said, a segment ends (a final caption) after this many
     * consecutive frames whose most probable class is the blank (default 60 = 0.6 s; 0 = never
     * on silence, only at {@link #maxSegmentFrames} or the end of the stream).
     */
    public Builder endpointBlankFrames(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("endpointBlankFrames must be >= 0, got " + v);
      }
      endpointBlankFrames = v;
      return this;
    }

    /** Longest segment: a final caption is forced after this many frames (default 3000 = 30 s). */
    public Builder maxSegmentFrames(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxSegmentFrames must be >= 1, got " + v);
      }
      maxSegmentFrames = v;
      return this;
    }

    /**
     * Partial captions are considered every this many frames of a segment (default 10 = 100 ms)
     * and emitted when the text or its stable part changed. The grid is in frames, not input
     * chunks, so the captions do not depend on how the audio is chunked.
     */
    public Builder partialIntervalFrames(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("partialIntervalFrames must be >= 1, got " + v);
      }
      partialIntervalFrames = v;
      return this;
    }

    /** Whether partial captions are emitted at all (default true); finals always are. */
    public Builder partials(boolean v) {
      partials = v;
      return this;
    }

    public CaptionConfig build() {
      return new CaptionConfig(this);
    }
  }
}
