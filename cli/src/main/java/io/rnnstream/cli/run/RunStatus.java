package io.rnnstream.cli.run;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The one-line status of a local run, read from the job's own metrics: a Flink metric reporter
 * ({@link Factory}, configured by {@link #configure}) that runs inside the local cluster of this
 * process and keeps a reference to every metric the status line needs.
 *
 * <pre>
 * status: in 512.3 events/s, out 1024.6/s, dead letters 0, models sentiment v2,
 *         checkpoint 14 (81 ms, 1.2 MB), lag 0
 * </pre>
 *
 * Rates are over the time since the previous line. "in" counts the operators' {@code events},
 * "out" the inference {@code outputs} and the caption {@code partials} and {@code finals}; the
 * lag is the Kafka source's {@code pendingRecords} summed over its readers, when Kafka reports
 * it.
 */
public final class RunStatus {
  private static final String NAME = "rnnstream-status";
  /** The reporter Flink created in this process; one local run per process. */
  private static volatile Reporter reporter;

  private long lastIn;
  private long lastOut;
  private long lastNanos = System.nanoTime();

  /** Adds the status reporter to a local run's configuration. */
  public static void configure(org.apache.flink.configuration.Configuration conf) {
    conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
  }

  /** The status line now, or a line saying that the job's metrics are not there yet. */
  public String line() {
    Reporter r = reporter;
    if (r == null) {
      return "status: starting";
    }
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    long in = r.sum("events");
    long out = r.sum("outputs") + r.sum("partials") + r.sum("finals");
    String line = String.format(Locale.ROOT,
        "status: in %.1f events/s, out %.1f/s, dead letters %d, models %s, %s%s",
        (in - lastIn) / seconds, (out - lastOut) / seconds, r.sum("deadLetters"),
        r.versions(), r.checkpoint(), r.lag());
    lastIn = in;
    lastOut = out;
    lastNanos = now;
    return line;
  }

  /** Keeps the metrics the status line reads, by name; counters summed over subtasks. */
  static final class Reporter implements MetricReporter {
    private final Map<Metric, String> counters = new ConcurrentHashMap<>();
    private final Map<Metric, String> gauges = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {
      reporter = this;
    }

    @Override
    public void close() {
      if (reporter == this) {
        reporter = null;
      }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
      // the operators' own metrics are under a group named "rnnstream" (docs/operator.md)
      boolean ours = java.util.Arrays.asList(group.getScopeComponents()).contains("rnnstream");
      if (metric instanceof Counter && ours) {
        counters.put(metric, name);
      } else if (metric instanceof Gauge<?> && (ours && name.equals("activeVersion")
          || name.equals("lastCompletedCheckpointId") || name.equals("lastCheckpointDuration")
          || name.equals("lastCheckpointSize") || name.equals("pendingRecords"))) {
        gauges.put(metric, ours && name.equals("activeVersion")
            ? "model." + modelName(group) : name);
      }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
      counters.remove(metric);
      gauges.remove(metric);
    }

    /** The model of an {@code activeVersion} gauge: its group's last scope component. */
    private static String modelName(MetricGroup group) {
      String[] scope = group.getScopeComponents();
      return scope.length == 0 ? "?" : scope[scope.length - 1];
    }

    long sum(String name) {
      long total = 0;
      for (Map.Entry<Metric, String> e : counters.entrySet()) {
        if (e.getValue().equals(name)) {
          total += ((Counter) e.getKey()).getCount();
        }
      }
      return total;
    }

    private long gauge(String name, long absent) {
      long best = absent;
      for (Map.Entry<Metric, String> e : gauges.entrySet()) {
        if (e.getValue().equals(name) && ((Gauge<?>) e.getKey()).getValue() instanceof Number n) {
          best = best == absent ? n.longValue() : Math.max(best, n.longValue());
        }
      }
      return best;
    }

    String versions() {
      Map<String, Long> newest = new TreeMap<>();
      for (Map.Entry<Metric, String> e : gauges.entrySet()) {
        if (e.getValue().startsWith("model.")
            && ((Gauge<?>) e.getKey()).getValue() instanceof Number n && n.longValue() > 0) {
          newest.merge(e.getValue().substring("model.".length()), n.longValue(), Math::max);
        }
      }
      if (newest.isEmpty()) {
        return "none yet";
      }
      StringBuilder b = new StringBuilder();
      newest.forEach((model, v) -> b.append(b.length() == 0 ? "" : ", ").append(model)
          .append(" v").append(v));
      return b.toString();
    }

    String checkpoint() {
      long id = gauge("lastCompletedCheckpointId", -1);
      if (id <= 0) {
        return "no checkpoint yet";
      }
      return String.format(Locale.ROOT, "checkpoint %d (%d ms, %.1f KB)", id,
          gauge("lastCheckpointDuration", 0), gauge("lastCheckpointSize", 0) / 1024.0);
    }

    String lag() {
      long lag = 0;
      boolean any = false;
      for (Map.Entry<Metric, String> e : gauges.entrySet()) {
        if (e.getValue().equals("pendingRecords")
            && ((Gauge<?>) e.getKey()).getValue() instanceof Number n && n.longValue() >= 0) {
          lag += n.longValue();
          any = true;
        }
      }
      return any ? ", lag " + lag : "";
    }
  }

  /** Creates the {@link Reporter}; named in the run's configuration by {@link #configure}. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new Reporter();
    }
  }
}
