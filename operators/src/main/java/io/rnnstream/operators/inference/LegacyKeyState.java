package io.rnnstream.operators.inference;

import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.StringSerializer;

/**
 * Reads keyed state written by builds before {@link KeyState} (which kept a key's bookkeeping in
 * a {@link KeyMeta} ValueState and its per-model states in a MapState) and moves it into a
 * {@link KeyState} the first time the key is touched, so savepoints of those builds restore
 * without losing a key. Costs one lookup per state for keys that have no {@link KeyState} yet.
 */
final class LegacyKeyState {
  static final String META = "rnnstream-key";
  static final String SEQUENCES = "rnnstream-sequences";

  private final ValueState<KeyMeta> meta;
  private final MapState<String, SequenceState> sequences;

  LegacyKeyState(RuntimeContext ctx) {
    meta = ctx.getState(new ValueStateDescriptor<>(META, TypeInformation.of(KeyMeta.class)));
    sequences = ctx.getMapState(new MapStateDescriptor<>(
        SEQUENCES, StringSerializer.INSTANCE, SequenceStateSerializer.INSTANCE));
  }

  /**
   * The current key's state in the old layout as a {@link KeyState}, clearing the old states;
   * null when the key has none.
   */
  KeyState take() throws Exception {
    KeyMeta m = meta.value();
    if (m == null && sequences.isEmpty()) {
      return null;
    }
    KeyState ks = new KeyState();
    if (m != null) {
      ks.lastSeq = m.lastSeq;
      ks.waiting = m.waiting;
      ks.pending = m.pending;
      ks.gapDeadline = m.gapDeadline;
      ks.lastActive = m.lastActive;
      ks.idleTimer = m.idleTimer;
    }
    for (Map.Entry<String, SequenceState> e : sequences.entries()) {
      ks.add(e.getKey(), e.getValue());
    }
    meta.clear();
    sequences.clear();
    return ks;
  }
}
