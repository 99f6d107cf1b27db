package io.rnnstream.cli.run;

import io.rnnstream.jobs.kafka.KafkaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks, before a job starts, that Kafka answers and that the topics the job reads exist: a
 * Flink job against an absent broker or topic would otherwise retry in silence. Ends within
 * {@value #TIMEOUT_SECONDS} s with a one-line reason.
 */
public final class KafkaPreflight {
  static final int TIMEOUT_SECONDS = 20;

  private KafkaPreflight() {}

  /**
   * @throws IllegalStateException naming what is missing and what to do
   */
  public static void check(KafkaSettings kafka, List<String> topics) throws InterruptedException {
    Properties p = kafka.clientProperties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_SECONDS * 500));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_SECONDS * 1000));
    try (Admin admin = Admin.create(p)) {
      Set<String> existing;
      try {
        admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrap + " within "
            + TIMEOUT_SECONDS + " s: check --bootstrap (and --properties for a secured"
            + " cluster), and that the broker runs (./rnnstream kafka starts a local one)");
      }
      List<String> missing = new ArrayList<>();
      for (String t : topics) {
        if (!existing.contains(t)) {
          missing.add(t);
        }
      }
      if (!missing.isEmpty()) {
        boolean one = missing.size() == 1;
        throw new IllegalStateException("Kafka at " + kafka.bootstrap + " has no topic"
            + (one ? " " : "s ") + String.join(", ", missing) + ": create " + (one ? "it" : "them")
            + " (docker/create-topics.sh shows the settings) or name others with --input-topic"
            + " / --snapshot-topic");
      }
    }
  }
}
