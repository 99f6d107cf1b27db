package io.rnnstream.models.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LogMelExtractorTest {

  private static short[] example(String name) throws Exception {
    try (InputStream in = LogMelExtractorTest.class.getResourceAsStream(name)) {
      return WavReader.read(in);
    }
  }

  /** Frames with their indices, copied. */
  private static final class Collect implements FrameConsumer {
    final List<float[]> frames = new ArrayList<>();
    final List<Long> indices = new ArrayList<>();

    @Override
    public void accept(long frameIndex, float[] features) {
      indices.add(frameIndex);
      frames.add(features.clone());
    }
  }

  private static void assertBitExact(List<float[]> a, List<float[]> b) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      float[] x = a.get(i);
      float[] y = b.get(i);
      assertThat(x.length).isEqualTo(y.length);
      for (int j = 0; j < x.length; j++) {
        if (Float.floatToRawIntBits(x[j]) != Float.floatToRawIntBits(y[j])) {
          throw new AssertionError("frame " + i + " bin " + j + ": " + x[j] + " != " + y[j]);
        }
      }
    }
  }

  // ---- numerics -------------------------------------------------------------------------------

  /**
   * torchaudio.compliance.kaldi.fbank references, made by make_logmel_fixture.py. Tolerance 1e-4 on
   * the log: torchaudio builds its mel filters in float32 even for float64 input (weight errors up to
   * 6e-6), which moves a weak band by up to 9e-5; a float64 numpy port of the same definition agrees
   * with ours to 1e-6.
   */
  @Test
  void shouldMatchTorchaudioKaldiFbank() throws Exception {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("logmel_fixture.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    assertThat(fixture.get("cases")).hasSize(3);
    for (JsonNode c : fixture.get("cases")) {
      JsonNode o = c.get("options");
      LogMelConfig.Builder b = LogMelConfig.builder().numMelBins(o.get("num_mel_bins").asInt());
      b.window(switch (o.get("window_type").asText()) {
        case "hanning" -> LogMelConfig.Window.HANN;
        case "hamming" -> LogMelConfig.Window.HAMMING;
        case "povey" -> LogMelConfig.Window.POVEY;
        default -> throw new IllegalStateException(o.toString());
      });
      if (o.has("remove_dc_offset")) {
        b.removeDcOffset(o.get("remove_dc_offset").asBoolean());
      }
      if (o.has("preemphasis_coefficient")) {
        b.preemphasis(o.get("preemphasis_coefficient").asDouble());
      }
      if (o.has("low_freq")) {
        b.lowFreq(o.get("low_freq").asDouble());
      }
      if (o.has("high_freq")) {
        b.highFreq(o.get("high_freq").asDouble());
      }
      short[] pcm = example(c.get("wav").asText());
      assertThat(pcm).hasSize(c.get("samples").asInt());
      float[][] got = new LogMelExtractor(b.build()).extract(pcm);
      JsonNode want = c.get("frames");
      assertThat(got.length).as(c.get("name").asText()).isEqualTo(want.size());
      double maxErr = 0;
      for (int t = 0; t < got.length; t++) {
        for (int m = 0; m < got[t].length; m++) {
          maxErr = Math.max(maxErr, Math.abs(got[t][m] - want.get(t).get(m).asDouble()));
        }
      }
      assertThat(maxErr).as("max |ours - torchaudio| for %s", c.get("name").asText()).isLessThan(1e-4);
    }
  }

  /** Naive double-precision DFT and an independent filterbank, straight from the definition. */
  @Test
  void shouldMatchADirectDftReference() {
    LogMelConfig cfg = LogMelConfig.defaults();
    Random rnd = new Random(42);
    float[] x = new float[16000 / 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0) + 0.05 * rnd.nextGaussian() + 0.01);
    }
    float[][] got = new LogMelExtractor(cfg).extract(x);
    int frames = (int) cfg.framesFor(x.length);
    assertThat(got).hasNumberOfRows(frames);
    for (int t = 0; t < frames; t += 7) {
      double[] ref = referenceFrame(x, t * 160, cfg);
      for (int m = 0; m < 40; m++) {
        assertThat((double) got[t][m]).as("frame %d bin %d", t, m).isCloseTo(ref[m], within(1e-5));
      }
    }
  }

  private static double[] referenceFrame(float[] x, int start, LogMelConfig cfg) {
    int n = 400;
    double[] s = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      s[i] = x[start + i];
      mean += s[i] / n;
    }
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      double cur = s[i] - mean;
      double prev = (i == 0 ? s[0] : s[i - 1]) - mean;
      double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
      d[i] = (cur - 0.97 * prev) * hann;
    }
    double[] power = new double[257];
    for (int k = 0; k <= 256; k++) {
      double re = 0;
      double im = 0;
      for (int i = 0; i < n; i++) {
        re += d[i] * Math.cos(2 * Math.PI * k * i / 512);
        im -= d[i] * Math.sin(2 * Math.PI * k * i / 512);
      }
      power[k] = re * re + im * im;
    }
    double lo = 1127 * Math.log(1 + 20 / 700.0);
    double hi = 1127 * Math.log(1 + 8000 / 700.0);
    double step = (hi - lo) / 41;
    double[] out = new double[40];
    for (int m = 0; m < 40; m++) {
      double l = lo + m * step;
      double c = l + step;
      double r = c + step;
      double e = 0;
      for (int k = 0; k < 256; k++) { // Kaldi leaves the Nyquist bin out
        double mk = 1127 * Math.log(1 + k * 16000.0 / 512 / 700.0);
        double w = mk <= l || mk >= r ? 0 : mk <= c ? (mk - l) / (c - l) : (r - mk) / (r - c);
        e += w * power[k];
      }
      out[m] = Math.log(Math.max(e, LogMelConfig.FLOAT_EPSILON));
    }
    return out;
  }

  @Test
  void shouldPutAToneInTheBandAroundItsFrequency() {
    float[] x = new float[4000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 16000.0));
    }
    float[][] f = new LogMelExtractor().extract(x);
    double[][] banks = LogMelExtractor.melBanks(LogMelConfig.defaults());
    int k1000 = 32; // 1000 Hz / (16000 / 512)
    for (float[] frame : f) {
      int best = 0;
      for (int m = 1; m < frame.length; m++) {
        if (frame[m] > frame[best]) {
          best = m;
        }
      }
      assertThat(banks[best][k1000]).as("filter %d covers 1 kHz", best).isGreaterThan(0.5);
    }
  }

  @Test
  void shouldFloorSilence() {
    float[][] f = new LogMelExtractor().extract(new float[800]);
    assertThat(f).hasNumberOfRows(3);
    for (float v : f[0]) {
      assertThat((double) v).isCloseTo(Math.log(LogMelConfig.FLOAT_EPSILON), within(1e-6));
    }
  }

  // ---- streaming ------------------------------------------------------------------------------

  @Test
  void shouldEmitFramesOnlyWhenComplete() {
    LogMelExtractor ex = new LogMelExtractor();
    LogMelState st = ex.newState();
    Collect c = new Collect();
    assertThat(ex.acceptFloat(st, new float[399], 0, 399, c)).isZero();
    assertThat(ex.acceptFloat(st, new float[1], 0, 1, c)).isEqualTo(1);
    assertThat(st.bufferedSamples()).isEqualTo(240);
    assertThat(ex.acceptFloat(st, new float[159], 0, 159, c)).isZero();
    assertThat(ex.acceptFloat(st, new float[1 + 160 * 3], 0, 1 + 160 * 3, c)).isEqualTo(4);
    assertThat(c.indices).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(st.samplesAccepted()).isEqualTo(400 + 160 * 4);
    assertThat(LogMelConfig.defaults().framesFor(st.samplesAccepted())).isEqualTo(5);
  }

  /** Any chunking of the same PCM gives the same frames, bit for bit; checkpoints round-trip mid-stream. */
  @Test
  void shouldNotDependOnChunkingOrCheckpoints() throws Exception {
    short[] pcm = example("four_two_seven.wav");
    LogMelExtractor ex = new LogMelExtractor();
    Collect whole = new Collect();
    ex.acceptPcm16(ex.newState(), pcm, 0, pcm.length, whole);
    assertThat(whole.frames).hasSize(117);

    byte[] le = new byte[pcm.length * 2];
    float[] fl = new float[pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      le[2 * i] = (byte) pcm[i];
      le[2 * i + 1] = (byte) (pcm[i] >> 8);
      fl[i] = pcm[i] / 32768f;
    }
    Random rnd = new Random(7);
    for (int trial = 0; trial < 40; trial++) {
      int mode = trial % 3;
      int total = mode == 2 ? le.length : pcm.length;
      int maxChunk = new int[] {1, 3, 50, 161, 400, 1000, 5000}[trial % 7];
      LogMelState st = ex.newState();
      Collect c = new Collect();
      int off = 0;
      while (off < total) {
        int len = Math.min(total - off, 1 + rnd.nextInt(maxChunk));
        if (rnd.nextInt(10) == 0) { // checkpoint and restore into a fresh state object
          st = LogMelState.fromBytes(st.toBytes());
        }
        switch (mode) {
          case 0 -> ex.acceptPcm16(st, pcm, off, len, c);
          case 1 -> ex.acceptFloat(st, fl, off, len, c);
          default -> ex.acceptPcm16Le(st, le, off, len, c);
        }
        off += len;
      }
      assertBitExact(c.frames, whole.frames);
      assertThat(c.indices).isEqualTo(whole.indices);
      assertThat(st.samplesAccepted()).isEqualTo(pcm.length);
      assertThat(st.hasPendingByte()).isFalse();
    }
  }

  @Test
  void shouldCarryAnOddByteAcrossChunks() {
    LogMelExtractor ex = new LogMelExtractor();
    LogMelState st = ex.newState();
    short sample = (short) 0xABCD;
    ex.acceptPcm16Le(st, new byte[] {(byte) 0xCD}, 0, 1, (i, f) -> {});
    assertThat(st.hasPendingByte()).isTrue();
    assertThat(st.samplesAccepted()).isZero();
    LogMelState restored = LogMelState.fromBytes(st.toBytes());
    assertThat(restored).isEqualTo(st);
    ex.acceptPcm16Le(restored, new byte[] {(byte) 0xAB}, 0, 1, (i, f) -> {});
    assertThat(restored.hasPendingByte()).isFalse();
    assertThat(restored.samplesAccepted()).isEqualTo(1);
    assertThat(restored.buffer[0]).isEqualTo(sample / 32768f);
  }

  @Test
  void shouldSerializeStateCompactlyAndRejectOtherVersions() {
    LogMelExtractor ex = new LogMelExtractor();
    LogMelState st = ex.newState();
    ex.acceptFloat(st, new float[1234], 0, 1234, (i, f) -> {});
    byte[] bytes = st.toBytes();
    assertThat(bytes).hasSize(1 + 4 + 4 + 8 + 8 + 1 + 1 + 4 + 4 * st.bufferedSamples());
    assertThat(LogMelState.fromBytes(bytes)).isEqualTo(st);
    assertThat(LogMelState.fromBytes(bytes).framesEmitted()).isEqualTo(6);
    bytes[0] = 2;
    assertThatThrownBy(() -> LogMelState.fromBytes(bytes)).hasMessageContaining("format version 2");
    LogMelState other = new LogMelExtractor(LogMelConfig.builder().frameShift(100).build()).newState();
    assertThatThrownBy(() -> ex.acceptFloat(other, new float[1], 0, 1, (i, f) -> {}))
        .hasMessageContaining("frameShift 100");
  }

  @Test
  void shouldNotAllocatePerFrame() throws Exception {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean tmx = (com.sun.management.ThreadMXBean) mx;
    Assumptions.assumeTrue(tmx.isThreadAllocatedMemorySupported() && tmx.isThreadAllocatedMemoryEnabled());
    short[] pcm = example("four_two_seven.wav");
    byte[] le = new byte[pcm.length * 2];
    LogMelExtractor ex = new LogMelExtractor();
    LogMelState st = ex.newState();
    long[] sink = new long[1];
    FrameConsumer consumer = (i, f) -> sink[0] += Float.floatToRawIntBits(f[0]);
    for (int warm = 0; warm < 50; warm++) {
      ex.acceptPcm16(st, pcm, 0, pcm.length, consumer);
      ex.acceptPcm16Le(st, le, 0, 333, consumer);
    }
    long tid = Thread.currentThread().getId();
    long before = tmx.getThreadAllocatedBytes(tid);
    int frames = 0;
    for (int rep = 0; rep < 20; rep++) {
      frames += ex.acceptPcm16(st, pcm, 0, pcm.length, consumer);
      frames += ex.acceptPcm16Le(st, le, 0, 333, consumer);
    }
    long allocated = tmx.getThreadAllocatedBytes(tid) - before;
    assertThat(frames).isGreaterThan(2000);
    assertThat(allocated).as("bytes allocated for %d frames", frames).isLessThan(1024);
  }

  @Test
  void shouldNameTheBadFieldInConfigErrors() {
    assertThatThrownBy(() -> LogMelConfig.builder().fftSize(300).build()).hasMessageContaining("fftSize");
    assertThatThrownBy(() -> LogMelConfig.builder().frameShift(401).build()).hasMessageContaining("frameShift");
    assertThatThrownBy(() -> LogMelConfig.builder().highFreq(9000).build()).hasMessageContaining("highFreq");
    assertThatThrownBy(() -> LogMelConfig.builder().logFloor(0).build()).hasMessageContaining("logFloor");
  }
}
