package io.rnnstream.operators.inference;

import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.testutils.KeyedBroadcastHarness;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * The shared harness around {@link RnnInferenceFunction}: the plain operator, or the
 * micro-batching one when the config asks for micro-batches.
 */
final class Harness extends KeyedBroadcastHarness<RnnEvent, RnnOutput> {

  private Harness(InferenceConfig config, OperatorSubtaskState snapshot, boolean rocksDb)
      throws Exception {
    super(opened(operator(config), (RnnEvent e) -> e.key, snapshot, rocksDb),
        RnnInferenceFunction.DEAD_LETTERS);
  }

  private static CoBroadcastWithKeyedOperator<String, RnnEvent, ModelUpdate, RnnOutput> operator(
      InferenceConfig config) {
    RnnInferenceFunction function = new RnnInferenceFunction(config);
    return config.microBatchSize() > 0
        ? new MicroBatchingInferenceOperator(function)
        : new CoBroadcastWithKeyedOperator<>(function, List.of(RnnInferenceFunction.MODELS));
  }

  static Harness open(InferenceConfig config) throws Exception {
    return new Harness(config, null, false);
  }

  /** A fresh operator restored from {@code snapshot} (null: empty), opened, on heap state. */
  static Harness restore(InferenceConfig config, OperatorSubtaskState snapshot) throws Exception {
    return new Harness(config, snapshot, false);
  }

  /** As {@link #restore(InferenceConfig, OperatorSubtaskState)}, on RocksDB when asked. */
  static Harness restore(InferenceConfig config, OperatorSubtaskState snapshot, boolean rocksDb)
      throws Exception {
    return new Harness(config, snapshot, rocksDb);
  }

  /** Keys holding state (a {@code KeyState}). */
  long keysWithState() throws Exception {
    return keysWithState(RnnInferenceFunction.STATE);
  }

  InferenceMetrics metrics() {
    return ((RnnInferenceFunction) function()).metrics();
  }
}
