package io.rnnstream.cli;

import io.rnnstream.cli.kafka.LocalKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code kafka [--port N] [--dir D]}: a single-node KRaft broker as a process of its own. The
 * first line on stdout is {@code {"bootstrap": "HOST:PORT"}}, printed once the broker serves
 * clients; SIGTERM or Ctrl-C (SIGINT) shuts it down cleanly and the command exits 0.
 */
@Command(name = "kafka", description = "Run a local single-node Kafka broker (KRaft) until"
    + " SIGTERM or Ctrl-C; prints {\"bootstrap\": \"HOST:PORT\"} once it is ready.")
final class KafkaCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9092", paramLabel = "N",
      description = "client port (default 9092; 0 = a free port)")
  int port;

  @Option(names = "--dir", paramLabel = "D",
      description = "data directory, kept across restarts (default: a temporary directory,"
          + " deleted on exit)")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    CountDownLatch stop = new CountDownLatch(1);
    // Signal handlers, not a shutdown hook: the broker shuts down while the JVM still runs, and
    // the command returns 0 instead of the 143 of a JVM killed by SIGTERM.
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    try (LocalKafka kafka = LocalKafka.start(port, dir)) {
      // HOST:PORT needs no JSON escaping; spaced as the command's contract shows it
      System.out.println("{\"bootstrap\": \"" + kafka.bootstrapServers() + "\"}");
      System.out.flush();
      System.err.println("rnnstream kafka: serving " + kafka.bootstrapServers() + ", data in "
          + kafka.dataDirectory() + (dir == null ? " (deleted on exit)" : "")
          + "; SIGTERM or Ctrl-C stops it");
      stop.await();
      System.err.println("rnnstream kafka: stopping");
    }
    return 0;
  }
}
