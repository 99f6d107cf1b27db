package io.rnnstream.models.audio;

import java.util.ArrayList;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Streaming log-mel filterbank features (see {@link LogMelConfig} for the exact definition and its
 * relation to Kaldi / torchaudio fbank).
 *
 * <p>Streaming: the caller keeps one {@link LogMelState} per stream and feeds PCM in chunks of any
 * size (PCM16 samples, little-endian PCM16 bytes, odd byte counts included, or floats in [-1, 1)).
 * A frame is emitted as soon as its last sample arrives. The frames do not depend on how the input is
 * chunked, bit for bit: every frame is computed by the same code from the same {@code frameLength}
 * float samples, whatever the chunk boundaries.
 *
 * <p>Threading and allocation: an extractor holds the FFT plan and scratch buffers, so it is not
 * thread-safe; use one per worker (e.g. per Flink operator instance) and any number of states. After
 * construction the {@code accept*} methods allocate nothing; the {@code float[]} handed to the {@link
 * FrameConsumer} is reused for every frame. Arithmetic is in double precision, output rounded to float.
 */
public final class LogMelExtractor {
  private final LogMelConfig config;
  private final int frameLength;
  private final int frameShift;
  private final int fftSize;
  private final double[] window;
  private final int[] melStart; // first FFT bin of each filter
  private final double[][] melWeights; // weights of bins melStart[m] .. melStart[m] + len - 1
  private final DoubleFFT_1D fft;
  private final double[] fftBuf;
  private final float[] features;

  public LogMelExtractor() {
    this(LogMelConfig.defaults());
  }

  public LogMelExtractor(LogMelConfig config) {
    this.config = config;
    this.frameLength = config.frameLength();
    this.frameShift = config.frameShift();
    this.fftSize = config.fftSize();
    this.window = window(config.window(), frameLength);
    double[][] banks = melBanks(config);
    this.melStart = new int[banks.length];
    this.melWeights = new double[banks.length][];
    for (int m = 0; m < banks.length; m++) {
      int first = -1;
      int last = -1;
      for (int k = 0; k < banks[m].length; k++) {
        if (banks[m][k] != 0.0) {
          if (first < 0) {
            first = k;
          }
          last = k;
        }
      }
      if (first < 0) {
        first = 0;
        last = -1; // an empty filter (too many bins for the FFT size): always the floor
      }
      melStart[m] = first;
      melWeights[m] = java.util.Arrays.copyOfRange(banks[m], first, last + 1);
    }
    this.fft = new DoubleFFT_1D(fftSize);
    this.fftBuf = new double[fftSize];
    this.features = new float[config.numMelBins()];
  }

  public LogMelConfig config() {
    return config;
  }

  public int numMelBins() {
    return features.length;
  }

  /** A fresh per-stream state. */
  public LogMelState newState() {
    return new LogMelState(frameLength, frameShift);
  }

  /** Feeds PCM16 samples; returns the number of frames emitted. */
  public int acceptPcm16(LogMelState st, short[] pcm, int off, int len, FrameConsumer out) {
    check(st, pcm.length, off, len);
    int frames = 0;
    while (len > 0) {
      int take = Math.min(frameLength - st.fill, len);
      float[] buf = st.buffer;
      int f = st.fill;
      for (int i = 0; i < take; i++) {
        buf[f + i] = pcm[off + i] / 32768f;
      }
      st.fill = f + take;
      st.samplesAccepted += take;
      off += take;
      len -= take;
      frames += maybeEmit(st, out);
    }
    return frames;
  }

  /** Feeds float samples (expected in [-1, 1)); returns the number of frames emitted. */
  public int acceptFloat(LogMelState st, float[] pcm, int off, int len, FrameConsumer out) {
    check(st, pcm.length, off, len);
    int frames = 0;
    while (len > 0) {
      int take = Math.min(frameLength - st.fill, len);
      System.arraycopy(pcm, off, st.buffer, st.fill, take);
      st.fill += take;
      st.samplesAccepted += take;
      off += take;
      len -= take;
      frames += maybeEmit(st, out);
    }
    return frames;
  }

  /**
   * Feeds little-endian PCM16 bytes (the payload of a WAV data chunk or an audio Kafka record). A
   * chunk may end in the middle of a sample: the odd byte waits in the state for the next chunk.
   */
  public int acceptPcm16Le(LogMelState st, byte[] bytes, int off, int len, FrameConsumer out) {
    check(st, bytes.length, off, len);
    int frames = 0;
    if (len > 0 && st.hasPendingByte) {
      short s = (short) ((bytes[off] << 8) | (st.pendingByte & 0xFF));
      st.hasPendingByte = false;
      st.pendingByte = 0;
      st.buffer[st.fill++] = s / 32768f;
      st.samplesAccepted++;
      off++;
      len--;
      frames += maybeEmit(st, out);
    }
    while (len >= 2) {
      int take = Math.min(frameLength - st.fill, len >> 1);
      float[] buf = st.buffer;
      int f = st.fill;
      for (int i = 0; i < take; i++) {
        int p = off + 2 * i;
        buf[f + i] = (short) ((bytes[p + 1] << 8) | (bytes[p] & 0xFF)) / 32768f;
      }
      st.fill = f + take;
      st.samplesAccepted += take;
      off += 2 * take;
      len -= 2 * take;
      frames += maybeEmit(st, out);
    }
    if (len == 1) {
      st.hasPendingByte = true;
      st.pendingByte = bytes[off];
    }
    return frames;
  }

