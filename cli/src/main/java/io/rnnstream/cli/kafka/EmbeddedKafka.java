package io.rnnstream.cli.kafka;

import java.io.PrintStream;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) inside this JVM, from Kafka's
 * own test kit: what the demo and the end-to-end tests run against. Starts in a few seconds;
 * {@link #close()} stops it and deletes its logs.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private EmbeddedKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static EmbeddedKafka start() throws Exception {
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build());
    Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0",
            "unstable.api.versions.enable", "false",
            "unstable.feature.versions.enable", "false")
        .forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    PrintStream stdout = System.out;
    System.setOut(System.err); // the test kit prints its formatting to stdout: keep stdout clean
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    } finally {
      System.setOut(stdout);
    }
    return new EmbeddedKafka(cluster);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
