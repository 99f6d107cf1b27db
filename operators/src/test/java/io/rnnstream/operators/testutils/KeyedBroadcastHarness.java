package io.rnnstream.operators.testutils;

import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Flink's keyed-broadcast operator harness (one subtask, String keys) around an operator with
 * events on one input and {@link ModelUpdate}s broadcast on the other, with the helpers the
 * operator tests share: send, advance processing time, read outputs and dead letters, take a
 * checkpoint, count keys with state.
 */
public class KeyedBroadcastHarness<IN, OUT> implements AutoCloseable {
  public final KeyedBroadcastOperatorTestHarness<String, IN, ModelUpdate, OUT> h;
  private final OutputTag<DeadLetter> deadLetterTag;
  private int outputsSeen;

  protected KeyedBroadcastHarness(KeyedBroadcastOperatorTestHarness<String, IN, ModelUpdate, OUT> h,
      OutputTag<DeadLetter> deadLetterTag) {
    this.h = h;
    this.deadLetterTag = deadLetterTag;
  }

  /**
   * A harness around {@code operator}, restored from {@code snapshot} (null: empty state) and
   * opened; on RocksDB when {@code rocksDb}: state is then serialized on every write, so a write
   * the operator forgets shows (on heap the backend keeps the very object the operator goes on
   * mutating).
   */
  public static <IN, OUT> KeyedBroadcastOperatorTestHarness<String, IN, ModelUpdate, OUT> opened(
      CoBroadcastWithKeyedOperator<String, IN, ModelUpdate, OUT> operator,
      KeySelector<IN, String> key, OperatorSubtaskState snapshot, boolean rocksDb)
      throws Exception {
    var h = new KeyedBroadcastOperatorTestHarness<>(operator, key, Types.STRING, 1, 1, 0);
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
    return h;
  }

  public void model(ModelUpdate u) throws Exception {
    h.processBroadcastElement(new StreamRecord<>(u));
  }

  public void event(IN e) throws Exception {
    h.processElement(new StreamRecord<>(e));
  }

  /** The end of input: the operator's finish (a micro-batching operator steps its bundle). */
  public void finish() throws Exception {
    h.getOperator().finish();
  }

  public void time(long processingTimeMs) throws Exception {
    h.setProcessingTime(processingTimeMs);
  }

  public List<OUT> outputs() {
    return h.extractOutputValues();
  }

  /** Outputs emitted since the last call. */
  public List<OUT> newOutputs() {
    List<OUT> all = outputs();
    List<OUT> fresh = new ArrayList<>(all.subList(outputsSeen, all.size()));
    outputsSeen = all.size();
    return fresh;
  }

  public List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    var side = h.getSideOutput(deadLetterTag);
    if (side != null) {
      side.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  /** A checkpoint as a task takes it: the pre-barrier hook, then the snapshot. */
  public OperatorSubtaskState snapshot(long id) throws Exception {
    h.prepareSnapshotPreBarrier(id);
    return h.snapshot(id, id);
  }

  /** Keys holding the keyed value state named {@code state}. */
  public long keysWithState(String state) throws Exception {
    try (var keys = h.getOperator().getKeyedStateBackend()
        .getKeys(state, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  /** The operator's function. */
  public Function function() {
    @SuppressWarnings("unchecked")
    var op = (CoBroadcastWithKeyedOperator<String, IN, ModelUpdate, OUT>) h.getOperator();
    return op.getUserFunction();
  }

  @Override
  public void close() throws Exception {
    h.close();
  }
}
