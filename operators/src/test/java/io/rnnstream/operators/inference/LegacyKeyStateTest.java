package io.rnnstream.operators.inference;

import static io.rnnstream.operators.inference.RnnInferenceFunctionTest.dense;
import static io.rnnstream.operators.inference.RnnInferenceFunctionTest.manyToMany;
import static io.rnnstream.operators.testutils.TestModels.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.testutils.TestModels;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints of builds before {@link KeyState} (a {@link KeyMeta} ValueState plus a MapState of
 * per-model states) restore without losing a key: the first event of the key moves it over.
 */
class LegacyKeyStateTest {

  @Test
  void shouldContinueAKeyWrittenInThePreKeyStateLayout() throws Exception {
    RnnModel model = TestModels.model(TestModels.spec(CellType.LSTM).build(), "m", 1, 3);
    float[][] xs = inputs(6, 5);
    float[][] expected = model.forward(xs);
    OperatorSubtaskState old;
    try (Harness h = Harness.open(manyToMany())) {
      h.model(TestModels.update(model));
      h.event(dense("a", 0, xs, 0, 3));
      h.event(dense("b", 0, xs, 0, 1));
      rewriteInLegacyLayout(h, "a");
      assertThat(h.keysWithState()).isEqualTo(1); // only b is in the new layout now
      old = h.snapshot(1);
    }
    try (Harness h = Harness.restore(manyToMany(), old)) {
      h.event(dense("a", 0, xs, 0, 3)); // a redelivery: the migrated sequence number drops it
      h.event(dense("a", 1, xs, 3, 6));
      List<RnnOutput> out = h.outputs();
      assertThat(out).hasSize(3);
      for (int t = 3; t < 6; t++) {
        RnnOutput o = out.get(t - 3);
        assertThat(o.step).isEqualTo(t);
        assertThat(o.y).as("step %d", t).containsExactly(expected[t]);
      }
      assertThat(h.metrics().duplicates.getCount()).isEqualTo(1);
      assertThat(h.keysWithState()).isEqualTo(2);
      assertThat(legacyKeys(h)).isZero();
    }
  }

  /** Moves {@code key}'s {@link KeyState} into the old two-state layout, as old builds wrote it. */
  private static void rewriteInLegacyLayout(Harness h, String key) throws Exception {
    KeyedStateBackend<Object> backend = h.h.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(key);
    ValueState<KeyState> current = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE,
        new ValueStateDescriptor<>(RnnInferenceFunction.STATE, KeyStateSerializer.INSTANCE));
    ValueState<KeyMeta> meta = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE,
        new ValueStateDescriptor<>(LegacyKeyState.META, TypeInformation.of(KeyMeta.class)));
    MapState<String, SequenceState> sequences = backend.getPartitionedState(
        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, new MapStateDescriptor<>(
            LegacyKeyState.SEQUENCES, StringSerializer.INSTANCE,
            SequenceStateSerializer.INSTANCE));
    KeyState ks = current.value();
    KeyMeta m = new KeyMeta();
    m.lastSeq = ks.lastSeq;
    m.waiting = ks.waiting;
    m.pending = ks.pending;
    m.gapDeadline = ks.gapDeadline;
    m.lastActive = ks.lastActive;
    m.idleTimer = ks.idleTimer;
    meta.update(m);
    for (int i = 0; i < ks.models(); i++) {
      sequences.put(ks.name(i), ks.sequence(i));
    }
    current.clear();
  }

  private static long legacyKeys(Harness h) throws Exception {
    long n = 0;
    for (String name : List.of(LegacyKeyState.META, LegacyKeyState.SEQUENCES)) {
      try (var keys = h.h.getOperator().getKeyedStateBackend()
          .getKeys(name, VoidNamespace.INSTANCE)) {
        n += keys.count();
      }
    }
    return n;
  }
}
