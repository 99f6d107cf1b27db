package io.rnnstream.operators.serving;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per model name, a gauge {@code model.<name>.activeVersion} under an operator's metric group:
 * the version the operator serves (shared by the inference and caption operators).
 */
public final class ActiveVersionGauges {
  private final MetricGroup group;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  public ActiveVersionGauges(MetricGroup group) {
    this.group = group;
  }

  /**
   * Registers the gauge the first time a model name is seen, then updates its value. Called per
   * event: a read when nothing changed (a map write per event showed in profiles).
   */
  public void set(String model, long version) {
    Long current = versions.get(model);
    if (current != null && current == version) {
      return;
    }
    if (versions.put(model, version) == null) {
      group.addGroup("model", model).gauge("activeVersion",
          (Gauge<Long>) () -> versions.getOrDefault(model, -1L));
    }
  }
}
