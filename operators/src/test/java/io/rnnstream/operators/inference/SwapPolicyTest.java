package io.rnnstream.operators.inference;

import static io.rnnstream.operators.testutils.TestModels.flat;
import static io.rnnstream.operators.testutils.TestModels.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.api.SwapPolicy;
import io.rnnstream.operators.testutils.TestModels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hot swap: each policy, snapshot validation, rejection and rollback. */
class SwapPolicyTest {
  static final ModelSpec SPEC = ModelSpec.builder(CellType.LSTM, 3, 5)
      .head(2, Activation.SOFTMAX).build();
  final RnnModel v1 = TestModels.model(SPEC, "m", 1, 1);
  final RnnModel v2 = TestModels.model(SPEC, "m", 2, 2);
  final float[][] xs = inputs(6, 3);

  static InferenceConfig config(SwapPolicy policy) {
    RnnInference.Builder<RnnEvent> b = RnnInference.builder().mode(Mode.MANY_TO_MANY)
        .defaultModel("m");
    return (policy == SwapPolicy.REPLAY_LAST_N ? b.replayLastN(2) : b.swapPolicy(policy))
        .build().config();
  }

  RnnEvent step(int t) {
    return RnnEvent.dense("k", t, flat(xs, t, t + 1));
  }

  /** y of stepping {@code model} from {@code state} over rows [from, to). */
  static float[][] run(RnnModel model, RnnState state, float[][] xs, int from, int to) {
    Workspace ws = model.newWorkspace();
    float[][] ys = new float[to - from][];
    for (int t = from; t < to; t++) {
      ys[t - from] = model.step(state, xs[t], 0, ws).clone();
    }
    return ys;
  }

  @Test
  void atSegmentBoundaryShouldFinishTheOpenSegmentOnItsVersion() throws Exception {
    try (Harness h = Harness.open(config(SwapPolicy.AT_SEGMENT_BOUNDARY))) {
      h.model(TestModels.update(v1));
      h.event(step(0));
      h.event(step(1));
      h.model(TestModels.update(v2)); // arrives mid-segment
      h.event(step(2).endOfSegment());
      h.event(step(3));
      h.event(step(4).endOfSegment());
      List<RnnOutput> out = h.outputs();
      assertThat(out).extracting(o -> o.modelVersion).containsExactly(1L, 1L, 1L, 2L, 2L);
      float[][] seg1 = v1.forward(Arrays.copyOfRange(xs, 0, 3));
      float[][] seg2 = v2.forward(Arrays.copyOfRange(xs, 3, 5));
      assertThat(out.get(2).y).containsExactly(seg1[2]);
      assertThat(out.get(4).y).containsExactly(seg2[1]);
      assertThat(h.metrics().keysMigrated.getCount()).isEqualTo(1);
    }
  }

  @Test
  void immediateCarryShouldKeepTheStateWhenLayoutsMatch() throws Exception {
    try (Harness h = Harness.open(config(SwapPolicy.IMMEDIATE_CARRY))) {
      h.model(TestModels.update(v1));
      h.event(step(0));
      h.event(step(1));
      h.model(TestModels.update(v2));
      h.event(step(2));
      RnnState state = v1.newState();
      run(v1, state, xs, 0, 2);
      float[] expected = run(v2, state, xs, 2, 3)[0]; // v2 continues from v1's state
      assertThat(h.outputs().get(2).y).containsExactly(expected);
      assertThat(h.outputs().get(2).modelVersion).isEqualTo(2);
      assertThat(h.metrics().keysMigrated.getCount()).isEqualTo(1);
      assertThat(h.metrics().carryFallbacks.getCount()).isZero();
    }
  }

  @Test
  void immediateCarryShouldFallBackToResetWhenShapesDifferAndSaySo() throws Exception {
    RnnModel wider = TestModels.model(ModelSpec.builder(CellType.LSTM, 3, 7)
        .head(2, Activation.SOFTMAX).build(), "m", 2, 5);
    try (Harness h = Harness.open(config(SwapPolicy.IMMEDIATE_CARRY))) {
      h.model(TestModels.update(v1));
      h.event(step(0));
      h.model(TestModels.update(wider));
      h.event(step(1));
      assertThat(h.outputs().get(1).y).containsExactly(wider.forward(new float[][] {xs[1]})[0]);
      assertThat(h.metrics().carryFallbacks.getCount()).isEqualTo(1);
      assertThat(h.metrics().keysReset.getCount()).isEqualTo(1);
    }
  }

  @Test
  void immediateResetShouldStartFromZero() throws Exception {
    try (Harness h = Harness.open(config(SwapPolicy.IMMEDIATE_RESET))) {
      h.model(TestModels.update(v1));
      h.event(step(0));
      h.event(step(1));
      h.model(TestModels.update(v2));
      h.event(step(2));
      assertThat(h.outputs().get(2).y).containsExactly(v2.forward(new float[][] {xs[2]})[0]);
    }
  }

