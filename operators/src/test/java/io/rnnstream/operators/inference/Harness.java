package io.rnnstream.operators.inference;

import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** A keyed-broadcast operator harness around {@link RnnInferenceFunction}, with helpers. */
final class Harness implements AutoCloseable {
  final KeyedBroadcastOperatorTestHarness<String, RnnEvent, ModelUpdate, RnnOutput> h;
  private int outputsSeen;

  private Harness(KeyedBroadcastOperatorTestHarness<String, RnnEvent, ModelUpdate, RnnOutput> h) {
    this.h = h;
  }

  static Harness open(InferenceConfig config) throws Exception {
    return restore(config, null);
  }

  /** A fresh operator restored from {@code snapshot} (null: empty), opened, on heap state. */
  static Harness restore(InferenceConfig config, OperatorSubtaskState snapshot) throws Exception {
    return restore(config, snapshot, false);
  }

  /**
   * As {@link #restore(InferenceConfig, OperatorSubtaskState)}, on RocksDB when {@code rocksDb}:
   * state is then serialized on every write, so a write the operator forgets shows (on heap the
   * backend keeps the very object the operator goes on mutating).
   */
  static Harness restore(InferenceConfig config, OperatorSubtaskState snapshot, boolean rocksDb)
      throws Exception {
    RnnInferenceFunction function = new RnnInferenceFunction(config);
    CoBroadcastWithKeyedOperator<String, RnnEvent, ModelUpdate, RnnOutput> operator =
        config.microBatchSize() > 0
            ? new MicroBatchingInferenceOperator(function)
            : new CoBroadcastWithKeyedOperator<>(function, List.of(RnnInferenceFunction.MODELS));
    var h = new KeyedBroadcastOperatorTestHarness<>(
        operator, (RnnEvent e) -> e.key, Types.STRING, 1, 1, 0);
    if (rocksDb) {
      h.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
    h.setup();
    if (snapshot != null) {
      h.initializeState(snapshot);
    } else {
      h.initializeEmptyState();
    }
    h.open();
    return new Harness(h);
  }

  void model(ModelUpdate u) throws Exception {
    h.processBroadcastElement(new StreamRecord<>(u));
  }

  void event(RnnEvent e) throws Exception {
    h.processElement(new StreamRecord<>(e));
  }

  /** The end of input: the operator's finish (a micro-batching operator steps its bundle). */
  void finish() throws Exception {
    h.getOperator().finish();
  }

  void time(long processingTimeMs) throws Exception {
    h.setProcessingTime(processingTimeMs);
  }

  /** Outputs emitted since the last call. */
  List<RnnOutput> newOutputs() {
    List<RnnOutput> all = outputs();
    List<RnnOutput> fresh = new ArrayList<>(all.subList(outputsSeen, all.size()));
    outputsSeen = all.size();
    return fresh;
  }

  List<RnnOutput> outputs() {
    return h.extractOutputValues();
  }

  List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    var side = h.getSideOutput(RnnInferenceFunction.DEAD_LETTERS);
    if (side != null) {
      side.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  /** A checkpoint as a task takes it: the pre-barrier hook, then the snapshot. */
  OperatorSubtaskState snapshot(long id) throws Exception {
    h.prepareSnapshotPreBarrier(id);
    return h.snapshot(id, id);
  }

  /** Keys holding state (a {@code KeyState}). */
  long keysWithState() throws Exception {
    try (var keys = h.getOperator().getKeyedStateBackend()
        .getKeys(RnnInferenceFunction.STATE, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  InferenceMetrics metrics() {
    @SuppressWarnings("unchecked")
    var op = (CoBroadcastWithKeyedOperator<String, RnnEvent, ModelUpdate, RnnOutput>) h.getOperator();
    return ((RnnInferenceFunction) op.getUserFunction()).metrics();
  }

  @Override
  public void close() throws Exception {
    h.close();
  }
}
