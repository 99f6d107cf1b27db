package io.rnnstream.operators.captions;

import io.rnnstream.operators.inference.ActiveVersionGauges;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The caption operator's metrics, group {@code rnnstream.captions}: counters of events, frames,
 * partial and final captions, duplicates, sequence gaps, dead letters, swaps, rejected snapshots,
 * streams reset and expired; a gauge of buffered events; a histogram of per-event processing time
 * (microseconds); per model name a gauge of the active version.
 */
final class CaptionMetrics {
  final Counter events;
  final Counter frames;
  final Counter partials;
  final Counter finals;
  final Counter duplicates;
  final Counter gaps;
  final Counter deadLetters;
  final Counter swaps;
  final Counter snapshotsRejected;
  final Counter streamsReset;
  final Counter streamsExpired;
  final Histogram processingMicros;
  private final ActiveVersionGauges activeVersions;
  private long buffered;

  CaptionMetrics(MetricGroup parent) {
    MetricGroup group = parent.addGroup("rnnstream").addGroup("captions");
    events = group.counter("events");
    frames = group.counter("frames");
    partials = group.counter("partials");
    finals = group.counter("finals");
    duplicates = group.counter("duplicates");
    gaps = group.counter("gaps");
    deadLetters = group.counter("deadLetters");
    swaps = group.counter("swaps");
    snapshotsRejected = group.counter("snapshotsRejected");
    streamsReset = group.counter("streamsReset");
    streamsExpired = group.counter("streamsExpired");
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
