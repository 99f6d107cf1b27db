package io.rnnstream.operators.inference;

import static io.rnnstream.operators.testutils.TestModels.flat;
import static io.rnnstream.operators.testutils.TestModels.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import io.rnnstream.operators.api.GapPolicy;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.testutils.TestModels;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator's semantics (docs/design.md), one behaviour per test, on Flink's harness. */
class RnnInferenceFunctionTest {

  static InferenceConfig manyToMany() {
    return RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m").build().config();
  }

  static RnnEvent dense(String key, long seq, float[][] xs, int from, int to) {
    return RnnEvent.dense(key, seq, flat(xs, from, to));
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void shouldEqualTheOfflineForwardForEveryCellType(CellType cell) throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(cell).head(2, Activation.SOFTMAX).build(),
        "m", 1, 7);
    float[][] xs = inputs(9, 11);
    float[][] expected = model.forward(xs);
    try (Harness h = Harness.open(manyToMany())) {
      h.model(TestModels.update(model));
      // 9 steps in events of 1, 3, 2 and 3 steps, two keys interleaved.
      int[] cuts = {0, 1, 4, 6, 9};
      for (int i = 0; i + 1 < cuts.length; i++) {
        h.event(dense("a", i, xs, cuts[i], cuts[i + 1]));
        h.event(dense("b", i, xs, cuts[i], cuts[i + 1]));
      }
      List<RnnOutput> out = h.outputs();
      assertThat(out).hasSize(18);
      for (String key : List.of("a", "b")) {
        List<RnnOutput> mine = out.stream().filter(o -> o.key.equals(key)).toList();
        for (int t = 0; t < 9; t++) {
          assertThat(mine.get(t).y).as("%s step %d", key, t).containsExactly(expected[t]);
          assertThat(mine.get(t).step).isEqualTo(t);
          assertThat(mine.get(t).modelVersion).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void shouldEmitBidirectionalOutputsAtSegmentEnd() throws Exception {
    RnnModel model = TestModels.model(
        TestModels.spec(CellType.GRU).bidirectional(true).head(2, Activation.SOFTMAX).build(),
        "m", 1, 3);
    float[][] xs = inputs(5, 4);
    try (Harness h = Harness.open(manyToMany())) {
      h.model(TestModels.update(model));
      h.event(dense("a", 0, xs, 0, 2));
      h.event(dense("a", 1, xs, 2, 4));
      assertThat(h.newOutputs()).isEmpty();
      h.event(dense("a", 2, xs, 4, 5).endOfSegment());
      List<RnnOutput> out = h.newOutputs();
      float[][] expected = model.forwardSegment(xs);
      assertThat(out).hasSize(5);
      for (int t = 0; t < 5; t++) {
        assertThat(out.get(t).y).containsExactly(expected[t]);
      }
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void shouldEmitAllStepsOfASegmentAsOneOutputWhenAsked(boolean bidirectional) throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.GRU).bidirectional(bidirectional)
        .head(3, Activation.SOFTMAX).build(), "m", 1, 3);
    float[][] xs = inputs(5, 4);
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_MANY)
        .segmentOutputs(true).defaultModel("m").build().config();
    try (Harness h = Harness.open(config)) {
      h.model(TestModels.update(model));
      h.event(dense("a", 0, xs, 0, 3));
      assertThat(h.newOutputs()).isEmpty();
      h.event(dense("a", 1, xs, 3, 5).endOfSegment());
      h.event(dense("a", 2, xs, 0, 2).endOfSegment()); // the next segment starts from zero
      List<RnnOutput> out = h.outputs();
      assertThat(out).extracting(o -> o.kind).containsOnly(RnnOutput.Kind.STEPS);
      assertThat(out).extracting(o -> o.step).containsExactly(5, 2);
      float[][] expected = model.forward(xs);
      float[] flat = new float[15];
      for (int t = 0; t < 5; t++) {
        System.arraycopy(expected[t], 0, flat, 3 * t, 3);
      }
      assertThat(out.get(0).y).containsExactly(flat);
      float[][] second = model.forward(Arrays.copyOfRange(xs, 0, 2));
      assertThat(Arrays.copyOfRange(out.get(1).y, 3, 6)).containsExactly(second[1]);
    }
  }

  @Test
  void shouldEmitOnePredictionPerSegmentAndARollingMood() throws Exception {
    RnnModel model = TestModels.classifier("sentiment", 1, 5, 6);
    float[][] xs = inputs(7, 8);
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_ONE).rolling(true)
        .defaultModel("sentiment").build().config();
    try (Harness h = Harness.open(config)) {
      h.model(TestModels.update(model));
      h.event(dense("c", 0, xs, 0, 3).endOfSegment()); // message 1: steps 0-2
      h.event(dense("c", 1, xs, 3, 5)); // message 2 arrives in two events
      h.event(dense("c", 2, xs, 5, 7).endOfSegment());
      List<RnnOutput> out = h.outputs();
      assertThat(out).extracting(o -> o.kind).containsExactly(
          RnnOutput.Kind.SEGMENT, RnnOutput.Kind.ROLLING,
          RnnOutput.Kind.SEGMENT, RnnOutput.Kind.ROLLING);
      float[][] first = model.forward(Arrays.copyOfRange(xs, 0, 3));
      float[][] second = model.forward(Arrays.copyOfRange(xs, 3, 7));
      float[][] all = model.forward(xs);
      assertThat(out.get(0).y).containsExactly(first[2]);
      assertThat(out.get(2).y).containsExactly(second[3]);
      assertThat(out.get(3).y).containsExactly(all[6]); // the mood carries across messages
      assertThat(out.get(2).segment).isEqualTo(1);
      assertThat(out.get(0).label).isIn("negative", "positive");
      assertThat(out.get(0).probability).isGreaterThanOrEqualTo(0.5f);
    }
  }

