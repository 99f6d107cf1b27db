package io.rnnstream.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./rnnstream kafka --port 0 --dir D} in a process of its own (this JVM's classpath): a
 * single-node KRaft broker whose first stdout line is {@code {"bootstrap": "HOST:PORT"}}.
 */
public final class BrokerProcess implements AutoCloseable {
  private final Process process;
  private final String bootstrap;

  private BrokerProcess(Process process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-broker"));
  }

  public static BrokerProcess start(Path dir, Path stdout, Path stderr, Duration timeout)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "io.rnnstream.cli.RnnstreamCli", "kafka", "--port", "0", "--dir", dir.toString())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = Files.readAllLines(stdout);
      if (!lines.isEmpty() && lines.get(0).endsWith("}")) {
        String bootstrap = new ObjectMapper().readTree(lines.get(0)).get("bootstrap").asText();
        return new BrokerProcess(p, bootstrap);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("rnnstream kafka exited with " + p.exitValue() + ": "
            + Files.readString(stderr));
      }
      Thread.sleep(200);
    }
    p.destroyForcibly();
    throw new IllegalStateException("rnnstream kafka printed no bootstrap line in " + timeout
        + ": " + Files.readString(stderr));
  }

  public String bootstrap() {
    return bootstrap;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