  /** Whole-signal convenience (allocates): the frames of {@code pcm} as one stream. */
  public float[][] extract(float[] pcm) {
    List<float[]> frames = new ArrayList<>();
    acceptFloat(newState(), pcm, 0, pcm.length, (i, f) -> frames.add(f.clone()));
    return frames.toArray(new float[0][]);
  }

  /** Whole-signal convenience (allocates): the frames of {@code pcm} as one stream. */
  public float[][] extract(short[] pcm) {
    List<float[]> frames = new ArrayList<>();
    acceptPcm16(newState(), pcm, 0, pcm.length, (i, f) -> frames.add(f.clone()));
    return frames.toArray(new float[0][]);
  }

  private void check(LogMelState st, int arrayLength, int off, int len) {
    if (st.frameLength != frameLength || st.frameShift != frameShift) {
      throw new IllegalArgumentException(
          "state was made for frameLength "
              + st.frameLength
              + " / frameShift "
              + st.frameShift
              + ", this extractor uses "
              + frameLength
              + " / "
              + frameShift);
    }
    if (off < 0 || len < 0 || off > arrayLength - len) {
      throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", array length " + arrayLength);
    }
  }

  private int maybeEmit(LogMelState st, FrameConsumer out) {
    if (st.fill < frameLength) {
      return 0;
    }
    computeFrame(st.buffer, features);
    long index = st.framesEmitted++;
    int keep = frameLength - frameShift;
    System.arraycopy(st.buffer, frameShift, st.buffer, 0, keep);
    st.fill = keep;
    out.accept(index, features);
    return 1;
  }

  /** Features of one frame of {@code frameLength} samples starting at {@code frame[0]}. */
  private void computeFrame(float[] frame, float[] out) {
    double[] x = fftBuf;
    int n = frameLength;
    double mean = 0.0;
    for (int i = 0; i < n; i++) {
      x[i] = frame[i];
      mean += x[i];
    }
    if (config.removeDcOffset()) {
      mean /= n;
      for (int i = 0; i < n; i++) {
        x[i] -= mean;
      }
    }
    double pre = config.preemphasis();
    if (pre != 0.0) {
      for (int i = n - 1; i > 0; i--) {
        x[i] -= pre * x[i - 1];
      }
      x[0] -= pre * x[0];
    }
    for (int i = 0; i < n; i++) {
      x[i] *= window[i];
    }
    java.util.Arrays.fill(x, n, fftSize, 0.0);
    // JTransforms packed real FFT: x[2k] = Re X_k, x[2k+1] = Im X_k for 0 < k < N/2;
    // x[0] = X_0, x[1] = X_{N/2} (both real).
    fft.realForward(x);
    double floor = config.logFloor();
    for (int m = 0; m < out.length; m++) {
      double[] w = melWeights[m];
      int k0 = melStart[m];
      double e = 0.0;
      for (int j = 0; j < w.length; j++) {
        e += w[j] * power(x, k0 + j);
      }
      out[m] = (float) Math.log(Math.max(e, floor));
    }
  }

  private double power(double[] x, int k) {
    if (k == 0) {
      return x[0] * x[0];
    }
    if (k == fftSize / 2) {
      return x[1] * x[1];
    }
    double re = x[2 * k];
    double im = x[2 * k + 1];
    return re * re + im * im;
  }

  /** The analysis window, length {@code n} (symmetric). */
  static double[] window(LogMelConfig.Window type, int n) {
    double[] w = new double[n];
    double a = 2 * Math.PI / (n - 1);
    for (int i = 0; i < n; i++) {
      double hann = 0.5 - 0.5 * Math.cos(a * i);
      w[i] = switch (type) {
        case HANN -> hann;
        case HAMMING -> 0.54 - 0.46 * Math.cos(a * i);
        case POVEY -> Math.pow(hann, 0.85);
        case RECTANGULAR -> 1.0;
      };
    }
    return w;
  }

  static double mel(double hz) {
    return 1127.0 * Math.log(1.0 + hz / 700.0);
  }

  /**
   * Kaldi's triangular filters, {@code [numMelBins][fftSize / 2 + 1]}: equally spaced in mel between
   * {@code mel(lowFreq)} and {@code mel(highFreq)}, triangles linear in mel, the Nyquist bin weight 0.
   */
  static double[][] melBanks(LogMelConfig c) {
    int numBins = c.numMelBins();
    int numFftBins = c.fftSize() / 2;
    double binWidth = c.sampleRate() / (double) c.fftSize();
    double melLow = mel(c.lowFreq());
    double melHigh = mel(c.effectiveHighFreq());
    double delta = (melHigh - melLow) / (numBins + 1);
    double[][] banks = new double[numBins][numFftBins + 1];
    for (int b = 0; b < numBins; b++) {
      double left = melLow + b * delta;
      double center = melLow + (b + 1) * delta;
      double right = melLow + (b + 2) * delta;
      for (int k = 0; k < numFftBins; k++) {
        double m = mel(binWidth * k);
        double up = (m - left) / (center - left);
        double down = (right - m) / (right - center);
        banks[b][k] = Math.max(0.0, Math.min(up, down));
      }
    }
    return banks;
  }
}
