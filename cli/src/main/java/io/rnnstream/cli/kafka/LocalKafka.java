package io.rnnstream.cli.kafka;

import io.rnnstream.cli.run.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one server) whose data lives in a
 * directory of the caller's choice, so that it survives a restart: what {@code ./rnnstream
 * kafka --dir D} runs as a process of its own. The same server Kafka's own {@code kafka.Kafka}
 * starts, configured for one node (replication factor and minimum ISR 1 for the internal
 * topics, no initial rebalance delay).
 *
 * <p>The directory is formatted (a new cluster id) the first time; afterwards the broker starts
 * from what is in it. The client port is the caller's ({@code 0}: a free one is chosen); the
 * controller listens on a free loopback port of its own.
 */
public final class LocalKafka implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  /** How long {@link #start} waits for the broker to answer a metadata request. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrap;
  private final Path dir;
  private final boolean deleteOnClose;

  private LocalKafka(KafkaRaftServer server, String bootstrap, Path dir, boolean deleteOnClose) {
    this.server = server;
    this.bootstrap = bootstrap;
    this.dir = dir;
    this.deleteOnClose = deleteOnClose;
  }

  /**
   * Starts a broker on {@code port} (0: a free port) with its data in {@code dir} (null: a
   * temporary directory deleted by {@link #close()}), and returns once it serves clients.
   */
  public static LocalKafka start(int port, Path dir) throws Exception {
    boolean temporary = dir == null;
    Path data = temporary ? Files.createTempDirectory("rnnstream-kafka-") : dir;
    Files.createDirectories(data);
    int clientPort = port == 0 ? Ports.free() : port;
    int controllerPort = Ports.free();
    KafkaConfig config = KafkaConfig.fromProps(properties(data, clientPort, controllerPort));
    PrintStream stdout = System.out;
    System.setOut(System.err); // Kafka prints its formatting on stdout: keep stdout for our line
    KafkaRaftServer server = null;
    try {
      if (!Files.exists(data.resolve("meta.properties"))) {
        format(data);
      }
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      String bootstrap = HOST + ":" + clientPort;
      awaitReady(bootstrap);
      return new LocalKafka(server, bootstrap, data, temporary);
    } catch (Exception | Error e) {
      if (server != null) {
        server.shutdown();
        server.awaitShutdown();
      }
      if (temporary) {
        deleteRecursively(data);
      }
      throw e;
    } finally {
      System.setOut(stdout);
    }
  }

  /** {@code HOST:PORT} for clients. */
  public String bootstrapServers() {
    return bootstrap;
  }

  /** Where the broker keeps its logs and metadata. */
  public Path dataDirectory() {
    return dir;
  }

  /** Stops the broker (a controlled shutdown) and, for a temporary directory, deletes it. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      deleteRecursively(dir);
    }
  }

  static Properties properties(Path data, int clientPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":"
        + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", data.toAbsolutePath().toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("unstable.api.versions.enable", "false");
    p.put("unstable.feature.versions.enable", "false");
    return p;
  }

  /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does. */
  private static void format(Path data) throws Exception {
    new Formatter()
        .setPrintStream(System.err)
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(data.toAbsolutePath().toString()))
        .setMetadataLogDirectory(data.toAbsolutePath().toString())
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.latestProduction())
        .run();
  }

  private static void awaitReady(String bootstrap) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(p)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get().isEmpty()) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the broker at " + bootstrap + " did not become ready"
                + " within " + READY_TIMEOUT.toSeconds() + " s: " + e.getCause().getMessage(), e);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker at " + bootstrap + " did not become ready"
              + " within " + READY_TIMEOUT.toSeconds() + " s");
        }
        Thread.sleep(100);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
