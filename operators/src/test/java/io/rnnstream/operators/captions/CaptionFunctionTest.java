package io.rnnstream.operators.captions;

import static io.rnnstream.operators.captions.CaptionTestModels.bursts;
import static io.rnnstream.operators.captions.CaptionTestModels.chunks;
import static io.rnnstream.operators.captions.CaptionTestModels.le;
import static io.rnnstream.operators.captions.CaptionTestModels.model;
import static io.rnnstream.operators.captions.CaptionTestModels.offline;
import static io.rnnstream.operators.captions.CaptionTestModels.randomChunks;
import static io.rnnstream.operators.testutils.TestModels.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.ctc.CtcResult;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The caption operator in a keyed-broadcast harness. */
class CaptionFunctionTest {
  static final RnnModel V1 = model("captions", 1, 3);
  static final short[] AUDIO = bursts(6.0, 2.0, 1); // three 1 s bursts, pauses of 1 s
  static final byte[] PCM = le(AUDIO);

  static Captioning.Builder config() {
    return Captioning.builder().model("captions");
  }

  /** A caption without the event that happened to carry it (which depends on the chunking). */
  static String view(Caption c) {
    return c.segment + "/" + c.revision + (c.isFinal ? "/final" : "") + " \"" + c.stable + "|"
        + c.unstable + "\" " + Arrays.toString(c.words) + " " + c.startMs + "-" + c.endMs + " "
        + c.modelName + " v" + c.modelVersion;
  }

  static List<String> views(List<Caption> cs) {
    return cs.stream().map(CaptionFunctionTest::view).toList();
  }

  static List<Caption> run(Captioning cfg, List<byte[]> chunks) throws Exception {
    try (CaptionHarness h = CaptionHarness.open(cfg)) {
      h.model(update(V1));
      h.pcm("s", 0, chunks, true);
      assertThat(h.deadLetters()).isEmpty();
      return h.captions();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "beam"})
  void shouldEqualAnOfflineRunWhateverTheChunking(String decoder) throws Exception {
    Captioning.Builder b = config().endpointBlankFrames(0).maxSegmentFrames(100_000);
    Captioning cfg = (decoder.equals("greedy") ? b.greedy() : b.beam(8)).build();
    List<String> whole = views(run(cfg, List.of(PCM)));
    assertThat(views(run(cfg, chunks(PCM, 3200)))).isEqualTo(whole); // 100 ms
    assertThat(views(run(cfg, chunks(PCM, 1, 3, 7, 4001)))).isEqualTo(whole); // odd sizes
    assertThat(views(run(cfg, randomChunks(PCM, 5000, 11)))).isEqualTo(whole);

    List<Caption> captions = run(cfg, chunks(PCM, 3200));
    Caption last = captions.get(captions.size() - 1);
    CtcResult ref = offline(V1, AUDIO, 0, Integer.MAX_VALUE, decoder.equals("greedy"), 8);
    assertThat(ref.text()).isNotEmpty();
    assertThat(last.isFinal).isTrue();
    assertThat(last.stable).isEqualTo(ref.text());
    assertThat(last.unstable).isEmpty();
    assertThat(captions).filteredOn(c -> c.isFinal).hasSize(1);
    assertThat(captions.size()).as("partials were emitted").isGreaterThan(5);
    // word timestamps: label frames x 10 ms
    String[] words = ref.text().trim().split("\\s+");
    assertThat(Arrays.stream(last.words).map(w -> w.text).toList()).containsExactly(words);
    long[] frames = ref.frames();
    assertThat(last.words[0].startMs).isEqualTo(frames[ref.text().indexOf(words[0])] * 10);
    assertThat(last.endMs).isEqualTo(CaptionTestModels.frames(AUDIO) * 10L);
  }

  @Test
  void shouldEndpointThenStartANewSegmentOnAFreshState() throws Exception {
    List<Caption> captions = run(config().build(), chunks(PCM, 3200));
    List<Caption> finals = captions.stream().filter(c -> c.isFinal).toList();
    assertThat(finals).extracting(c -> c.segment).containsExactly(0L, 1L, 2L);
    // 1 s of sound, then 0.6 s of blanks end the utterance
    assertThat(finals).extracting(c -> c.endMs).containsExactly(1600L, 3600L, 5600L);
    assertThat(finals).extracting(c -> c.startMs).containsExactly(0L, 1600L, 3600L);
    // each segment equals an offline run over its frames from the zero LSTM state
    for (Caption f : finals) {
      CtcResult ref = offline(V1, AUDIO, (int) (f.startMs / 10), (int) (f.endMs / 10), false, 8);
      assertThat(f.stable).as("segment %d", f.segment).isEqualTo(ref.text()).isNotEmpty();
    }
    // the next segment's captions start where the previous one ended
    for (Caption c : captions) {
      assertThat(c.startMs).isEqualTo(finals.get((int) c.segment).startMs);
    }
  }

