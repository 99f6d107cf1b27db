package io.rnnstream.models.audio;

/**
 * Immutable settings of {@link LogMelExtractor}. The defaults are the project's speech front end:
 * 16 kHz input, 25 ms frames (400 samples) every 10 ms (160), symmetric Hann window, 512-point FFT,
 * power spectrum, 40 triangular mel filters on the HTK mel scale ({@code 1127 ln(1 + f/700)}) from
 * 20 Hz to Nyquist, DC offset removal, pre-emphasis 0.97, natural log floored at float32 epsilon.
 *
 * <p>That is Kaldi's {@code compute-fbank-feats} / {@code torchaudio.compliance.kaldi.fbank} with
 * {@code window_type='hanning', num_mel_bins=40, dither=0.0} and every other option at its default
 * ({@code snip_edges=True}: frame {@code t} covers samples {@code [160 t, 160 t + 400)} and a partial
 * frame at the end is never emitted), applied to the waveform scaled to [-1, 1) (PCM16 / 32768, what
 * {@code torchaudio.load} returns). On int16-scaled input Kaldi's values are ours plus
 * {@code 2 ln 32768} wherever the floor is not reached. LogMelExtractorTest checks this against
 * committed torchaudio fixtures.
 */
public final class LogMelConfig {

  /** Analysis window. Symmetric (periodic=False) like Kaldi's. */
  public enum Window {
    /** {@code 0.5 - 0.5 cos(2 pi n / (N - 1))}. */
    HANN,
    /** {@code 0.54 - 0.46 cos(2 pi n / (N - 1))}. */
    HAMMING,
    /** Kaldi's default: Hann to the power 0.85. */
    POVEY,
    /** All ones. */
    RECTANGULAR
  }

  /** float32 machine epsilon, the floor Kaldi and torchaudio apply before the log. */
  public static final double FLOAT_EPSILON = 1.1920928955078125e-7;

  private final int sampleRate;
  private final int frameLength;
  private final int frameShift;
  private final int fftSize;
  private final int numMelBins;
  private final double lowFreq;
  private final double highFreq;
  private final Window window;
  private final boolean removeDcOffset;
  private final double preemphasis;
  private final double logFloor;

  private LogMelConfig(Builder b) {
    this.sampleRate = b.sampleRate;
    this.frameLength = b.frameLength;
    this.frameShift = b.frameShift;
    this.fftSize = b.fftSize;
    this.numMelBins = b.numMelBins;
    this.lowFreq = b.lowFreq;
    this.highFreq = b.highFreq;
    this.window = b.window;
    this.removeDcOffset = b.removeDcOffset;
    this.preemphasis = b.preemphasis;
    this.logFloor = b.logFloor;
  }

