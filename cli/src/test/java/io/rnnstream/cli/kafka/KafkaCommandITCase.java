package io.rnnstream.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rnnstream kafka} as users run it: a process of its own whose first stdout line names
 * the bootstrap address, stopped by SIGTERM with exit code 0, and whose {@code --dir} keeps the
 * topics and records across a restart.
 */
class KafkaCommandITCase {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The CLI in a child JVM on this test's classpath. */
  static Process startBroker(Path dir, Path stderr) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.rnnstream.cli.RnnstreamCli", "kafka", "--port", "0", "--dir", dir.toString())
        .redirectError(stderr.toFile())
        .start();
  }

  static String firstLine(Process p) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("first stdout line").isNotNull();
    return line;
  }

  static int stop(Process p) throws Exception {
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
    return p.exitValue();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void shouldPrintItsBootstrapAndKeepRecordsInItsDirectoryAcrossARestart(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("kafka");
    Process first = startBroker(dir, tmp.resolve("first.err"));
    try {
      String line = firstLine(first);
      assertThat(line).matches("\\{\"bootstrap\": \"127\\.0\\.0\\.1:\\d+\"}");
      String bootstrap = JSON.readTree(line).get("bootstrap").asText();
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      try (Admin admin = Admin.create(p)) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      p.put("key.serializer", StringSerializer.class.getName());
      p.put("value.serializer", StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        producer.send(new ProducerRecord<>("kept", "k", "v1")).get();
      }
    } finally {
      assertThat(stop(first)).as("exit code after SIGTERM").isZero();
    }
    assertThat(tmp.resolve("first.err")).content().contains("stopping");

    Process second = startBroker(dir, tmp.resolve("second.err"));
    try {
      JsonNode line = JSON.readTree(firstLine(second));
      assertThat(readAll(line.get("bootstrap").asText(), "kept")).containsExactly("v1");
    } finally {
      assertThat(stop(second)).isZero();
    }
  }

  static List<String> readAll(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "reader");
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
