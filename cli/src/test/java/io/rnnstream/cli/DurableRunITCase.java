package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.schemas.Prediction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run sentiment --state-dir D} as a user runs it: a process of its own against a broker.
 * A run killed with SIGKILL mid-stream and started again with the same command must commit
 * exactly what a run without failure commits (every message's prediction and rolling mood, once,
 * with the same numbers), and SIGTERM must stop a run with a savepoint and exit 0.
 */
class DurableRunITCase {
  static final List<String> VOCAB = List.of("<unk>", "good", "bad", "great", "awful", "phone",
      "not", "love", "hate", "the", "is");
  static final int CONVERSATIONS = 6;
  static final int PER_CONVERSATION = 40;
  /** A prediction and a rolling mood per message. */
  static final int EXPECTED = CONVERSATIONS * PER_CONVERSATION * 2;

  /** (conversation, JSON chat message) in the order they are sent. */
  static final List<Map.Entry<String, String>> MESSAGES = new ArrayList<>();

  static LocalKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = LocalKafka.start(0, null);
    String bootstrap = kafka.bootstrapServers();
    KafkaTestSupport.createTopics(bootstrap, Map.of("chat-reference", 2, "chat-killed", 2,
        "model-snapshots", 1, "predictions-reference", 2, "predictions-killed", 2,
        "dead-letters", 1), "model-snapshots");
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 6, 8).vocabSize(VOCAB.size())
        .pooling(Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    RnnModel v1 = RnnModel.create(spec, Initializers.uniform(spec, 7, 1.5),
        new ModelInfo("sentiment", 1, "2026-12-01T00:00:00Z", "test", null, VOCAB,
            List.of("negative", "positive")), "test");
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < PER_CONVERSATION; i++) {
      for (int c = 0; c < CONVERSATIONS; c++) {
        String key = "conversation-" + c;
        StringBuilder text = new StringBuilder();
        for (int w = 0, n = 1 + r.nextInt(5); w < n; w++) {
          text.append(w == 0 ? "" : " ").append(VOCAB.get(1 + r.nextInt(VOCAB.size() - 1)));
        }
        MESSAGES.add(Map.entry(key, "{\"conversationId\":\"" + key + "\",\"seq\":" + i
            + ",\"text\":\"" + text + "\"}"));
      }
    }
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(bootstrap)) {
      KafkaTestSupport.send(producer, "model-snapshots", "sentiment",
          KafkaTestSupport.snapshotRecord(v1));
    }
    send("chat-reference", 0, MESSAGES.size());
  }

  /** Sends messages {@code [from, to)} of {@link #MESSAGES} to {@code topic}. */
  static void send(String topic, int from, int to) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaTestSupport.producer(kafka.bootstrapServers())) {
      for (Map.Entry<String, String> m : MESSAGES.subList(from, to)) {
        KafkaTestSupport.send(producer, topic, m.getKey(), m.getValue().getBytes());
      }
    }
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  /** {@code ./rnnstream run sentiment ...} in a child JVM on this test's classpath. */
  static Process run(String name, Path stateDir, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
        "io.rnnstream.cli.RnnstreamCli", "run", "sentiment",
        "--bootstrap", kafka.bootstrapServers(), "--group-id", "run-" + name,
        "--input-topic", "chat-" + name,
        "--output-topic", "predictions-" + name, "--state-dir", stateDir.toString(),
        "--checkpoint-interval", "PT1S", "--parallelism", "2", "--web-port", "0",
        "--metrics-port", "0", "--status-interval", "PT1S")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  static List<ConsumerRecord<byte[], byte[]>> committed(String topic, int atLeast) {
    return KafkaTestSupport.readCommitted(kafka.bootstrapServers(), topic,
        got -> got.size() >= atLeast, Duration.ofMinutes(3));
  }

  /** Every committed output by id (key/seq/kind), without the wall-clock latency field. */
  static Map<String, String> outputs(List<ConsumerRecord<byte[], byte[]>> records)
      throws java.io.IOException {
    AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.class);
    Map<String, String> byId = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> rec : records) {
      Prediction p = codec.decode(rec.value());
      p.setLatencyMs(0L);
      String id = p.getKey() + "/" + p.getSeq() + "/" + p.getKind();
      assertThat(byId.put(id, p.toString())).as("output %s committed twice", id).isNull();
    }
    return byId;
  }

  /** The metrics page of the newest run in {@code log}, as Prometheus scrapes it. */
  static String prometheus(Path log) throws Exception {
    Matcher m = Pattern.compile("Prometheus metrics: (http://localhost:[0-9]+/metrics)")
        .matcher(Files.readString(log));
    String url = null;
    while (m.find()) {
      url = m.group(1);
    }
    assertThat(url).as("the metrics address in the run's first lines").isNotNull();
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    return page.body();
  }

  static int sigterm(Process p) throws Exception {
    p.destroy();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("stopped after SIGTERM").isTrue();
    return p.exitValue();
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void shouldCommitExactlyAFailureFreeRunsOutputsAfterAKillAndARestart(@TempDir Path tmp)
      throws Exception {
    Path referenceLog = tmp.resolve("reference.log");
    Process reference = run("reference", tmp.resolve("state-reference"), referenceLog);
    List<ConsumerRecord<byte[], byte[]>> expected = committed("predictions-reference", EXPECTED);
    assertThat(sigterm(reference)).as(Files.readString(referenceLog)).isZero();
    assertThat(referenceLog).content().contains("starting fresh")
        .contains("stopped with a savepoint at");
    assertThat(expected).hasSize(EXPECTED);

    // The same messages in three parts: the run is killed after the first part's outputs are
    // committed, the second part arrives while no job runs, the third after the restart.
    int third = MESSAGES.size() / 3;
    Path killedLog = tmp.resolve("killed.log");
    Path state = tmp.resolve("state-killed");
    Process first = run("killed", state, killedLog);
    send("chat-killed", 0, third);
    committed("predictions-killed", 2 * third);
    first.destroyForcibly(); // SIGKILL: no savepoint, no clean shutdown
    assertThat(first.waitFor(1, TimeUnit.MINUTES)).isTrue();
    send("chat-killed", third, 2 * third);
    Process second = run("killed", state, killedLog);
    send("chat-killed", 2 * third, MESSAGES.size());
    List<ConsumerRecord<byte[], byte[]>> got = committed("predictions-killed", EXPECTED);
    String metrics = prometheus(killedLog);
    assertThat(sigterm(second)).as(Files.readString(killedLog)).isZero();
    assertThat(killedLog).content().contains("resuming from " + state.toAbsolutePath());
    // everything committed up to the stop, so that an output committed twice would be seen
    got = KafkaTestSupport.readCommitted(kafka.bootstrapServers(), "predictions-killed",
        all -> false, Duration.ofSeconds(20));

    assertThat(outputs(got)).isEqualTo(outputs(expected));
    // observable while it ran: status lines with the served version, Prometheus with our metrics
    assertThat(killedLog).content().containsPattern("status: in [0-9.]+ events/s, out [0-9.]+/s,"
        + " dead letters 0, models sentiment v1, checkpoint [0-9]+");
    assertThat(metrics).contains("_rnnstream_events").contains("_rnnstream_outputs");
  }

  @Test
  void shouldEndWithAOneLineReasonWhenTheBrokerIsUnreachable() {
    try (CliCapture cli = CliCapture.open()) {
      long start = System.nanoTime();
      int rc = cli.run(null, "run", "sentiment", "--bootstrap", "127.0.0.1:1");
      assertThat(rc).isEqualTo(1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
      assertThat(cli.stderr()).contains("rnnstream run: cannot reach Kafka at 127.0.0.1:1");
    }
  }

  @Test
  void shouldNameAMissingTopicAndSayWhenStateIsInMemoryOnly() {
    try (CliCapture cli = CliCapture.open()) {
      int rc = cli.run(null, "run", "sentiment", "--bootstrap", kafka.bootstrapServers(),
          "--input-topic", "no-such-topic");
      assertThat(rc).isEqualTo(1);
      assertThat(cli.stderr()).contains("has no topic no-such-topic");
      assertThat(String.join("\n", cli.stdout())).contains("state: in memory only");
    }
  }
}
