package io.rnnstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.schemas.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
 * The job jar on a real Flink cluster: a standalone session cluster of separate OS processes
 * (one JobManager, two TaskManagers of one slot each, RocksDB state, incremental checkpoints;
 * {@link StandaloneFlinkCluster}) and a Kafka broker in a process of its own. The job jar is
 * uploaded and run through the REST API's jar endpoints (as the web UI submits a jar), and, for
 * the rescale, submitted with Flink's own {@code flink run} client, as {@code docker/submit.sh}
 * submits it.
 *
 * <p>A failure-free run of the sentiment job on one set of topics gives the expected outputs.
 * The same messages then go to a second job while one TaskManager is killed with SIGKILL and a
 * replacement started; that job is stopped with a savepoint and resumed from it with parallelism
 * 3 (keyed state redistributed) from a separately submitted copy of the jar. Its committed outputs
 * must equal the failure-free run's: every message's prediction and rolling conversation mood,
 * once, with the same numbers. It prints the recovery time after the kill and the checkpoints'
 * duration and size.
 */
class StandaloneClusterITCase {
  static final List<String> VOCAB = List.of("<unk>", "good", "bad", "great", "awful", "phone",
      "not", "love", "hate", "the", "is");
  static final int CONVERSATIONS = 12;
  static final int PER_CONVERSATION = 24;
  static final int MESSAGE_COUNT = CONVERSATIONS * PER_CONVERSATION;
  /** A prediction and a rolling mood per message. */
  static final int EXPECTED = MESSAGE_COUNT * 2;
  static final String ENTRY = "io.rnnstream.jobs.Main";
  static final Duration LONG = Duration.ofMinutes(3);

  /** (conversation, JSON chat message), seq-major: every part of the list touches every key. */
  static final List<Map.Entry<String, String>> MESSAGES = new ArrayList<>();

  @TempDir
  static Path tmp;
  static Path projectRoot;
  static BrokerProcess kafka;
  static StandaloneFlinkCluster flink;
  static FlinkRest rest;
  static boolean passed;