  @Test
  void shouldOnlyGrowTheStablePartWithinASegment() throws Exception {
    List<Caption> captions = run(config().beam(4).commitAfterFrames(30).build(),
        randomChunks(PCM, 4000, 5));
    var bySegment = captions.stream().collect(Collectors.groupingBy(c -> c.segment));
    assertThat(bySegment).hasSize(3);
    boolean sawUnstable = false;
    for (List<Caption> seg : bySegment.values()) {
      Caption fin = seg.get(seg.size() - 1);
      assertThat(fin.isFinal).isTrue();
      assertThat(seg.subList(0, seg.size() - 1)).noneMatch(c -> c.isFinal);
      for (int i = 0; i < seg.size(); i++) {
        Caption c = seg.get(i);
        assertThat(c.revision).isEqualTo(i);
        assertThat(fin.stable).startsWith(c.stable);
        if (i > 0) {
          assertThat(c.stable).startsWith(seg.get(i - 1).stable);
        }
        sawUnstable |= !c.unstable.isEmpty();
      }
    }
    assertThat(sawUnstable).as("beam search had an unstable tail at some point").isTrue();
  }

  @Test
  void shouldContinueIdenticallyAfterSnapshotAndRestore() throws Exception {
    Captioning cfg = config().build();
    List<byte[]> chunks = chunks(PCM, 3200);
    List<String> uninterrupted = views(run(cfg, chunks));
    for (int cut : new int[] {7, 33}) { // mid-utterance, mid-pause
      List<Caption> got = new ArrayList<>();
      OperatorSubtaskState snap;
      try (CaptionHarness h = CaptionHarness.open(cfg)) {
        h.model(update(V1));
        h.pcm("s", 0, chunks.subList(0, cut), false);
        snap = h.snapshot(1);
        h.pcm("s", cut, chunks.subList(cut, cut + 3), false); // lost with the failed instance
        got.addAll(h.captions());
      }
      int before = (int) got.stream().filter(c -> c.seq < cut).count();
      got = new ArrayList<>(got.subList(0, before));
      try (CaptionHarness h = CaptionHarness.restore(cfg, snap)) {
        h.pcm("s", cut, chunks.subList(cut, chunks.size()), true);
        assertThat(h.metrics().duplicates.getCount()).isZero();
        got.addAll(h.captions());
      }
      assertThat(views(got)).as("cut at chunk %d", cut).isEqualTo(uninterrupted);
    }
  }

  @Test
  void shouldDropDuplicatesAndCountThem() throws Exception {
    List<byte[]> chunks = chunks(PCM, 3200);
    List<String> clean = views(run(config().build(), chunks));
    try (CaptionHarness h = CaptionHarness.open(config().build())) {
      h.model(update(V1));
      for (int i = 0; i < chunks.size(); i++) {
        h.event(AudioEvent.pcm("s", i, chunks.get(i)));
        if (i % 10 == 5) {
          h.event(AudioEvent.pcm("s", i, chunks.get(i))); // redelivered
          h.event(AudioEvent.pcm("s", i - 3, chunks.get(i - 3))); // late
        }
      }
      h.event(AudioEvent.end("s", chunks.size()));
      assertThat(views(h.captions())).isEqualTo(clean);
      assertThat(h.metrics().duplicates.getCount()).isEqualTo(2L * (chunks.size() / 10));
    }
  }

