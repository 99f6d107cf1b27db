package io.rnnstream.operators.serving;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics every model-serving keyed operator has, under the operator's own group ({@code
 * rnnstream} for inference, {@code rnnstream.captions} for captions); each operator's subclass
 * adds its own.
 *
 * <p>One naming scheme for every operator:
 *
 * <ul>
 *   <li>A counter of records that pass is the plural of what it counts: {@code events} (every
 *       event received), {@code outputs}, {@code frames}, {@code partials}, {@code finals},
 *       {@code duplicates}, {@code deadLetters}, {@code microBatches}, {@code
 *       microBatchedEvents}, {@code carryFallbacks}.
 *   <li>A counter of what happened to something is its subject and a past participle. Subjects:
 *       {@code models} (snapshots on the broadcast input), {@code keys} (the operator's key: an
 *       inference key, a caption stream; for inference, one key's state of one model name), and
 *       {@code gaps} (missing sequence numbers). So {@code modelsAccepted}, {@code
 *       modelsRejected}, {@code keysMigrated}, {@code keysReset}, {@code keysExpired}, {@code
 *       gapsSkipped}.
 *   <li>A gauge is the amount it shows, a noun: {@code bufferedEvents}, {@code
 *       model.<name>.activeVersion}.
 *   <li>A histogram is a measure and its unit: {@code processingMicros}.
 * </ul>
 *
 * <p>The shared ones:
 *
 * <pre>
 * events            events received on the keyed input (dropped and dead-lettered ones too)
 * duplicates        events dropped because their sequence number was already processed
 * deadLetters       records sent to the dead-letter side output: events and snapshots
 * modelsAccepted    snapshots installed as a new version
 * modelsRejected    snapshots refused (each instance counts it; subtask 0 dead-letters it)
 * keysMigrated      keys moved to a newer version with their state carried or replayed
 * keysReset         keys whose recurrent state went back to zero (swap fallback, gap policy
 *                   RESET, the version of an open segment evicted)
 * keysExpired       keys whose state was cleared after the idle timeout
 * gapsSkipped       gaps in a key's sequence numbers that processing went past
 * bufferedEvents    events held per key: waiting for a first model version or behind a gap
 * processingMicros  processing time of one event on the keyed input, in microseconds
 * model.&lt;name&gt;.activeVersion   the newest version of the model the operator serves
 * </pre>
 */
public class ServingMetrics {
  public final Counter events;
  public final Counter duplicates;
  public final Counter deadLetters;
  public final Counter modelsAccepted;
  public final Counter modelsRejected;
  public final Counter keysMigrated;
  public final Counter keysReset;
  public final Counter keysExpired;
  public final Counter gapsSkipped;
  public final Histogram processingMicros;
  /** The operator's group, for the metrics a subclass adds. */
  protected final MetricGroup group;
  private final ActiveVersionGauges activeVersions;
  private long buffered;

  protected ServingMetrics(MetricGroup group) {
    this.group = group;
    events = group.counter("events");
    duplicates = group.counter("duplicates");
    deadLetters = group.counter("deadLetters");
    modelsAccepted = group.counter("modelsAccepted");
    modelsRejected = group.counter("modelsRejected");
    keysMigrated = group.counter("keysMigrated");
    keysReset = group.counter("keysReset");
    keysExpired = group.counter("keysExpired");
    gapsSkipped = group.counter("gapsSkipped");
    processingMicros = group.histogram("processingMicros", new DescriptiveStatisticsHistogram(4096));
    group.gauge("bufferedEvents", (Gauge<Long>) () -> buffered);
    activeVersions = new ActiveVersionGauges(group);
  }

  /** Events held per key changed by {@code delta}. */
  public void buffered(long delta) {
    buffered += delta;
  }

  public long buffered() {
    return buffered;
  }

  public void activeVersion(String model, long version) {
    activeVersions.set(model, version);
  }
}
