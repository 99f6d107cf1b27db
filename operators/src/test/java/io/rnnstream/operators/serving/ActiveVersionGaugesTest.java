package io.rnnstream.operators.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** One gauge per model name, registered once, reading the latest version. */
class ActiveVersionGaugesTest {

  /** Records gauges under their dotted path. */
  static final class Recording extends UnregisteredMetricsGroup {
    final Map<String, Gauge<?>> gauges;
    final String path;

    Recording(Map<String, Gauge<?>> gauges, String path) {
      this.gauges = gauges;
      this.path = path;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      assertThat(gauges.put(path + name, gauge)).as("registered twice: " + path + name).isNull();
      return gauge;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new Recording(gauges, path + key + "." + value + ".");
    }
  }

  @Test
  void shouldRegisterOneGaugePerModelAndReadTheLatestVersion() {
    Map<String, Gauge<?>> gauges = new HashMap<>();
    ActiveVersionGauges versions = new ActiveVersionGauges(new Recording(gauges, ""));
    versions.set("sentiment", 1);
    versions.set("sentiment", 1);
    versions.set("slots", 4);
    versions.set("sentiment", 2);
    assertThat(gauges).containsOnlyKeys("model.sentiment.activeVersion",
        "model.slots.activeVersion");
    assertThat(gauges.get("model.sentiment.activeVersion").getValue()).isEqualTo(2L);
    assertThat(gauges.get("model.slots.activeVersion").getValue()).isEqualTo(4L);
  }
}
