package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.testutils.TestModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * The micro-batching operator against the unbatched one on the same event streams: the same
 * outputs (every number equal to the bit: batched steps are bit-equal to single steps), with
 * bursts of one key inside a bundle, multi-step events, segment ends, rolling states, a model
 * swap mid-stream, and a snapshot taken with a half-full bundle.
 */
class MicroBatchTest {
  private static final int KEYS = 7;

  private static RnnInference.Builder<RnnEvent> manyToOne() {
    return RnnInference.builder().mode(Mode.MANY_TO_ONE).rolling(true).defaultModel("m");
  }

  /** Events: mostly one step, some bursts of a key, some 3-step events, segments of ~4. */
  private static List<RnnEvent> stream(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] seq = new long[KEYS];
    List<RnnEvent> out = new ArrayList<>();
    int key = 0;
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(4) != 0) {
        key = rnd.nextInt(KEYS); // else: the same key again, inside the bundle
      }
      int steps = rnd.nextInt(6) == 0 ? 3 : 1;
      RnnEvent e = RnnEvent.dense("k" + key, seq[key]++,
          TestModels.flat(TestModels.inputs(steps, seed * 1000 + i), 0, steps));
      e.endOfSegment = rnd.nextInt(4) == 0;
      out.add(e);
    }
    return out;
  }

  private static List<RnnOutput> sorted(List<RnnOutput> outputs) {
    List<RnnOutput> s = new ArrayList<>(outputs);
    s.sort(Comparator.comparing((RnnOutput o) -> o.key).thenComparingLong(o -> o.seq)
        .thenComparing(o -> o.kind).thenComparingInt(o -> o.step));
    return s;
  }

  /** Runs events through a harness, with a model update before event {@code swapAt}. */
  private static List<RnnOutput> run(InferenceConfig config, List<RnnEvent> events,
      RnnModel v1, RnnModel v2, int swapAt) throws Exception {
    return run(config, events, v1, v2, swapAt, false);
  }

  private static List<RnnOutput> run(InferenceConfig config, List<RnnEvent> events,
      RnnModel v1, RnnModel v2, int swapAt, boolean rocksDb) throws Exception {
    try (Harness h = Harness.restore(config, null, rocksDb)) {
      h.model(TestModels.update(v1));
      for (int i = 0; i < events.size(); i++) {
        if (i == swapAt) {
          h.model(TestModels.update(v2));
        }
        h.event(events.get(i));
      }
      h.finish(); // the end of input steps what is left in the bundle
      return sorted(h.outputs());
    }
  }

  private static void assertSameOutputs(List<RnnOutput> batched, List<RnnOutput> plain) {
    assertThat(batched).hasSameSizeAs(plain);
    for (int i = 0; i < plain.size(); i++) {
      RnnOutput a = batched.get(i);
      RnnOutput b = plain.get(i);
      String where = b.key + " seq " + b.seq + " " + b.kind + " step " + b.step;
      assertThat(a.key).as(where).isEqualTo(b.key);
      assertThat(a.seq).as(where).isEqualTo(b.seq);
      assertThat(a.kind).as(where).isEqualTo(b.kind);
      assertThat(a.step).as(where).isEqualTo(b.step);
      assertThat(a.segment).as(where).isEqualTo(b.segment);
      assertThat(a.modelVersion).as(where).isEqualTo(b.modelVersion);
      assertThat(a.y).as(where).containsExactly(b.y);
      assertThat(a.label).as(where).isEqualTo(b.label);
    }
  }

  private static void compare(UnaryOperator<RnnInference.Builder<RnnEvent>> settings,
      RnnModel v1, RnnModel v2) throws Exception {
    List<RnnEvent> events = stream(400, 3);
    InferenceConfig plain = settings.apply(manyToOne()).build().config();
    InferenceConfig batched = settings.apply(manyToOne())
        .microBatch(5, Duration.ofMillis(50)).build().config();
    List<RnnOutput> expected = run(plain, events, v1, v2, 250);
    assertThat(expected).isNotEmpty();
    assertSameOutputs(run(batched, events, v1, v2, 250), expected);
  }

  @Test
  void manyToOneWithRollingAndASwapShouldMatchTheUnbatchedOperator() throws Exception {
    compare(b -> b, TestModels.classifier("m", 1, 5, 8), TestModels.classifier("m", 2, 6, 8));
  }

  /**
   * On RocksDB every state write is a serialization: a deferred event's state must be written
   * when the bundle completes it, not only when it was deferred.
   */
  @Test
  void onRocksDbShouldMatchTheUnbatchedOperatorOnHeap() throws Exception {
    RnnModel v1 = TestModels.classifier("m", 1, 5, 8);
    RnnModel v2 = TestModels.classifier("m", 2, 6, 8);
    List<RnnEvent> events = stream(200, 4);
    List<RnnOutput> expected = run(manyToOne().build().config(), events, v1, v2, 120);
    InferenceConfig batched = manyToOne().microBatch(5, Duration.ofMillis(50)).build().config();
    assertSameOutputs(run(batched, events, v1, v2, 120, true), expected);
  }

  @Test
  void manyToManyShouldMatchTheUnbatchedOperator() throws Exception {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, TestModels.D, 6).numLayers(2)
        .head(3, Activation.SOFTMAX).build();
    compare(b -> b.mode(Mode.MANY_TO_MANY).rolling(false),
        TestModels.model(spec, "m", 1, 1), TestModels.model(spec, "m", 2, 2));
  }

  /**
   * Tokenised messages of different lengths (0 to 6 tokens; an empty one only closes its
   * segment), a vocabulary model, many-to-one with rolling: the sentiment pipeline's shape, where
   * a bundle steps the t-th token of every message at once.
   */
  @Test
  void tokenMessagesOfDifferentLengthsShouldMatchTheUnbatchedOperator() throws Exception {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 4, 6).vocabSize(20)
        .pooling(io.rnnstream.models.model.Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    SplittableRandom rnd = new SplittableRandom(21);
    List<RnnEvent> events = new ArrayList<>();
    long[] seq = new long[KEYS];
    for (int i = 0; i < 200; i++) {
      int key = rnd.nextInt(KEYS);
      int[] ids = new int[rnd.nextInt(7)];
      for (int t = 0; t < ids.length; t++) {
        ids[t] = rnd.nextInt(20);
      }
      RnnEvent e = RnnEvent.ids("k" + key, seq[key]++, ids);
      e.endOfSegment = true;
      events.add(e);
    }
    RnnModel v1 = TestModels.model(spec, "m", 1, 3);
    RnnModel v2 = TestModels.model(spec, "m", 2, 4);
    InferenceConfig plain = manyToOne().build().config();
    InferenceConfig batched = manyToOne().microBatch(6, Duration.ofMillis(50)).build().config();
    List<RnnOutput> expected = run(plain, events, v1, v2, 120);
    assertThat(expected).hasSizeGreaterThan(200);
    assertSameOutputs(run(batched, events, v1, v2, 120), expected);
  }

  @Test
  void shouldHoldOneStepEventsUntilTheBundleIsFullOrItsDelayPasses() throws Exception {
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m")
        .microBatch(3, Duration.ofMillis(20)).build().config();
    RnnModel model = TestModels.classifier("m", 1, 5, 8);
    try (Harness h = Harness.open(config)) {
      h.time(1000);
      h.model(TestModels.update(model));
      float[][] xs = TestModels.inputs(4, 9);
      h.event(RnnEvent.dense("a", 0, xs[0]));
      h.event(RnnEvent.dense("b", 0, xs[1]));
      assertThat(h.newOutputs()).as("two events in a bundle of three").isEmpty();
      h.event(RnnEvent.dense("c", 0, xs[2])); // full: stepped at once
      assertThat(h.newOutputs()).extracting(o -> o.key).containsExactly("a", "b", "c");

      h.event(RnnEvent.dense("d", 0, xs[3]));
      h.time(1019);
      assertThat(h.newOutputs()).isEmpty();
      h.time(1020); // the bundle's delay
      assertThat(h.newOutputs()).extracting(o -> o.key).containsExactly("d");
    }
  }

  @Test
  void aSnapshotShouldStepTheBundleFirstAndRestoreToTheSameOutputs() throws Exception {
    // many-to-many: every step emits, so the outputs show exactly which steps were taken
    InferenceConfig config = RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m")
        .microBatch(8, Duration.ofSeconds(10)).build().config();
    InferenceConfig plainConfig =
        RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m").build().config();
    RnnModel model = TestModels.classifier("m", 1, 5, 8);
    List<RnnEvent> events = stream(60, 11);
    List<RnnOutput> expected = run(plainConfig, events, model, model, -1);
    int stepsBefore = events.subList(0, 30).stream().mapToInt(e -> e.x.length / TestModels.D)
        .sum();

    List<RnnOutput> got = new ArrayList<>();
    OperatorSubtaskState snapshot;
    try (Harness h = Harness.open(config)) {
      h.model(TestModels.update(model));
      for (int i = 0; i < 30; i++) {
        h.event(events.get(i));
      }
      assertThat(h.outputs()).as("some steps wait in the bundle").hasSizeLessThan(stepsBefore);
      snapshot = h.snapshot(1); // the pre-barrier hook steps and emits the bundle
      assertThat(h.outputs()).as("every step before the barrier").hasSize(stepsBefore);
      got.addAll(h.outputs());
    }
    try (Harness h = Harness.restore(config, snapshot)) {
      for (int i = 30; i < events.size(); i++) {
        h.event(events.get(i));
      }
      h.finish();
      got.addAll(h.outputs());
    }
    assertSameOutputs(sorted(got), expected);
  }
}
