package io.rnnstream.cli.demo;

import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.sentiment.SentimentJob;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.schemas.ChatMessage;
import io.rnnstream.schemas.Prediction;
import io.rnnstream.training.data.SentimentData;
import io.rnnstream.training.data.SentimentExample;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The sentiment demo, all in one JVM: an embedded KRaft broker, a local Flink running the
 * sentiment job, real review sentences streamed as chat messages of many conversations, live
 * predictions read back (read_committed), and part-way a freshly fine-tuned version 2 published
 * to the model topic. Ends with a summary: messages, accuracy per model version, throughput and
 * latency percentiles.
 */
public final class SentimentDemo {
  /** Demo settings. */
  public record Settings(Path model, int conversations, double messagesPerSecond,
      int fineTuneEpochs, Duration drainTimeout) {}

  private static final String MESSAGES = "chat-messages";
  private static final String PREDICTIONS = "sentiment-predictions";

  private final Settings settings;
  private final PrintStream out;
  private final java.util.concurrent.atomic.AtomicInteger scored =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger duplicates =
      new java.util.concurrent.atomic.AtomicInteger();

  public SentimentDemo(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** One sent message and what came back for it. */
  private static final class Tracked {
    final String key;
    final long seq;
    final String text;
    final int label;
    volatile long sentAtMs;
    volatile Prediction segment;
    volatile Prediction rolling;
    volatile long receivedAtMs;

    Tracked(String key, long seq, SentimentExample e) {
      this.key = key;
      this.seq = seq;
      this.text = e.text();
      this.label = e.label();
    }
  }

  /** Runs the demo; returns the process exit code (0 when every message was scored once). */
  public int run() throws Exception {
    long t0 = System.currentTimeMillis();
    RnnModel shipped = SnapshotFormat.read(settings.model());
    RnnModel v1 = shipped.withInfo(shipped.info().withVersion(1)); // versions 1, 2 on stage
    List<SentimentExample> test = SentimentData.load().test();
    List<SentimentExample> train = SentimentData.load().train();
    out.printf("rnnstream demo: sentiment on %d real review sentences (test split) as chat"
        + " messages of %d conversations%n", test.size(), settings.conversations());

    try (LocalKafka kafka = LocalKafka.start(0, null)) {
      String bootstrap = kafka.bootstrapServers();
      out.printf("  Kafka (embedded KRaft broker) at %s, up in %.1f s%n", bootstrap,
          (System.currentTimeMillis() - t0) / 1000.0);
      DemoKafka.createTopics(bootstrap, Map.of(MESSAGES, 2, PREDICTIONS, 2));
      try (KafkaProducer<byte[], byte[]> producer = DemoKafka.producer(bootstrap)) {
        DemoKafka.publish(producer, v1);
        out.printf("  published %s v%d to %s%n", v1.info().name(), v1.info().version(),
            DemoKafka.SNAPSHOTS);

        StreamExecutionEnvironment env = DemoKafka.localFlink();
        JobClient job = SentimentJob.kafka(new KafkaSettings(bootstrap, new Properties()),
                SentimentJob.Topics.defaults(), DemoKafka.GROUP, v1.info().name(),
                DeliveryGuarantee.EXACTLY_ONCE)
            .start(env);
        out.printf("  Flink job %s running (parallelism 2, exactly-once, checkpoints every"
            + " 500 ms)%n%n", job.getJobID());

        CompletableFuture<RnnModel> v2 = CompletableFuture.supplyAsync(() -> FineTune.sentiment(
            v1, train, settings.fineTuneEpochs(), 7, v1.info().version() + 1));
        Map<String, Tracked> tracked = new ConcurrentHashMap<>();
        List<Tracked> order = Collections.synchronizedList(new ArrayList<>());
        read(bootstrap, tracked);

        long start = System.currentTimeMillis();
        long v2PublishedAt = stream(bootstrap, producer, test, tracked, order, v2);
        long sentAll = System.currentTimeMillis();
        awaitAll(order, settings.drainTimeout());
        long end = System.currentTimeMillis();
        job.cancel().get();
        summary(order, start, sentAll, end, v2PublishedAt, bootstrap);
        return order.stream().allMatch(t -> t.segment != null) && duplicates.get() == 0 ? 0 : 1;
      }
    }
  }

  private long stream(String bootstrap, KafkaProducer<byte[], byte[]> producer,
      List<SentimentExample> test,
      Map<String, Tracked> tracked, List<Tracked> order, CompletableFuture<RnnModel> v2)
      throws Exception {
    AvroCodec<ChatMessage> codec = new AvroCodec<>(ChatMessage.class);
    long gapNanos = (long) (1e9 / settings.messagesPerSecond());
    long next = System.nanoTime();
    long[] seqs = new long[settings.conversations()];
    long v2PublishedAt = -1;
    for (int i = 0; i < test.size(); i++) {
      if (i == test.size() / 2) { // half the stream on v1; the rest goes to v2
        if (!v2.isDone()) {
          out.printf("%n  ... waiting for the fine-tuning of v2 to finish%n");
        }
        RnnModel m = v2.get();
        long offset = DemoKafka.publish(producer, m);
        v2PublishedAt = System.currentTimeMillis();
        out.printf("%n  >>> published %s v%d (fine-tuned while v1 served); open messages"
            + " finish on v1, the next ones use v2%n%n", m.info().name(), m.info().version());
        if (!DemoKafka.awaitApplied(bootstrap, DemoKafka.GROUP, offset, Duration.ofSeconds(60))) {
          out.printf("  (the job has not confirmed v2 within 60 s; streaming on)%n");
        }
        next = System.nanoTime();
      }
      int c = i % settings.conversations();
      String key = String.format(Locale.ROOT, "conv-%02d", c);
      Tracked t = new Tracked(key, seqs[c]++, test.get(i));
      tracked.put(key + "/" + t.seq, t);
      order.add(t);
      t.sentAtMs = System.currentTimeMillis();
      producer.send(new ProducerRecord<>(MESSAGES, key.getBytes(), codec.encode(
          ChatMessage.newBuilder().setConversationId(key).setSeq(t.seq).setText(t.text)
              .setTimestampMs(t.sentAtMs).build())));
      if (i == 0) {
        awaitScored(1, Duration.ofSeconds(90)); // the job is up: stream at the set pace
        next = System.nanoTime();
      }
      next += gapNanos;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
    producer.flush();
    return v2PublishedAt;
  }

  /** Prints and records every committed result as a downstream consumer sees it. */
  private void read(String bootstrap, Map<String, Tracked> tracked) {
    AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.class);
    DemoKafka.readCommitted(bootstrap, PREDICTIONS, value -> {
      Prediction pr = codec.decode(value);
      Tracked t = tracked.get(pr.getKey() + "/" + pr.getSeq());
      if (t == null) {
        return;
      }
      if (pr.getKind().equals("rolling")) {
        t.rolling = pr;
      } else if (t.segment == null) {
        t.receivedAtMs = System.currentTimeMillis();
        t.segment = pr;
        scored.incrementAndGet();
      } else {
        duplicates.incrementAndGet(); // a message scored twice: exactly-once was broken
      }
      if (t.segment != null && t.rolling != null) {
        printLine(t);
      }
    }, out);
  }


  private synchronized void printLine(Tracked t) {
    Prediction s = t.segment;
    boolean correct = s.getLabel().equals(t.label == 1 ? "positive" : "negative");
    String text = t.text.length() > 58 ? t.text.substring(0, 55) + "..." : t.text;
    out.printf(Locale.ROOT, "  %s #%-3d %-8s %.2f  mood %-8s  v%d  %5d ms  %s %s%n", t.key,
        t.seq, s.getLabel(), max(s.getProbabilities()), t.rolling.getLabel(),
        s.getModelVersion(), t.receivedAtMs - t.sentAtMs, correct ? " " : "x", text);
  }

  private static float max(List<Float> p) {
    float m = 0;
    for (float v : p) {
      m = Math.max(m, v);
    }
    return m;
  }

  private void awaitScored(int n, Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (scored.get() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  private static void awaitAll(List<Tracked> order, Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      synchronized (order) {
        if (order.stream().allMatch(t -> t.segment != null && t.rolling != null)) {
          return;
        }
      }
      Thread.sleep(100);
    }
  }

  private void summary(List<Tracked> order, long start, long sentAll, long end,
      long v2PublishedAt, String bootstrap) {
    int scored = 0;
    Map<Long, int[]> perVersion = new TreeMap<>(); // version -> {correct, total}
    List<Long> latencies = new ArrayList<>();
    List<Long> operatorLatencies = new ArrayList<>();
    for (Tracked t : order) {
      if (t.segment == null) {
        continue;
      }
      scored++;
      int[] c = perVersion.computeIfAbsent(t.segment.getModelVersion(), v -> new int[2]);
      c[1]++;
      if (t.segment.getLabel().equals(t.label == 1 ? "positive" : "negative")) {
        c[0]++;
      }
      latencies.add(t.receivedAtMs - t.sentAtMs);
      operatorLatencies.add(t.segment.getLatencyMs());
    }
    Collections.sort(latencies);
    Collections.sort(operatorLatencies);
    double seconds = (sentAll - start) / 1000.0;
    out.printf(Locale.ROOT, "%nsummary%n");
    out.printf(Locale.ROOT, "  messages sent %d, scored %d, lost %d, scored twice %d%n",
        order.size(), scored, order.size() - scored, duplicates.get());
    perVersion.forEach((v, c) -> out.printf(Locale.ROOT,
        "  model v%d: %d messages, accuracy %.3f%n", v, c[1], c[0] / (double) c[1]));
    out.printf(Locale.ROOT, "  (the versions scored different messages: their accuracies are"
        + " not a comparison of the models)%n");
    out.printf(Locale.ROOT, "  throughput %.1f messages/s over %.1f s (the producer's pace)%n",
        order.size() / seconds, seconds);
    out.printf(Locale.ROOT, "  latency sent -> committed prediction visible: p50 %d ms, p99 %d"
        + " ms (includes the 500 ms checkpoint that commits the transaction)%n",
        DemoKafka.pct(latencies, 50), DemoKafka.pct(latencies, 99));
    out.printf(Locale.ROOT, "  latency sent -> inference (operator): p50 %d ms, p99 %d ms%n",
        DemoKafka.pct(operatorLatencies, 50), DemoKafka.pct(operatorLatencies, 99));
    out.printf(Locale.ROOT, "  wall time %.1f s; dead letters: see topic %s on %s%n",
        (end - start) / 1000.0, DemoKafka.DEAD_LETTERS, bootstrap);
  }
}