  @Test
  void replayLastNShouldEqualAFreshRunOverTheLastNInputs() throws Exception {
    try (Harness h = Harness.open(config(SwapPolicy.REPLAY_LAST_N))) { // N = 2
      h.model(TestModels.update(v1));
      for (int t = 0; t < 4; t++) {
        h.event(step(t));
      }
      h.model(TestModels.update(v2));
      h.event(step(4));
      // v2 re-warmed on inputs 2 and 3, then steps input 4
      float[] expected = v2.forward(Arrays.copyOfRange(xs, 2, 5))[2];
      assertThat(h.outputs().get(4).y).containsExactly(expected);
      assertThat(h.outputs().get(4).modelVersion).isEqualTo(2);
    }
  }

  @Test
  void shouldRejectACorruptedSnapshotAndKeepServingTheCurrentVersion() throws Exception {
    try (Harness h = Harness.open(config(SwapPolicy.IMMEDIATE_CARRY))) {
      h.model(TestModels.update(v1));
      byte[] bad = SnapshotFormat.toBytes(v2);
      bad[bad.length / 2] ^= 1;
      ModelUpdate corrupted = ModelUpdate.of("m", 2, bad);
      corrupted.source = "model-snapshots/0/7";
      h.model(corrupted);
      h.event(step(0));
      assertThat(h.outputs().get(0).modelVersion).isEqualTo(1);
      assertThat(h.outputs().get(0).y).containsExactly(v1.forward(new float[][] {xs[0]})[0]);
      assertThat(h.deadLetters()).singleElement().satisfies(d -> {
        assertThat(d.kind).isEqualTo("snapshot");
        assertThat(d.reason).contains("checksum mismatch");
        assertThat(d.source).isEqualTo("model-snapshots/0/7");
      });
      assertThat(h.metrics().modelsRejected.getCount()).isEqualTo(1);
    }
  }

  @Test
  void shouldRejectStaleOrMislabelledVersionsAndIgnoreRedeliveries() throws Exception {
    try (Harness h = Harness.open(config(SwapPolicy.IMMEDIATE_CARRY))) {
      h.model(TestModels.update(v2));
      h.model(TestModels.update(v2)); // redelivered after a restart: harmless
      h.model(TestModels.update(v1)); // older than serving
      ModelUpdate mislabelled = TestModels.update(TestModels.model(SPEC, "m", 3, 9));
      mislabelled.version = 4;
      h.model(mislabelled);
      ModelUpdate badSha = TestModels.update(TestModels.model(SPEC, "m", 5, 9));
      badSha.sha256 = "00";
      h.model(badSha);
      assertThat(h.deadLetters()).extracting(d -> d.reason).satisfiesExactly(
          r -> assertThat(r).contains("not newer than the serving version 2")
              .contains("to roll back, publish the old weights under a new, higher version"),
          r -> assertThat(r).contains("envelope says 'm' v4 but the snapshot is 'm' v3"),
          r -> assertThat(r).contains("SHA-256"));
      h.event(step(0));
      assertThat(h.outputs().get(0).modelVersion).isEqualTo(2);
    }
  }

  @Test
  void rollbackShouldBePublishingOldWeightsUnderANewVersion() throws Exception {
    try (Harness h = Harness.open(config(SwapPolicy.IMMEDIATE_RESET))) {
      h.model(TestModels.update(v1));
      h.model(TestModels.update(v2));
      RnnModel v1Again = v1.withInfo(v1.info().withVersion(3));
      h.model(TestModels.update(v1Again));
      h.event(step(0));
      assertThat(h.outputs().get(0).modelVersion).isEqualTo(3);
      assertThat(h.outputs().get(0).y).containsExactly(v1.forward(new float[][] {xs[0]})[0]);
    }
  }

  @Test
  void shouldServeSeveralModelsSideBySide() throws Exception {
    RnnModel other = TestModels.model(SPEC, "other", 7, 4);
    try (Harness h = Harness.open(config(SwapPolicy.AT_SEGMENT_BOUNDARY))) {
      h.model(TestModels.update(v1));
      h.model(TestModels.update(other));
      h.event(step(0));
      h.event(RnnEvent.dense("k", 1, flat(xs, 0, 1)).model("other"));
      assertThat(h.outputs()).extracting(o -> o.model + " v" + o.modelVersion)
          .containsExactly("m v1", "other v7");
      assertThat(h.outputs().get(1).y).containsExactly(other.forward(new float[][] {xs[0]})[0]);
    }
  }
}
