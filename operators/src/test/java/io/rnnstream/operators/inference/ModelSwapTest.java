package io.rnnstream.operators.inference;

import static io.rnnstream.operators.testutils.TestModels.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.SwapPolicy;
import io.rnnstream.operators.serving.ModelRegistry;
import io.rnnstream.operators.testutils.TestModels;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The swap policies on one key's state, without Flink: a registry and states in hand. */
class ModelSwapTest {
  static final ModelSpec SPEC = ModelSpec.builder(CellType.LSTM, 3, 5)
      .head(2, Activation.SOFTMAX).build();
  final RnnModel v1 = TestModels.model(SPEC, "m", 1, 1);
  final RnnModel v2 = TestModels.model(SPEC, "m", 2, 2);
  final RnnModel wider = TestModels.model(ModelSpec.builder(CellType.LSTM, 3, 7)
      .head(2, Activation.SOFTMAX).build(), "m", 2, 5);
  final float[][] xs = inputs(4, 3);
  final ModelRegistry registry = new ModelRegistry(2);
  final InferenceMetrics metrics = new InferenceMetrics(new UnregisteredMetricsGroup());

  ModelSwap swap(SwapPolicy policy) {
    RnnInference.Builder<RnnEvent> b = RnnInference.builder().mode(Mode.MANY_TO_ONE)
        .rolling(true).defaultModel("m");
    InferenceConfig config = (policy == SwapPolicy.REPLAY_LAST_N ? b.replayLastN(2)
        : b.swapPolicy(policy)).build().config();
    return new ModelSwap(config, registry, new Stepper(config, new EventInputs()), metrics);
  }

  /** A state on v1 that took the rows of xs as one open segment (and its rolling state). */
  SequenceState stepped(ModelSwap swap, int rows) {
    registry.offer(TestModels.update(v1));
    SequenceState st = swap.start(v1);
    Workspace ws = v1.newWorkspace();
    for (int t = 0; t < rows; t++) {
      Stepper.openSegment(st);
      v1.step(st.segment, xs[t], 0, ws);
      v1.step(st.rolling, xs[t], 0, ws);
      st.remember(xs[t], 0, 3);
      st.segmentSteps++;
    }
    return st;
  }

  static float[] run(RnnModel model, float[][] xs, int from, int to) {
    RnnState s = model.newState();
    Workspace ws = model.newWorkspace();
    for (int t = from; t < to; t++) {
      model.step(s, xs[t], 0, ws);
    }
    return s.values();
  }

  @Test
  void shouldStartOnTheModelFromZero() {
    SequenceState st = swap(SwapPolicy.REPLAY_LAST_N).start(v1);
    assertThat(st.version).isEqualTo(1);
    assertThat(st.width).isEqualTo(3);
    assertThat(st.segment.values()).containsOnly(0f);
    assertThat(st.rolling).isNotNull();
    assertThat(st.ring).hasSize(2 * 3); // N rows of the input width
    assertThat(st.segmentOpen).isFalse();
  }

  @Test
  void atSegmentBoundaryShouldLeaveAnOpenSegmentOnItsVersionThenCarry() {
    ModelSwap swap = swap(SwapPolicy.AT_SEGMENT_BOUNDARY);
    SequenceState st = stepped(swap, 2);
    float[] rolling = st.rolling.values().clone();
    registry.offer(TestModels.update(v2));
    swap.toNewest(st, "m", v2);
    assertThat(st.version).as("mid-segment").isEqualTo(1);
    st.clearSegment(); // the segment closes
    swap.atSegmentEnd(st, "m");
    assertThat(st.version).isEqualTo(2);
    assertThat(st.rolling.values()).as("carried").containsExactly(rolling);
    assertThat(metrics.keysMigrated.getCount()).isEqualTo(1);
  }

  @Test
  void atSegmentBoundaryShouldDropASegmentWhoseVersionWasEvicted() {
    ModelSwap swap = swap(SwapPolicy.AT_SEGMENT_BOUNDARY);
    SequenceState st = stepped(swap, 2);
    registry.offer(TestModels.update(v2));
    registry.offer(TestModels.update(TestModels.model(SPEC, "m", 3, 3))); // evicts v1
    swap.toNewest(st, "m", registry.latest("m"));
    assertThat(st.version).isEqualTo(3);
    assertThat(st.segmentOpen).isFalse();
    assertThat(st.segment.values()).containsOnly(0f);
  }

  @Test
  void immediateCarryShouldKeepTheStateOrFallBackToZeroWhenShapesDiffer() {
    ModelSwap swap = swap(SwapPolicy.IMMEDIATE_CARRY);
    SequenceState st = stepped(swap, 2);
    float[] segment = st.segment.values().clone();
    swap.toNewest(st, "m", v2);
    assertThat(st.version).isEqualTo(2);
    assertThat(st.segment.values()).containsExactly(segment);
    assertThat(st.segmentSteps).isEqualTo(2);

    SequenceState other = stepped(swap, 2);
    swap.toNewest(other, "m", wider);
    assertThat(other.segment.values()).hasSize(wider.newState().values().length).containsOnly(0f);
    assertThat(metrics.keysMigrated.getCount()).isEqualTo(1);
    assertThat(metrics.keysReset.getCount()).isEqualTo(1);
    assertThat(metrics.carryFallbacks.getCount()).isEqualTo(1);
  }

  @Test
  void immediateResetShouldStartFromZeroAndKeepTheSegmentCount() {
    ModelSwap swap = swap(SwapPolicy.IMMEDIATE_RESET);
    SequenceState st = stepped(swap, 2);
    st.segments = 4;
    swap.toNewest(st, "m", v2);
    assertThat(st.version).isEqualTo(2);
    assertThat(st.segment.values()).containsOnly(0f);
    assertThat(st.rolling.values()).containsOnly(0f);
    assertThat(st.segments).isEqualTo(4);
    assertThat(metrics.keysReset.getCount()).isEqualTo(1);
  }

  @Test
  void replayLastNShouldEqualAFreshRunOverTheLastNInputs() {
    ModelSwap swap = swap(SwapPolicy.REPLAY_LAST_N); // N = 2
    SequenceState st = stepped(swap, 4);
    swap.toNewest(st, "m", v2);
    assertThat(st.version).isEqualTo(2);
    assertThat(st.rolling.values()).containsExactly(run(v2, xs, 2, 4));
    // the open segment (4 steps) re-warmed over its last min(N, 4) = 2 inputs
    assertThat(st.segment.values()).containsExactly(run(v2, xs, 2, 4));
    assertThat(st.segmentOpen).isTrue();
    assertThat(st.segmentSteps).isEqualTo(4);
    assertThat(metrics.keysMigrated.getCount()).isEqualTo(1);
  }

  @Test
  void onlyAtSegmentBoundaryShouldMoveAtASegmentEnd() {
    ModelSwap swap = swap(SwapPolicy.IMMEDIATE_RESET);
    SequenceState st = stepped(swap, 1);
    registry.offer(TestModels.update(v2));
    st.clearSegment();
    swap.atSegmentEnd(st, "m");
    assertThat(st.version).isEqualTo(1);
  }
}