  @Test
  void shouldDeadLetterMalformedAudioAndLeaveTheStreamAsItWas() throws Exception {
    List<byte[]> chunks = chunks(PCM, 3199); // odd sizes: not malformed
    try (CaptionHarness h = CaptionHarness.open(config().maxChunkBytes(8000).build())) {
      h.model(update(V1));
      long seq = 0;
      List<AudioEvent> bad = new ArrayList<>();
      bad.add(AudioEvent.frames("s", 0, new float[][] {new float[39]}));
      float[] nan = new float[40];
      nan[3] = Float.NaN;
      bad.add(AudioEvent.frames("s", 0, new float[][] {new float[40], nan}));
      bad.add(AudioEvent.pcm("s", 0, new byte[8002]));
      AudioEvent both = AudioEvent.pcm("s", 0, new byte[2]);
      both.frames = new float[][] {new float[40]};
      bad.add(both);
      bad.add(new AudioEvent());
      bad.get(bad.size() - 1).stream = "s";
      List<Long> badSeqs = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        if (i % 8 == 3 && !bad.isEmpty()) {
          AudioEvent b = bad.remove(0);
          b.seq = seq++;
          b.source = "audio/0/" + b.seq;
          badSeqs.add(b.seq);
          h.event(b);
        }
        h.event(AudioEvent.pcm("s", seq++, chunks.get(i)));
      }
      h.event(AudioEvent.end("s", seq));
      List<DeadLetter> dead = h.deadLetters();
      assertThat(dead).hasSize(5);
      assertThat(dead).extracting(d -> d.reason).satisfiesExactly(
          r -> assertThat(r).contains("frame 0 has 39 values, the model expects 40"),
          r -> assertThat(r).contains("frame 1 value 3 is NaN"),
          r -> assertThat(r).contains("oversize audio chunk: 8002 bytes"),
          r -> assertThat(r).contains("both pcm and frames"),
          r -> assertThat(r).contains("no audio"));
      assertThat(dead).allSatisfy(d -> {
        assertThat(d.key).isEqualTo("s");
        assertThat(d.kind).isEqualTo("event");
        assertThat(d.source).startsWith("audio/0/");
      });
      assertThat(h.metrics().deadLetters.getCount()).isEqualTo(5);
      assertThat(h.metrics().gapsSkipped.getCount()).isZero();
      assertThat(views(h.captions())).isEqualTo(views(run(config().build(), chunks)));
    }
  }

  @Test
  void shouldAcceptFeatureFramesLikeTheirPcm() throws Exception {
    float[][] features = new LogMelExtractor().extract(AUDIO);
    try (CaptionHarness h = CaptionHarness.open(config().build())) {
      h.model(update(V1));
      int seq = 0;
      for (int t = 0; t < features.length; t += 7) {
        h.event(AudioEvent.frames("s", seq++,
            Arrays.copyOfRange(features, t, Math.min(features.length, t + 7))));
      }
      h.event(AudioEvent.end("s", seq));
      assertThat(views(h.captions())).isEqualTo(views(run(config().build(), List.of(PCM))));
    }
  }

  @Test
  void shouldHoldAudioUntilTheModelArrives() throws Exception {
    List<byte[]> chunks = chunks(PCM, 3200);
    try (CaptionHarness h = CaptionHarness.open(config().build())) {
      h.pcm("s", 0, chunks.subList(0, 5), false);
      assertThat(h.captions()).isEmpty();
      assertThat(h.metrics().buffered()).isEqualTo(5);
      h.model(update(model("other", 1, 9))); // another pipeline's model: ignored
      h.model(update(V1));
      h.pcm("s", 5, chunks.subList(5, chunks.size()), true);
      assertThat(h.metrics().buffered()).isZero();
      assertThat(h.deadLetters()).isEmpty();
      assertThat(views(h.captions())).isEqualTo(views(run(config().build(), chunks)));
    }
  }

  @Test
  void shouldRejectSnapshotsThatCannotCaption() throws Exception {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 40, 8).head(7, Activation.SOFTMAX).build();
    RnnModel noLabels = RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
        ModelInfo.named("captions", 2), "test");
    ModelSpec sig = ModelSpec.builder(CellType.LSTM, 40, 8).head(7, Activation.SIGMOID).build();
    RnnModel sigmoid = RnnModel.create(sig, Initializers.uniform(sig, 1, 1.0),
        new ModelInfo("captions", 3, "", "", null, null, CaptionTestModels.LABELS), "test");
    byte[] corrupt = SnapshotFormat.toBytes(model("captions", 4, 4));
    corrupt[corrupt.length / 2] ^= 1;
    try (CaptionHarness h = CaptionHarness.open(config().build())) {
      h.model(update(V1));
      h.model(update(noLabels));
      h.model(update(sigmoid));
      h.model(ModelUpdate.of("captions", 4, corrupt));
      assertThat(h.deadLetters()).extracting(d -> d.reason).satisfiesExactly(
          r -> assertThat(r).contains("not a caption model").contains("has no labels"),
          r -> assertThat(r).contains("not a caption model").contains("SIGMOID head"),
          r -> assertThat(r).contains("checksum"));
      h.pcm("s", 0, chunks(PCM, 3200), true);
      assertThat(h.captions()).allSatisfy(c -> assertThat(c.modelVersion).isEqualTo(1));
      assertThat(h.captions()).isNotEmpty();
    }
  }

  @Test
  void shouldSwapVersionsBetweenUtterances() throws Exception {
    RnnModel v2 = model("captions", 2, 8);
    List<byte[]> chunks = chunks(PCM, 3200);
    try (CaptionHarness h = CaptionHarness.open(config().build())) {
      h.model(update(V1));
      h.pcm("s", 0, chunks.subList(0, 5), false); // inside the first burst
      h.model(update(v2));
      h.pcm("s", 5, chunks.subList(5, chunks.size()), true);
      List<Caption> finals = h.captions().stream().filter(c -> c.isFinal).toList();
      assertThat(finals).extracting(c -> c.modelVersion).containsExactly(1L, 2L, 2L);
      // the first utterance finished on v1 with exactly the v1 text
      assertThat(finals.get(0).stable).isEqualTo(offline(V1, AUDIO, 0, 160, false, 8).text());
      assertThat(h.captions().stream().filter(c -> c.segment == 0))
          .allSatisfy(c -> assertThat(c.modelVersion).isEqualTo(1));
      assertThat(h.metrics().keysMigrated.getCount()).isEqualTo(1);
    }
  }

  /**
   * A continuous stream cut into 1 s chunks that each hold an endpoint and the start of the next
   * utterance (endpoints at 1.6 s and 3.6 s, chunks from 0.5 s on a 1 s grid): no event ever
   * finds its segment empty, so the swap must happen at the endpoint inside the event. The
   * frames after it run on v2 from the zero state, exactly as v2 alone would caption them.
   */
  @Test
  void shouldSwapAtTheEndpointInsideAnEvent() throws Exception {
    RnnModel v2 = model("captions", 2, 8);
    List<byte[]> chunks = new ArrayList<>();
    chunks.add(Arrays.copyOfRange(PCM, 0, 16_000)); // 0.5 s
    chunks.addAll(chunks(Arrays.copyOfRange(PCM, 16_000, PCM.length), 32_000)); // 1 s each
    try (CaptionHarness h = CaptionHarness.open(config().build())) {
      h.model(update(V1));
      h.pcm("s", 0, chunks.subList(0, 1), false); // inside the first burst
      h.model(update(v2));
      h.pcm("s", 1, chunks.subList(1, chunks.size()), true);
      List<Caption> finals = h.captions().stream().filter(c -> c.isFinal).toList();
      assertThat(finals).extracting(c -> c.modelVersion).containsExactly(1L, 2L, 2L);
      assertThat(finals).extracting(c -> c.endMs).containsExactly(1600L, 3600L, 5600L);
      assertThat(finals.get(0).stable).isEqualTo(offline(V1, AUDIO, 0, 160, false, 8).text());
      assertThat(finals.get(1).stable).isEqualTo(offline(v2, AUDIO, 160, 360, false, 8).text())
          .isNotEmpty();
      assertThat(h.captions()).allSatisfy(c ->
          assertThat(c.modelVersion).as(view(c)).isEqualTo(c.segment == 0 ? 1L : 2L));
      assertThat(h.metrics().keysMigrated.getCount()).isEqualTo(1);
    }
  }

  @Test
  void shouldKeepStreamsApart() throws Exception {
    List<byte[]> a = chunks(PCM, 3200);
    byte[] other = le(bursts(4.0, 2.0, 2));
    List<byte[]> b = chunks(other, 2000);
    try (CaptionHarness h = CaptionHarness.open(config().build())) {
      h.model(update(V1));
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        if (i < a.size()) {
          h.event(AudioEvent.pcm("a", i, a.get(i)));
        }
        if (i < b.size()) {
          h.event(AudioEvent.pcm("b", i, b.get(i)));
        }
      }
      h.event(AudioEvent.end("a", a.size()));
      h.event(AudioEvent.end("b", b.size()));
      assertThat(h.streamsWithState()).isEqualTo(2);
      assertThat(views(h.captions("a"))).isEqualTo(views(run(config().build(), a)));
      List<Caption> alone;
      try (CaptionHarness h2 = CaptionHarness.open(config().build())) {
        h2.model(update(V1));
        h2.pcm("b", 0, b, true);
        alone = h2.captions();
      }
      assertThat(views(h.captions("b"))).isEqualTo(views(alone));
    }
  }

  @Test
  void shouldExpireIdleStreams() throws Exception {
    try (CaptionHarness h = CaptionHarness.open(
        config().idleTimeout(java.time.Duration.ofSeconds(2)).build())) {
      h.model(update(V1));
      h.h.setProcessingTime(1_000);
      h.pcm("s", 0, chunks(PCM, 3200).subList(0, 3), false);
      assertThat(h.streamsWithState()).isEqualTo(1);
      h.h.setProcessingTime(2_500);
      assertThat(h.streamsWithState()).isEqualTo(1);
      h.h.setProcessingTime(4_000);
      assertThat(h.streamsWithState()).isZero();
      assertThat(h.metrics().keysExpired.getCount()).isEqualTo(1);
    }
  }
}
