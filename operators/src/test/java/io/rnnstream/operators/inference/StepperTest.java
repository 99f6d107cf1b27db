package io.rnnstream.operators.inference;

import static io.rnnstream.operators.testutils.TestModels.flat;
import static io.rnnstream.operators.testutils.TestModels.inputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.serving.ModelRegistry;
import io.rnnstream.operators.testutils.TestModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Stepping one key's state through events and closing segments, without Flink. */
class StepperTest {
  final InferenceMetrics metrics = new InferenceMetrics(new UnregisteredMetricsGroup());
  final List<RnnOutput> emitted = new ArrayList<>();
  final Outputs out = new Outputs(metrics).to("k", new ListCollector<>(emitted), 0, null);
  final float[][] xs = inputs(5, 4);

  static InferenceConfig config(RnnInference.Builder<RnnEvent> b) {
    return b.defaultModel("m").build().config();
  }

  Stepper stepper(InferenceConfig config) {
    return new Stepper(config, new EventInputs());
  }

  SequenceState start(InferenceConfig config, RnnModel model) {
    return new ModelSwap(config, new ModelRegistry(2), stepper(config), metrics).start(model);
  }

  /** Steps an event of rows [from, to) of xs now. */
  void step(Stepper stepper, RnnModel model, SequenceState st, int seq, int from, int to) {
    RnnEvent e = RnnEvent.dense("k", seq, flat(xs, from, to));
    stepper.stepNow(e, model, st, stepper.steps(e, model, st), out);
  }

  @Test
  void manyToManyShouldEmitEveryStepAsTheOfflineForward() {
    RnnModel model = TestModels.model(TestModels.spec(CellType.GRU)
        .head(2, Activation.SOFTMAX).build(), "m", 1, 7);
    InferenceConfig config = config(RnnInference.builder().mode(Mode.MANY_TO_MANY));
    Stepper stepper = stepper(config);
    SequenceState st = start(config, model);
    step(stepper, model, st, 0, 0, 2);
    step(stepper, model, st, 1, 2, 5);
    assertThat(emitted).extracting(o -> o.y).containsExactly(model.forward(xs));
    assertThat(emitted).extracting(o -> o.step).containsExactly(0, 1, 2, 3, 4);
    assertThat(emitted).extracting(o -> o.seq).containsExactly(0L, 0L, 1L, 1L, 1L);
    assertThat(st.segmentOpen).isTrue();
    assertThat(st.segmentSteps).isEqualTo(5);
    assertThat(metrics.outputs.getCount()).isEqualTo(5);
  }

  @Test
  void manyToOneShouldEmitTheSegmentAndTheRollingStateWhenTheSegmentCloses() {
    RnnModel model = TestModels.classifier("m", 1, 5, 6);
    InferenceConfig config = config(RnnInference.builder().mode(Mode.MANY_TO_ONE).rolling(true));
    Stepper stepper = stepper(config);
    SequenceState st = start(config, model);
    step(stepper, model, st, 0, 0, 2);
    stepper.closeSegment(RnnEvent.dense("k", 0, new float[0]), st, model, out);
    step(stepper, model, st, 1, 2, 5);
    assertThat(emitted).hasSize(2);
    stepper.closeSegment(RnnEvent.dense("k", 1, new float[0]), st, model, out);
    assertThat(emitted).extracting(o -> o.kind).containsExactly(RnnOutput.Kind.SEGMENT,
        RnnOutput.Kind.ROLLING, RnnOutput.Kind.SEGMENT, RnnOutput.Kind.ROLLING);
    assertThat(emitted.get(2).y).containsExactly(
        model.forward(Arrays.copyOfRange(xs, 2, 5))[2]); // the second segment from zero
    assertThat(emitted.get(3).y).containsExactly(model.forward(xs)[4]); // rolling: all five
    assertThat(emitted.get(2).segment).isEqualTo(1);
    assertThat(st.segments).isEqualTo(2);
    assertThat(st.segmentOpen).isFalse();
  }

  @Test
  void aBidirectionalSegmentShouldWaitForItsEndThenRunBothWays() {
    RnnModel model = TestModels.model(TestModels.spec(CellType.GRU).bidirectional(true)
        .head(2, Activation.SOFTMAX).build(), "m", 1, 3);
    InferenceConfig config = config(RnnInference.builder().mode(Mode.MANY_TO_MANY));
    Stepper stepper = stepper(config);
    SequenceState st = start(config, model);
    assertThat(stepper.buffersSegments(model)).isTrue();
    step(stepper, model, st, 0, 0, 3);
    step(stepper, model, st, 1, 3, 5);
    assertThat(emitted).isEmpty();
    assertThat(st.openRows).isEqualTo(5);
    stepper.closeSegment(RnnEvent.dense("k", 1, new float[0]), st, model, out);
    assertThat(emitted).extracting(o -> o.y).containsExactly(model.forwardSegment(xs));
    assertThat(st.openRows).isZero();
  }

  @Test
  void shouldRefuseEventsOverTheStepLimits() {
    RnnModel model = TestModels.model(TestModels.spec(CellType.GRU).bidirectional(true)
        .build(), "m", 1, 3);
    InferenceConfig config = config(RnnInference.builder().mode(Mode.MANY_TO_MANY)
        .maxStepsPerEvent(4).maxSegmentSteps(6));
    Stepper stepper = stepper(config);
    SequenceState st = start(config, model);
    assertThatThrownBy(() -> stepper.steps(RnnEvent.dense("k", 0, flat(xs, 0, 5)), model, st))
        .hasMessageContaining("more than maxStepsPerEvent=4");
    step(stepper, model, st, 0, 0, 4);
    assertThatThrownBy(() -> stepper.steps(RnnEvent.dense("k", 1, flat(xs, 0, 3)), model, st))
        .hasMessageContaining("would exceed maxSegmentSteps=6");
  }

  @Test
  void shouldRememberTheLastNInputsForReplay() {
    RnnModel model = TestModels.model(TestModels.spec(CellType.LSTM).build(), "m", 1, 2);
    InferenceConfig config = config(RnnInference.builder().mode(Mode.MANY_TO_MANY)
        .replayLastN(2));
    Stepper stepper = stepper(config);
    SequenceState st = start(config, model);
    step(stepper, model, st, 0, 0, 3);
    assertThat(st.ringCount).isEqualTo(2);
    int oldest = SequenceState.ringRow(st.ringNext, 2, 0, 2) * 3;
    assertThat(Arrays.copyOfRange(st.ring, oldest, oldest + 3)).containsExactly(xs[1]);
  }
}
