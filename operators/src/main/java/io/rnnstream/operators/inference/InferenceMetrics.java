package io.rnnstream.operators.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  private final MetricGroup group;
  private final Map<String, Long> activeVersions = new ConcurrentHashMap<>();
  private long buffered;

  InferenceMetrics(MetricGroup parent) {
    group = parent.addGroup("rnnstream");
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
  }

  void buffered(long delta) {
    buffered += delta;
  }

  long buffered() {
    return buffered;
  }

  /**
   * Registers the gauge the first time a model name is seen, then updates its value. Called per
   * event: a read when nothing changed (a map write per event showed in profiles).
   */
  void activeVersion(String model, long version) {
    Long current = activeVersions.get(model);
    if (current != null && current == version) {
      return;
    }
    if (activeVersions.put(model, version) == null) {
      group.addGroup("model", model).gauge("activeVersion",
          (Gauge<Long>) () -> activeVersions.getOrDefault(model, -1L));
    }
  }
}
