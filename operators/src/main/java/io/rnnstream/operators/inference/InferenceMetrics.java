package io.rnnstream.operators.inference;

import io.rnnstream.operators.serving.ServingMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The inference operator's metrics, group {@code rnnstream}: the shared ones of {@link
 * ServingMetrics} (which documents the naming scheme) and
 *
 * <pre>
 * outputs              records emitted (STEP, STEPS, SEGMENT and ROLLING outputs)
 * carryFallbacks       keys reset because IMMEDIATE_CARRY or REPLAY_LAST_N could not carry
 *                      their state to the new version (also counted in keysReset)
 * microBatches         bundles stepped (micro-batching only)
 * microBatchedEvents   events those bundles held
 * </pre>
 */
final class InferenceMetrics extends ServingMetrics {
  final Counter outputs;
  final Counter carryFallbacks;
  final Counter microBatches;
  final Counter microBatchedEvents;

  InferenceMetrics(MetricGroup operator) {
    super(operator.addGroup("rnnstream"));
    outputs = group.counter("outputs");
    carryFallbacks = group.counter("carryFallbacks");
    microBatches = group.counter("microBatches");
    microBatchedEvents = group.counter("microBatchedEvents");
  }
}
