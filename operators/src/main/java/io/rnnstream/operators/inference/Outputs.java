package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import org.apache.flink.util.Collector;

/**
 * Emits the {@link RnnOutput}s of one key for one call (an event, a timer, or the completion of a
 * deferred step): knows the key, the collector and the processing time. Reused, re-pointed per
 * call with {@link #to}: the only allocation per output is the record and its copy of y.
 */
final class Outputs {
  private final InferenceMetrics metrics;
  private String key;
  private Collector<RnnOutput> out;
  private long now;
  private Long timestamp;

  Outputs(InferenceMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * Points at a call: outputs of {@code key} to {@code out}, latency measured at {@code now};
   * {@code timestamp} is the input record's (null: none), kept for a step deferred in this call.
   */
  Outputs to(String key, Collector<RnnOutput> out, long now, Long timestamp) {
    this.key = key;
    this.out = out;
    this.now = now;
    this.timestamp = timestamp;
    return this;
  }

  String key() {
    return key;
  }

  long now() {
    return now;
  }

  Long timestamp() {
    return timestamp;
  }

  void emit(RnnEvent e, RnnModel model, SequenceState st, RnnOutput.Kind kind, int step,
      float[] y) {
    emit(e, model, st, kind, step, y, null);
  }

  /** Emits one output; everything is set before collect (which may copy or serialize it). */
  void emit(RnnEvent e, RnnModel model, SequenceState st, RnnOutput.Kind kind, int step,
      float[] y, String[] tokens) {
    RnnOutput o = new RnnOutput();
    o.key = key;
    o.seq = e.seq;
    o.model = model.info().name();
    o.modelVersion = model.info().version();
    o.kind = kind;
    o.segment = st.segments;
    o.step = step;
    o.y = y.clone();
    Labels.decide(model.info().labels(), o);
    o.tokens = tokens;
    o.latencyMs = e.timestampMs > 0 ? Math.max(0, now - e.timestampMs) : 0;
    metrics.outputs.inc();
    out.collect(o);
  }
}