  @Test
  void shouldBufferEventsUntilTheFirstModelArrivesThenProcessThemInOrder() throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.LSTM).build(), "m", 1, 2);
    float[][] xs = inputs(4, 1);
    try (Harness h = Harness.open(manyToMany())) {
      h.time(0);
      for (int t = 0; t < 4; t++) {
        h.event(dense("a", t, xs, t, t + 1));
      }
      assertThat(h.outputs()).isEmpty();
      assertThat(h.metrics().buffered()).isEqualTo(4);
      h.model(TestModels.update(model));
      h.time(1000); // the waiting key's retry timer fires
      assertThat(h.outputs()).extracting(o -> o.y)
          .containsExactly(model.forward(xs));
      assertThat(h.metrics().buffered()).isZero();
      assertThat(h.deadLetters()).isEmpty();
    }
  }

  @Test
  void shouldDropAndCountDuplicates() throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.GRU).build(), "m", 1, 2);
    float[][] xs = inputs(3, 1);
    try (Harness h = Harness.open(manyToMany())) {
      h.model(TestModels.update(model));
      h.event(dense("a", 0, xs, 0, 1));
      h.event(dense("a", 1, xs, 1, 2));
      h.event(dense("a", 1, xs, 1, 2)); // redelivered
      h.event(dense("a", 0, xs, 0, 1)); // redelivered, older
      h.event(dense("a", 2, xs, 2, 3));
      assertThat(h.outputs()).extracting(o -> o.y).containsExactly(model.forward(xs));
      assertThat(h.metrics().duplicates.getCount()).isEqualTo(2);
    }
  }

  @Test
  void shouldReorderEventsAcrossAGapThatCloses() throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.LSTM).build(), "m", 1, 2);
    float[][] xs = inputs(4, 1);
    try (Harness h = Harness.open(manyToMany())) {
      h.model(TestModels.update(model));
      h.event(dense("a", 0, xs, 0, 1));
      h.event(dense("a", 2, xs, 2, 3));
      h.event(dense("a", 3, xs, 3, 4));
      assertThat(h.outputs()).hasSize(1);
      h.event(dense("a", 1, xs, 1, 2)); // the gap closes
      assertThat(h.outputs()).extracting(o -> o.y).containsExactly(model.forward(xs));
    }
  }

  @ParameterizedTest
  @EnumSource(GapPolicy.class)
  void shouldApplyTheGapPolicyWhenTheGapTimesOut(GapPolicy policy) throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.LSTM).build(), "m", 1, 2);
    float[][] xs = inputs(4, 1);
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m")
        .gapPolicy(policy, Duration.ofMillis(500)).build().config();
    try (Harness h = Harness.open(config)) {
      h.time(0);
      h.model(TestModels.update(model));
      h.event(dense("a", 0, xs, 0, 1));
      h.event(dense("a", 2, xs, 2, 3)); // seq 1 never comes
      h.event(dense("a", 3, xs, 3, 4));
      h.time(499);
      assertThat(h.outputs()).hasSize(1);
      h.time(500);
      List<RnnOutput> out = h.outputs();
      assertThat(out).hasSize(3);
      float[][] expected = policy == GapPolicy.CONTINUE
          ? model.forward(new float[][] {xs[0], xs[2], xs[3]})
          : model.forward(new float[][] {xs[2], xs[3]});
      assertThat(out.get(1).y).containsExactly(expected[policy == GapPolicy.CONTINUE ? 1 : 0]);
      assertThat(out.get(2).y).containsExactly(expected[policy == GapPolicy.CONTINUE ? 2 : 1]);
      // the late event is now a duplicate
      h.event(dense("a", 1, xs, 1, 2));
      assertThat(h.outputs()).hasSize(3);
    }
  }

  @Test
  void shouldSendBadEventsToDeadLettersAndKeepGoing() throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.LSTM).build(), "m", 1, 2);
    float[][] xs = inputs(2, 1);
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m")
        .models("m").maxStepsPerEvent(3).build().config();
    try (Harness h = Harness.open(config)) {
      h.model(TestModels.update(model));
      h.event(RnnEvent.dense("a", 0, new float[] {1, 2})); // width 2, model reads 3
      RnnEvent nan = RnnEvent.dense("a", 1, new float[] {1, Float.NaN, 0});
      nan.source = "chat/0/42";
      h.event(nan);
      h.event(RnnEvent.dense("a", 2, new float[12])); // 4 steps > maxStepsPerEvent
      h.event(RnnEvent.dense("a", 3, xs[0]).model("nope"));
      h.event(RnnEvent.ids("a", 4, 1, 2));
      h.event(dense("a", 5, xs, 0, 2));
      assertThat(h.deadLetters()).extracting(d -> d.reason).satisfiesExactly(
          r -> assertThat(r).contains("not a multiple of model 'm' v1's input size 3"),
          r -> assertThat(r).contains("x[1] is NaN"),
          r -> assertThat(r).contains("more than maxStepsPerEvent=3"),
          r -> assertThat(r).contains("unknown model name 'nope'"),
          r -> assertThat(r).contains("reads dense x of width 3"));
      assertThat(h.deadLetters().get(1).source).isEqualTo("chat/0/42");
      assertThat(h.deadLetters().get(1).key).isEqualTo("a");
      // nothing above touched the key's state: the good event is the sequence's first two steps
      assertThat(h.outputs()).extracting(o -> o.y).containsExactly(model.forward(xs));
      assertThat(h.metrics().deadLetters.getCount()).isEqualTo(5);
    }
  }

  @Test
  void shouldMapTokensThroughTheModelVocabularyWithUnknownWords() throws Exception {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 3, 4).vocabSize(4)
        .head(2, Activation.SOFTMAX).build();
    RnnModel model = RnnModelsWithVocab.withVocab(TestModels.model(spec, "m", 1, 9),
        List.of("<unk>", "good", "bad", "movie"));
    try (Harness h = Harness.open(manyToMany())) {
      h.model(TestModels.update(model));
      h.event(RnnEvent.tokens("a", 0, "good", "zebra", "movie"));
      assertThat(h.outputs()).extracting(o -> o.y)
          .containsExactly(model.forwardTokens(new int[] {1, 0, 3}));
    }
  }

  @Test
  void shouldResetAKeyOnRequest() throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.LSTM).build(), "m", 1, 2);
    float[][] xs = inputs(3, 1);
    try (Harness h = Harness.open(manyToMany())) {
      h.model(TestModels.update(model));
      h.event(dense("a", 0, xs, 0, 2));
      h.event(dense("a", 1, xs, 2, 3).reset());
      assertThat(h.outputs().get(2).y).containsExactly(model.forward(new float[][] {xs[2]})[0]);
    }
  }

  @Test
  void shouldExpireIdleKeys() throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.GRU).build(), "m", 1, 2);
    float[][] xs = inputs(2, 1);
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m")
        .idleTimeout(Duration.ofSeconds(10)).build().config();
    try (Harness h = Harness.open(config)) {
      h.time(0);
      h.model(TestModels.update(model));
      h.event(dense("idle", 0, xs, 0, 1));
      h.event(dense("busy", 0, xs, 0, 1));
      h.time(8_000);
      h.event(dense("busy", 1, xs, 1, 2));
      h.time(10_000);
      assertThat(h.keysWithState()).isEqualTo(1);
      assertThat(h.metrics().keysExpired.getCount()).isEqualTo(1);
      h.time(19_000);
      assertThat(h.keysWithState()).isZero();
      // an expired key starts afresh
      h.event(dense("idle", 1, xs, 0, 1));
      List<RnnOutput> out = h.outputs();
      assertThat(out.get(out.size() - 1).y).containsExactly(out.get(0).y);
    }
  }

  @Test
  void shouldContinueIdenticallyAfterSnapshotAndRestore() throws Exception {
    RnnModel model = TestModels.classifier("sentiment", 1, 5, 6);
    float[][] xs = inputs(10, 8);
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_ONE).rolling(true)
        .defaultModel("sentiment").replayLastN(4).build().config();
    List<RnnOutput> uninterrupted;
    try (Harness h = Harness.open(config)) {
      h.model(TestModels.update(model));
      for (int t = 0; t < 10; t++) {
        RnnEvent e = dense("k", t, xs, t, t + 1);
        e.endOfSegment = t % 3 == 2;
        h.event(e);
      }
      uninterrupted = h.outputs();
    }
    var snapshot = (org.apache.flink.runtime.checkpoint.OperatorSubtaskState) null;
    List<RnnOutput> before;
    try (Harness h = Harness.open(config)) {
      h.model(TestModels.update(model));
      for (int t = 0; t < 4; t++) { // stop inside a segment
        RnnEvent e = dense("k", t, xs, t, t + 1);
        e.endOfSegment = t % 3 == 2;
        h.event(e);
      }
      before = h.outputs();
      snapshot = h.snapshot(1);
    }
    try (Harness h = Harness.restore(config, snapshot)) {
      for (int t = 4; t < 10; t++) {
        RnnEvent e = dense("k", t, xs, t, t + 1);
        e.endOfSegment = t % 3 == 2;
        h.event(e);
      }
      List<RnnOutput> resumed = new java.util.ArrayList<>(before);
      resumed.addAll(h.outputs());
      assertThat(resumed).isEqualTo(uninterrupted);
      h.event(dense("k", 3, xs, 3, 4)); // the restored sequence number still dedups
      assertThat(h.metrics().duplicates.getCount()).isEqualTo(1);
    }
  }

  /** Gives a model a vocabulary (tests only). */
  static final class RnnModelsWithVocab {
    static RnnModel withVocab(RnnModel m, List<String> vocab) {
      var i = m.info();
      return m.withInfo(new io.rnnstream.models.model.ModelInfo(i.name(), i.version(),
          i.createdAt(), i.trainer(), i.metrics(), vocab, i.labels()));
    }
  }

  static float[] stepAll(RnnModel m, RnnState s, float[][] xs) {
    Workspace ws = m.newWorkspace();
    float[] y = null;
    for (float[] x : xs) {
      y = m.step(s, x, 0, ws).clone();
    }
    return y;
  }

  static ModelSpec pooled(Pooling p) {
    return ModelSpec.builder(CellType.LSTM, 3, 4).pooling(p).head(2, Activation.SOFTMAX).build();
  }
}