  /** The project defaults (see the class comment). */
  public static LogMelConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.sampleRate = sampleRate;
    b.frameLength = frameLength;
    b.frameShift = frameShift;
    b.fftSize = fftSize;
    b.numMelBins = numMelBins;
    b.lowFreq = lowFreq;
    b.highFreq = highFreq;
    b.window = window;
    b.removeDcOffset = removeDcOffset;
    b.preemphasis = preemphasis;
    b.logFloor = logFloor;
    return b;
  }

  public int sampleRate() {
    return sampleRate;
  }

  /** Samples per frame (400 = 25 ms at 16 kHz). */
  public int frameLength() {
    return frameLength;
  }

  /** Samples between frame starts (160 = 10 ms at 16 kHz). */
  public int frameShift() {
    return frameShift;
  }

  public int fftSize() {
    return fftSize;
  }

  public int numMelBins() {
    return numMelBins;
  }

  public double lowFreq() {
    return lowFreq;
  }

  /** Upper edge of the filterbank in Hz; 0 or negative means Nyquist plus this value (Kaldi). */
  public double highFreq() {
    return highFreq;
  }

  /** {@link #highFreq()} resolved to Hz. */
  public double effectiveHighFreq() {
    return highFreq > 0 ? highFreq : sampleRate / 2.0 + highFreq;
  }

  public Window window() {
    return window;
  }

  public boolean removeDcOffset() {
    return removeDcOffset;
  }

  public double preemphasis() {
    return preemphasis;
  }

  public double logFloor() {
    return logFloor;
  }

  /** Frames produced by {@code samples} samples: {@code 1 + (samples - frameLength) / frameShift}, or 0. */
  public long framesFor(long samples) {
    return samples < frameLength ? 0 : 1 + (samples - frameLength) / frameShift;
  }

  @Override
  public String toString() {
    return "LogMelConfig{sampleRate=" + sampleRate + ", frameLength=" + frameLength + ", frameShift="
        + frameShift + ", fftSize=" + fftSize + ", numMelBins=" + numMelBins + ", lowFreq=" + lowFreq
        + ", highFreq=" + highFreq + ", window=" + window + ", removeDcOffset=" + removeDcOffset
        + ", preemphasis=" + preemphasis + ", logFloor=" + logFloor + "}";
  }

  /** Builder with the project defaults preset; {@link #build()} checks every field. */
  public static final class Builder {
    private int sampleRate = 16_000;
    private int frameLength = 400;
    private int frameShift = 160;
    private int fftSize = 512;
    private int numMelBins = 40;
    private double lowFreq = 20.0;
    private double highFreq = 0.0;
    private Window window = Window.HANN;
    private boolean removeDcOffset = true;
    private double preemphasis = 0.97;
    private double logFloor = FLOAT_EPSILON;

    private Builder() {}

    public Builder sampleRate(int v) {
      sampleRate = v;
      return this;
    }

    public Builder frameLength(int v) {
      frameLength = v;
      return this;
    }

    public Builder frameShift(int v) {
      frameShift = v;
      return this;
    }

    public Builder fftSize(int v) {
      fftSize = v;
      return this;
    }

    public Builder numMelBins(int v) {
      numMelBins = v;
      return this;
    }

    public Builder lowFreq(double v) {
      lowFreq = v;
      return this;
    }

    public Builder highFreq(double v) {
      highFreq = v;
      return this;
    }

    public Builder window(Window v) {
      window = v;
      return this;
    }

    public Builder removeDcOffset(boolean v) {
      removeDcOffset = v;
      return this;
    }

    public Builder preemphasis(double v) {
      preemphasis = v;
      return this;
    }

    public Builder logFloor(double v) {
      logFloor = v;
      return this;
    }

    public LogMelConfig build() {
      require(sampleRate > 0, "sampleRate must be > 0, got " + sampleRate);
      require(frameLength > 1, "frameLength must be > 1, got " + frameLength);
      require(frameShift > 0 && frameShift <= frameLength,
          "frameShift must be in [1, frameLength=" + frameLength + "], got " + frameShift);
      require(fftSize >= frameLength && Integer.bitCount(fftSize) == 1,
          "fftSize must be a power of two >= frameLength=" + frameLength + ", got " + fftSize);
      require(numMelBins > 0, "numMelBins must be > 0, got " + numMelBins);
      require(window != null, "window must not be null");
      require(preemphasis >= 0 && preemphasis <= 1, "preemphasis must be in [0, 1], got " + preemphasis);
      require(logFloor > 0 && Double.isFinite(logFloor), "logFloor must be finite and > 0, got " + logFloor);
      double nyquist = sampleRate / 2.0;
      double high = highFreq > 0 ? highFreq : nyquist + highFreq;
      require(lowFreq >= 0 && lowFreq < nyquist, "lowFreq must be in [0, " + nyquist + "), got " + lowFreq);
      require(high > lowFreq && high <= nyquist,
          "highFreq must resolve to (lowFreq, " + nyquist + "], got " + highFreq + " -> " + high);
      return new LogMelConfig(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