  static Path projectRoot() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("jobs/pom.xml"))) {
      p = p.getParent();
    }
    assertThat(p).as("the project root above " + System.getProperty("user.dir")).isNotNull();
    return p;
  }

  @BeforeAll
  static void startBrokerAndCluster() throws Exception {
    projectRoot = projectRoot();
    assertThat(projectRoot.resolve("jobs/target/rnnstream-jobs.jar"))
        .as("the job jar (built in the package phase, before this test)").exists();
    kafka = BrokerProcess.start(tmp.resolve("kafka"), tmp.resolve("kafka.out"),
        tmp.resolve("kafka.err"), LONG);
    String bootstrap = kafka.bootstrap();
    KafkaTestSupport.createTopics(bootstrap, Map.of("chat-reference", 3, "chat-cluster", 3,
        "model-snapshots", 1, "predictions-reference", 3, "predictions-cluster", 3,
        "dead-letters", 1), "model-snapshots");
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 6, 8).vocabSize(VOCAB.size())
        .pooling(Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    RnnModel v1 = RnnModel.create(spec, Initializers.uniform(spec, 7, 1.5),
        new ModelInfo("sentiment", 1, "2026-12-01T00:00:00Z", "test", null, VOCAB,
            List.of("negative", "positive")), "test");
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(bootstrap)) {
      KafkaTestSupport.send(producer, "model-snapshots", "sentiment",
          KafkaTestSupport.snapshotRecord(v1));
    }
    SplittableRandom r = new SplittableRandom(11);
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

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("taskmanager.numberOfTaskSlots", "1");
    settings.put("parallelism.default", "2");
    settings.put("jobmanager.memory.process.size", "768m");
    settings.put("taskmanager.memory.process.size", "1g");
    settings.put("taskmanager.memory.managed.size", "128m");
    settings.put("state.backend.type", "rocksdb");
    settings.put("execution.checkpointing.incremental", "true");
    settings.put("restart-strategy.type", "fixed-delay");
    settings.put("restart-strategy.fixed-delay.attempts", "1000");
    settings.put("restart-strategy.fixed-delay.delay", "1000");
    settings.put("slot.request.timeout", "10000");
    // a killed TaskManager is noticed within seconds, not the default 50
    settings.put("heartbeat.interval", "1000");
    settings.put("heartbeat.timeout", "10000");
    settings.put("metrics.fetcher.update-interval", "1000");
    flink = StandaloneFlinkCluster.configure(tmp.resolve("flink"), projectRoot, settings);
    rest = new FlinkRest(flink.restUrl());
    flink.startJobManager();
    flink.startTaskManager("tm-1");
    flink.startTaskManager("tm-2");
    FlinkRest.await("2 TaskManagers", LONG, () -> rest.get("/overview"),
        o -> o.path("taskmanagers").asInt() == 2);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    try {
      if (!passed && flink != null) {
        System.out.println(flink.tails(80));
      }
    } finally {
      if (flink != null) {
        flink.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /** The program arguments of {@code flink run rnnstream-jobs.jar ...} for one set of topics. */
  static List<String> args(String name) {
    return List.of("sentiment", "--bootstrap", kafka.bootstrap(), "--group-id", "cluster-" + name,
        "--input-topic", "chat-" + name, "--output-topic", "predictions-" + name,
        "--checkpoint-interval", "PT1S");
  }

  static JsonNode awaitRunning(String jobId) throws IOException, InterruptedException {
    FlinkRest.await("job " + jobId + " with all tasks running", LONG, () -> rest.job(jobId),
        j -> {
          try {
            return rest.allTasksRunning(jobId);
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    return rest.job(jobId).deepCopy();
  }

  static void awaitState(String jobId, String state) throws InterruptedException {
    FlinkRest.await("job " + jobId + " " + state, LONG, () -> rest.job(jobId),
        j -> state.equals(j.path("state").asText()));
  }

  /** Sends messages {@code [from, to)}, sleeping {@code pauseMs} after each: their send times. */
  static void send(String topic, int from, int to, long pauseMs, long[] sentAtMs)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka.bootstrap())) {
      for (int i = from; i < to; i++) {
        Map.Entry<String, String> m = MESSAGES.get(i);
        if (sentAtMs != null) {
          sentAtMs[i] = System.currentTimeMillis();
        }
        KafkaTestSupport.send(producer, topic, m.getKey(), m.getValue().getBytes());
        if (pauseMs > 0) {
          Thread.sleep(pauseMs);
        }
      }
    }
  }

  static Prediction decode(ConsumerRecord<byte[], byte[]> record) throws IOException {
    return new AvroCodec<>(Prediction.class).decode(record.value());
  }

  /** Every committed output by id (key/seq/kind), without the wall-clock latency field. */
  static Map<String, String> outputs(List<ConsumerRecord<byte[], byte[]>> records)
      throws IOException {
    Map<String, String> byId = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> rec : records) {
      Prediction p = decode(rec);
      p.setLatencyMs(0L);
      String id = p.getKey() + "/" + p.getSeq() + "/" + p.getKind();
      assertThat(byId.put(id, p.toString())).as("output %s committed twice", id).isNull();
    }
    return byId;
  }

  /**
   * The {@code rnnstream.outputs} counter of each subtask of the inference operator, once each
   * is positive (from the REST API's metrics, refreshed every second here).
   */
  static List<Long> outputsPerSubtask(String jobId, JsonNode job, int parallelism)
      throws Exception {
    String vertex = null;
    for (JsonNode v : job.path("vertices")) {
      if (v.path("name").asText().startsWith("rnnstream-inference")) {
        vertex = v.path("id").asText();
      }
    }
    assertThat(vertex).as("the inference vertex of %s", job).isNotNull();
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      String path = "/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/" + i + "/metrics";
      JsonNode ids = FlinkRest.await("the metrics of subtask " + i, LONG, () -> rest.get(path),
          m -> m.findValuesAsText("id").stream().anyMatch(id -> id.endsWith("rnnstream.outputs")));
      String id = ids.findValuesAsText("id").stream()
          .filter(n -> n.endsWith("rnnstream.outputs")).findFirst().orElseThrow();
      JsonNode value = FlinkRest.await("outputs of subtask " + i, LONG,
          () -> rest.get(path + "?get=" + id),
          m -> m.path(0).path("value").asLong() > 0);
      counts.add(value.path(0).path("value").asLong());
    }
    return counts;
  }

  /**
   * The statistics of the job's savepoint, once the REST API's cached checkpoint statistics
   * (refreshed every few seconds) show it; empty if they do not within 30 s (figures only).
   */
  static JsonNode savepointStats(String jobId) throws Exception {
    try {
      return FlinkRest.await("the savepoint's statistics", Duration.ofSeconds(30),
          () -> rest.checkpoints(jobId), c -> c.path("latest").path("savepoint")
              .path("state_size").asLong() > 0).path("latest").path("savepoint");
    } catch (AssertionError e) {
      return rest.checkpoints(jobId).path("latest").path("savepoint");
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void shouldCommitAFailureFreeRunsOutputsThroughATaskManagerKillAndARescaleFromASavepoint()
      throws Exception {
    long testStart = System.currentTimeMillis();
    Path jar = projectRoot.resolve("jobs/target/rnnstream-jobs.jar");
    String jarId = rest.upload(jar);

    // 1. The failure-free reference: every message, parallelism 2, nothing killed.
    String reference = rest.run(jarId, ENTRY, args("reference"), 2, null);
    awaitRunning(reference);
    send("chat-reference", 0, MESSAGE_COUNT, 0, null);
    try (CommittedOutputs out = new CommittedOutputs(kafka.bootstrap(),
        "predictions-reference")) {
      out.await(EXPECTED, LONG);
    }
    rest.cancel(reference);
    awaitState(reference, "CANCELED");
    Map<String, String> expected = outputs(CommittedOutputs.readAll(kafka.bootstrap(),
        "predictions-reference", LONG));
    assertThat(expected).hasSize(EXPECTED);
    long referenceDone = System.currentTimeMillis();

    // 2. The same messages, streamed, with a TaskManager killed mid-stream: the first third
    // before the kill, the second third after it, one message every 20 ms.
    int third = MESSAGE_COUNT / 3;
    long[] sentAtMs = new long[MESSAGE_COUNT];
    String job = rest.run(jarId, ENTRY, args("cluster"), 2, null);
    awaitRunning(job);
    Map<String, Integer> indexById = new HashMap<>();
    for (int i = 0; i < MESSAGE_COUNT; i++) {
      indexById.put(MESSAGES.get(i).getKey() + "/" + (i / CONVERSATIONS), i);
    }
    CountDownLatch killed = new CountDownLatch(1);
    CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
      try {
        send("chat-cluster", 0, third, 20, sentAtMs);
        killed.await();
        send("chat-cluster", third, 2 * third, 20, sentAtMs);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long killAtMs;
    long recoveryMs;
    long replacementMs;
    JsonNode checkpointsBeforeStop;
    try (CommittedOutputs out = new CommittedOutputs(kafka.bootstrap(), "predictions-cluster")) {
      // some outputs committed, the rest of the first third in flight or not yet sent
      out.await(third / 2, LONG);
      killAtMs = System.currentTimeMillis();
      flink.kill("tm-1");
      killed.countDown();
      flink.startTaskManager("tm-3");
      FlinkRest.await("the replacement TaskManager", LONG, () -> rest.get("/taskmanagers"),
          t -> t.path("taskmanagers").findValuesAsText("id").contains("tm-3"));
      replacementMs = System.currentTimeMillis() - killAtMs;
      List<CommittedOutputs.Seen> seen = out.await(4 * third, LONG);
      sender.get(1, TimeUnit.MINUTES);
      // Recovery: from the kill to the first committed output of a message sent after it (no
      // checkpoint can complete without the killed TaskManager's tasks, so only the restarted
      // job commits those).
      long firstNew = Long.MAX_VALUE;
      for (CommittedOutputs.Seen s : seen) {
        Prediction p = decode(s.record());
        int i = indexById.get(p.getKey() + "/" + p.getSeq());
        if (sentAtMs[i] > killAtMs) {
          firstNew = Math.min(firstNew, s.seenAtMs());
        }
      }
      assertThat(firstNew).as("an output of a message sent after the kill").isNotEqualTo(
          Long.MAX_VALUE);
      recoveryMs = firstNew - killAtMs;
      awaitRunning(job);
      checkpointsBeforeStop = rest.checkpoints(job);
    }
    assertThat(checkpointsBeforeStop.path("latest").path("restored").path("id").asLong())
        .as("restored from a checkpoint after the kill: %s", checkpointsBeforeStop).isPositive();
    long restoredAtMs = checkpointsBeforeStop.path("latest").path("restored")
        .path("restore_timestamp").asLong();

    // 3. Stop with a savepoint; a third TaskManager for parallelism 3 (tm-1 is gone).
    flink.startTaskManager("tm-4");
    Path savepoints = tmp.resolve("savepoints");
    long stopAtMs = System.currentTimeMillis();
    String savepoint = rest.awaitSavepoint(job, rest.stopWithSavepoint(job, savepoints), LONG);
    long savepointMs = System.currentTimeMillis() - stopAtMs;
    awaitState(job, "FINISHED");
    JsonNode savepointStats = savepointStats(job);
    FlinkRest.await("3 TaskManagers with free slots", LONG, () -> rest.get("/overview"),
        o -> o.path("taskmanagers").asInt() == 3 && o.path("slots-available").asInt() == 3);

    // 4. A rebuilt jar (another file) resumes the savepoint with parallelism 3, submitted with
    // `flink run` as docker/submit.sh submits it; the last third of the messages goes through
    // the redistributed keyed state.
    Path rebuilt = tmp.resolve("rnnstream-jobs-rebuilt.jar");
    Files.copy(jar, rebuilt);
    long resumeAtMs = System.currentTimeMillis();
    List<String> flinkRun = new ArrayList<>(List.of("run", "-d", "-m", flink.restAddress(),
        "-s", savepoint, "-p", "3", "-c", ENTRY, rebuilt.toString()));
    flinkRun.addAll(args("cluster"));
    String submitted = flink.flink("flink-run", flinkRun, LONG);
    Matcher id = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})")
        .matcher(submitted);
    assertThat(id.find()).as("flink run's output: %s", submitted).isTrue();
    String resumed = id.group(1);
    JsonNode resumedJob = awaitRunning(resumed);
    long resumeMs = System.currentTimeMillis() - resumeAtMs;
    int maxParallelism = 0;
    for (JsonNode v : resumedJob.path("vertices")) {
      maxParallelism = Math.max(maxParallelism, v.path("parallelism").asInt());
    }
    assertThat(maxParallelism).as("the resumed job's parallelism").isEqualTo(3);
    JsonNode restored = rest.checkpoints(resumed).path("latest").path("restored");
    assertThat(restored.path("is_savepoint").asBoolean()).as("restored: %s", restored).isTrue();
    send("chat-cluster", 2 * third, MESSAGE_COUNT, 0, null);
    try (CommittedOutputs out = new CommittedOutputs(kafka.bootstrap(), "predictions-cluster")) {
      out.await(EXPECTED, LONG);
    }
    // every one of the three inference subtasks emitted outputs: conversations whose state
    // was written by two subtasks are now served by three
    List<Long> outputsPerSubtask = outputsPerSubtask(resumed, resumedJob, 3);
    JsonNode checkpointsAfterRescale = rest.checkpoints(resumed);
    rest.cancel(resumed);
    awaitState(resumed, "CANCELED");
    List<ConsumerRecord<byte[], byte[]>> got = CommittedOutputs.readAll(kafka.bootstrap(),
        "predictions-cluster", LONG);

    assertThat(outputs(got)).isEqualTo(expected);

    JsonNode summary = checkpointsBeforeStop.path("summary");
    JsonNode latest = checkpointsBeforeStop.path("latest").path("completed");
    System.out.printf("StandaloneClusterITCase figures:%n"
            + "  recovery after kill -9 of a TaskManager: %d ms to the first new committed"
            + " output (%d ms to the replacement's registration, %d ms to the restore)%n"
            + "  checkpoints (1 s interval, RocksDB incremental, parallelism 2): %d completed,"
            + " end-to-end duration avg %d ms, max %d ms; checkpointed size avg %d B;"
            + " full state size %d B (latest)%n"
            + "  savepoint (stop-with-savepoint): %d ms, %d B; resume with parallelism 3:"
            + " %d ms to all tasks running; outputs per subtask %s; after rescale:"
            + " %d checkpoints, avg %d ms%n"
            + "  whole test: reference %d ms, total %d ms%n",
        recoveryMs, replacementMs, restoredAtMs - killAtMs,
        checkpointsBeforeStop.path("counts").path("completed").asInt(),
        summary.path("end_to_end_duration").path("avg").asLong(),
        summary.path("end_to_end_duration").path("max").asLong(),
        summary.path("checkpointed_size").path("avg").asLong(),
        latest.path("state_size").asLong(),
        savepointMs, savepointStats.path("state_size").asLong(), resumeMs, outputsPerSubtask,
        checkpointsAfterRescale.path("counts").path("completed").asInt(),
        checkpointsAfterRescale.path("summary").path("end_to_end_duration").path("avg")
            .asLong(),
        referenceDone - testStart, System.currentTimeMillis() - testStart);
    passed = true;
  }
}
