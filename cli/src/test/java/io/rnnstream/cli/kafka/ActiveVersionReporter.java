package io.rnnstream.cli.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for MiniCluster tests that keeps the inference operators' live
 * {@code model.<name>.activeVersion} gauges, one per job, model and subtask (the latest attempt's),
 * so that a test can wait until every subtask serves a version instead of hoping it does by the
 * time its next input arrives. Register it with {@link #addTo}; its state is static because Flink
 * creates the reporter itself.
 */
public final class ActiveVersionReporter implements MetricReporter {
  private static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

  /** Adds this reporter to a MiniCluster's configuration; returns {@code conf}. */
  public static Configuration addTo(Configuration conf) {
    MetricOptions.forReporter(conf, "active-versions")
        .set(MetricOptions.REPORTER_FACTORY_CLASS, Factory.class.getName());
    return conf;
  }

  /**
   * Waits until {@code subtasks} subtasks of {@code job} serve {@code model} at {@code version}
   * (or later); throws when that has not happened within {@code timeout}, a bound for a hang only.
   */
  public static void awaitVersion(JobID job, String model, long version, int subtasks,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Long> serving = serving(job, model);
      if (serving.size() == subtasks && serving.values().stream().allMatch(v -> v >= version)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("after " + timeout + " the subtasks of job " + job + " serve "
            + model + " at " + serving + " (subtask -> version), not all at " + version);
      }
      Thread.sleep(20);
    }
  }

  /** Subtask index -> the version of {@code model} it serves, for subtasks that serve one. */
  static Map<String, Long> serving(JobID job, String model) {
    Map<String, Long> out = new java.util.TreeMap<>();
    String prefix = job + "/" + model + "/";
    GAUGES.forEach((k, g) -> {
      if (k.startsWith(prefix) && g.getValue() instanceof Long v) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  private static String key(Metric metric, String name, MetricGroup group) {
    if (!"activeVersion".equals(name) || !(metric instanceof Gauge)) {
      return null;
    }
    Map<String, String> vars = group.getAllVariables();
    String model = vars.get("model");
    if (model == null) {
      model = vars.get("<model>");
    }
    String job = vars.get("<job_id>");
    String subtask = vars.get("<subtask_index>");
    return model == null || job == null || subtask == null ? null
        : job + "/" + model + "/" + subtask;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    String key = key(metric, name, group);
    if (key != null) {
      GAUGES.put(key, (Gauge<?>) metric); // a restarted attempt's gauge replaces the old one
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    String key = key(metric, name, group);
    if (key != null) {
      GAUGES.remove(key, metric);
    }
  }

  /** Flink instantiates reporters through a factory named in the configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new ActiveVersionReporter();
    }
  }
}
