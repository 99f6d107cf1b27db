package io.rnnstream.models.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shared caption path alone (the operator tests cover it end to end): alphabets from labels,
 * read-only peeks, state bytes, chunking. Model: a random LSTM over 40 features.
 */
class CaptionStreamTest {
  static final List<String> LABELS = List.of("<blank>", "<space>", "a", "b", "c");

  static RnnModel model(List<String> labels, Activation head) {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 40, 12).head(labels.size(), head).build();
    return RnnModel.create(spec, Initializers.uniform(spec, 5, 1.0),
        new ModelInfo("captions", 1, "", "", null, null, labels), "test");
  }

  static short[] noise(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      s[i] = (short) (r.nextGaussian() * (i / 4000 % 2 == 0 ? 8000 : 30));
    }
    return s;
  }

  @Test
  void shouldReadTheAlphabetFromTheLabels() {
    CtcAlphabet a = CaptionStream.alphabetOf(model(LABELS, Activation.IDENTITY));
    assertThat(a.blank()).isZero();
    assertThat(a.labels()).isEqualTo(" abc");
    CtcAlphabet last = CaptionStream.alphabetOf(
        model(List.of("a", "|", "b", "<BLANK>"), Activation.SOFTMAX));
    assertThat(last.blank()).isEqualTo(3);
    assertThat(last.labels()).isEqualTo("a b");
    assertThatThrownBy(() -> CaptionStream.alphabetOf(model(List.of("a", "b", "c", "d", "e"),
        Activation.IDENTITY))).hasMessageContaining("no blank label");
    assertThatThrownBy(() -> CaptionStream.alphabetOf(model(List.of("<blank>", "ab", "c", "d",
        "e"), Activation.IDENTITY))).hasMessageContaining("label 1").hasMessageContaining("\"ab\"");
    assertThatThrownBy(() -> CaptionStream.create(model(LABELS, Activation.SIGMOID),
        CaptionConfig.defaults())).hasMessageContaining("SIGMOID head");
  }

  @Test
  void shouldGiveTheSameCaptionsForSoftmaxAndLogitHeadsAndAnyChunking() {
    short[] pcm = noise(48_000, 3);
    List<CaptionUpdate> whole = run(model(LABELS, Activation.IDENTITY), pcm, pcm.length);
    assertThat(whole).isNotEmpty();
    assertThat(run(model(LABELS, Activation.IDENTITY), pcm, 777)).isEqualTo(whole);
    // softmax head: the same decision up to rounding of log(softmax) vs log-softmax
    List<CaptionUpdate> soft = run(model(LABELS, Activation.SOFTMAX), pcm, 1600);
    assertThat(soft.get(soft.size() - 1).text()).isEqualTo(whole.get(whole.size() - 1).text());
  }

  static List<CaptionUpdate> run(RnnModel m, short[] pcm, int chunk) {
    CaptionStream c = CaptionStream.create(m, CaptionConfig.builder().beam(4).build());
    CaptionStream.State s = c.newState();
    List<CaptionUpdate> out = new ArrayList<>();
    for (int at = 0; at < pcm.length; at += chunk) {
      c.acceptPcm16(s, pcm, at, Math.min(chunk, pcm.length - at), out::add);
    }
    c.endOfStream(s, out::add);
    return out;
  }

  /**
   * A handoff inside one call (segment limit 50 frames, 1.2 s of audio: boundaries at frames 50
   * and 100) equals cutting the audio at the boundary by hand: frames [0, 50) on the first
   * stream, then the second stream from a fresh segment. It is asked at every boundary, and the
   * call returns the stream that captioned the last frame.
   */
  @Test
  void shouldHandTheFramesAfterASegmentBoundaryToTheStreamTheHandoffChooses() {
    CaptionConfig config = CaptionConfig.builder().beam(4).maxSegmentFrames(50).build();
    CaptionStream first = CaptionStream.create(model(LABELS, Activation.IDENTITY), config);
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 40, 12)
        .head(LABELS.size(), Activation.IDENTITY).build();
    CaptionStream second = CaptionStream.create(RnnModel.create(spec,
        Initializers.uniform(spec, 9, 1.0), new ModelInfo("captions", 2, "", "", null, null,
            LABELS), "test"), config);
    short[] pcm = noise(19_200, 4);
    byte[] le = new byte[2 * pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      le[2 * i] = (byte) pcm[i];
      le[2 * i + 1] = (byte) (pcm[i] >> 8);
    }

    CaptionStream.State s = first.newState();
    List<CaptionUpdate> handedOff = new ArrayList<>();
    List<Long> askedAt = new ArrayList<>();
    CaptionStream last = first.acceptPcm16Le(s, le, 0, le.length, handedOff::add,
        (state, closing) -> {
          askedAt.add(state.frames());
          return second;
        });
    assertThat(last).isSameAs(second);
    assertThat(askedAt).containsExactly(50L, 100L);

    float[][] frames = new io.rnnstream.models.audio.LogMelExtractor().extract(pcm);
    CaptionStream.State r = first.newState();
    List<CaptionUpdate> byHand = new ArrayList<>();
    first.acceptFrames(r, java.util.Arrays.copyOfRange(frames, 0, 50), byHand::add);
    second.startSegmentOnThisModel(r);
    second.acceptFrames(r, java.util.Arrays.copyOfRange(frames, 50, frames.length), byHand::add);
    assertThat(handedOff).isNotEmpty().isEqualTo(byHand);
    assertThat(second.peek(s)).isEqualTo(second.peek(r));
  }

  @Test
  void shouldPeekWithoutChangingAnythingAndRestoreFromBytes() {
    RnnModel m = model(LABELS, Activation.IDENTITY);
    CaptionStream c = CaptionStream.create(m, CaptionConfig.defaults());
    short[] pcm = noise(32_000, 4);
    CaptionStream.State s = c.newState();
    c.acceptPcm16(s, pcm, 0, 12_345, u -> {});
    byte[] before = s.toBytes();
    CaptionUpdate peek = c.peek(s);
    assertThat(s.toBytes()).isEqualTo(before);
    assertThat(peek.isFinal()).isFalse();

    CaptionStream.State restored = CaptionStream.State.fromBytes(before);
    assertThat(restored.toBytes()).isEqualTo(before);
    List<CaptionUpdate> a = new ArrayList<>();
    List<CaptionUpdate> b = new ArrayList<>();
    c.acceptPcm16(s, pcm, 12_345, pcm.length - 12_345, a::add);
    c.endOfStream(s, a::add);
    CaptionStream other = CaptionStream.create(m, CaptionConfig.defaults()); // another worker
    other.acceptPcm16(restored, pcm, 12_345, pcm.length - 12_345, b::add);
    other.endOfStream(restored, b::add);
    assertThat(b).isEqualTo(a);

    byte[] bad = before.clone();
    bad[0] = 2;
    assertThatThrownBy(() -> CaptionStream.State.fromBytes(bad))
        .hasMessageContaining("version 2 is not supported");
    assertThatThrownBy(() -> CaptionStream.State.fromBytes(java.util.Arrays.copyOf(before, 40)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRejectBadFramesBeforeChangingTheState() {
    CaptionStream c = CaptionStream.create(model(LABELS, Activation.IDENTITY),
        CaptionConfig.defaults());
    CaptionStream.State s = c.newState();
    byte[] before = s.toBytes();
    float[] inf = new float[40];
    inf[7] = Float.POSITIVE_INFINITY;
    assertThatThrownBy(() -> c.acceptFrames(s, new float[][] {new float[40], inf}, u -> {}))
        .hasMessageContaining("frame 1 value 7 is Infinity");
    assertThatThrownBy(() -> c.acceptFrames(s, new float[][] {new float[41]}, u -> {}))
        .hasMessageContaining("frame 0 has 41 values, the model expects 40");
    assertThat(s.toBytes()).isEqualTo(before);
  }
}
