package io.rnnstream.operators.captions;

import io.rnnstream.operators.serving.ServingMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The caption operator's metrics, group {@code rnnstream.captions}: the shared ones of {@link
 * ServingMetrics} (which documents the naming scheme; a key is a stream here) and
 *
 * <pre>
 * frames     feature frames run through the model
 * partials   partial (revisable) captions emitted
 * finals     final captions emitted (one per utterance)
 * </pre>
 */
final class CaptionMetrics extends ServingMetrics {
  final Counter frames;
  final Counter partials;
  final Counter finals;

  CaptionMetrics(MetricGroup operator) {
    super(operator.addGroup("rnnstream").addGroup("captions"));
    frames = group.counter("frames");
    partials = group.counter("partials");
    finals = group.counter("finals");
  }
}
