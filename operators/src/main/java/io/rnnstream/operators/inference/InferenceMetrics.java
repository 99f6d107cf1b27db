package io.rnnstream.operators.inference;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The operator's metrics, under the group {@code rnnstream}: counters for events, outputs,
 * duplicates, dead letters, swaps and key migrations, a gauge of buffered events, a histogram of
 * per-event processing time (microseconds) and, per model name, a gauge of the active version.
 */
final class InferenceMetrics {
  final Counter events;
  final Counter outputs;
  final Counter duplicates;
  final Counter deadLetters;
  final Counter snapshotsAccepted;
  final Counter snapshotsRejected;
  final Counter keysMigrated;
  final Counter keysReset;
  final Counter carryFallbacks;
  final Counter keysExpired;
  final Counter gapsSkipped;
  final Histogram processingMicros;
  /** Micro-batching: bundles stepped, and the one-step events they held. */
  final Counter microBatches;
  final Counter microBatchedEvents;
  private final ActiveVersionGauges activeVersions;
  private long buffered;

  InferenceMetrics(MetricGroup parent) {
    MetricGroup group = parent.addGroup("rnnstream");
    events = group.counter("events");
    outputs = group.counter("outputs");
    duplicates = group.counter("duplicates");
    deadLetters = group.counter("deadLetters");
    snapshotsAccepted = group.counter("swaps");
    snapshotsRejected = group.counter("snapshotsRejected");
    keysMigrated = group.counter("keysMigrated");
    keysReset = group.counter("keysReset");
    carryFallbacks = group.counter("carryFallbacks");
    keysExpired = group.counter("keysExpired");
    gapsSkipped = group.counter("gapsSkipped");
    microBatches = group.counter("microBatches");
    microBatchedEvents = group.counter("microBatchedEvents");
    processingMicros = group.histogram("processingMicros", new DescriptiveStatisticsHistogram(4096));
    group.gauge("bufferedEvents", (Gauge<Long>) () -> buffered);
    activeVersions = new ActiveVersionGauges(group);
  }

  void buffered(long delta) {
    buffered += delta;
  }

  long buffered() {
    return buffered;
  }

  void activeVersion(String model, long version) {
    activeVersions.set(model, version);
  }
}
