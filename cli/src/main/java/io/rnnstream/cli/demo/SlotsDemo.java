package io.rnnstream.cli.demo;

import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.slots.SlotFillingJob;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.models.text.TaggedSentence;
import io.rnnstream.schemas.SlotResult;
import io.rnnstream.training.data.SlotF1;
import io.rnnstream.training.data.SlotFillingGenerator;
import io.rnnstream.training.data.Split;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The slot-filling demo: travel requests from templates the tagger never saw (the lecture's
 * "arrive Taipei on November 2nd" among them) streamed as JSON utterances of several sessions
 * through the slot-filling job; each committed result is printed with its filled slots; a
 * fine-tuned version 2 is published part-way. Ends with span F1 per version and latency.
 */
public final class SlotsDemo {
  /** Demo settings. */
  public record Settings(Path model, int utterances, int sessions, double perSecond,
      int fineTuneEpochs, Duration drainTimeout) {}

  private static final String UTTERANCES = "utterances";
  private static final String RESULTS = "slot-results";

  private final Settings settings;
  private final PrintStream out;
  private final AtomicInteger tagged = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();

  public SlotsDemo(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  private static final class Tracked {
    final TaggedSentence gold;
    volatile long sentAtMs;
    volatile long receivedAtMs;
    volatile SlotResult result;

    Tracked(TaggedSentence gold) {
      this.gold = gold;
    }
  }

  public int run() throws Exception {
    long t0 = System.currentTimeMillis();
    RnnModel shipped = SnapshotFormat.read(settings.model());
    RnnModel v1 = shipped.withInfo(shipped.info().withVersion(1));
    List<TaggedSentence> requests =
        new ArrayList<>(SlotFillingGenerator.generate(Split.TEST, settings.utterances() - 1, 11));
    requests.add(0, SlotFillingGenerator.LEAD_EXAMPLE); // "arrive taipei on november 2nd"
    out.printf("rnnstream demo slots: %d travel requests from templates the tagger never saw,"
        + " %d sessions%n", requests.size(), settings.sessions());
    try (LocalKafka kafka = LocalKafka.start(0, null)) {
      String bootstrap = kafka.bootstrapServers();
      out.printf("  Kafka (embedded KRaft broker) at %s, up in %.1f s%n", bootstrap,
          (System.currentTimeMillis() - t0) / 1000.0);
      DemoKafka.createTopics(bootstrap, Map.of(UTTERANCES, 2, RESULTS, 2));
      try (KafkaProducer<byte[], byte[]> producer = DemoKafka.producer(bootstrap)) {
        DemoKafka.publish(producer, v1);
        out.printf("  published %s v1 to %s%n", v1.info().name(), DemoKafka.SNAPSHOTS);
        StreamExecutionEnvironment env = DemoKafka.localFlink();
        JobClient job = SlotFillingJob.kafka(new KafkaSettings(bootstrap, new Properties()),
            SlotFillingJob.Topics.defaults(), DemoKafka.GROUP, v1.info().name(),
            DeliveryGuarantee.EXACTLY_ONCE).start(env);
        out.printf("  Flink job %s running (parallelism 2, exactly-once)%n%n", job.getJobID());

        CompletableFuture<RnnModel> v2 = CompletableFuture.supplyAsync(() -> FineTune.slots(v1,
            SlotFillingGenerator.generate(Split.TRAIN, 300, 5), settings.fineTuneEpochs(), 7, 2));
        Map<String, Tracked> tracked = new ConcurrentHashMap<>();
        List<Tracked> order = Collections.synchronizedList(new ArrayList<>());
        read(bootstrap, tracked);
        long start = System.currentTimeMillis();
        stream(bootstrap, producer, requests, tracked, order, v2);
        long sentAll = System.currentTimeMillis();
        long deadline = sentAll + settings.drainTimeout().toMillis();
        while (tagged.get() < order.size() && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        job.cancel().get();
        summary(order, start, sentAll);
        return tagged.get() == order.size() && duplicates.get() == 0 ? 0 : 1;
      }
    }
  }

  private void stream(String bootstrap, KafkaProducer<byte[], byte[]> producer,
      List<TaggedSentence> requests,
      Map<String, Tracked> tracked, List<Tracked> order, CompletableFuture<RnnModel> v2)
      throws Exception {
    long gapNanos = (long) (1e9 / settings.perSecond());
    long next = System.nanoTime();
    long[] seqs = new long[settings.sessions()];
    for (int i = 0; i < requests.size(); i++) {
      if (i == requests.size() / 2) { // half the stream on v1; the rest goes to v2
        if (!v2.isDone()) {
          out.printf("%n  ... waiting for the fine-tuning of v2 to finish%n");
        }
        long offset = DemoKafka.publish(producer, v2.get());
        out.printf("%n  >>> published slots v2 (fine-tuned while v1 served)%n%n");
        if (!DemoKafka.awaitApplied(bootstrap, DemoKafka.GROUP, offset, Duration.ofSeconds(60))) {
          out.printf("  (the job has not confirmed v2 within 60 s; streaming on)%n");
        }
        next = System.nanoTime();
      }
      int s = i % settings.sessions();
      String key = String.format(Locale.ROOT, "session-%02d", s);
      long seq = seqs[s]++;
      Tracked t = new Tracked(requests.get(i));
      tracked.put(key + "/" + seq, t);
      order.add(t);
      t.sentAtMs = System.currentTimeMillis();
      String json = "{\"conversationId\":\"" + key + "\",\"seq\":" + seq + ",\"text\":\""
          + t.gold.text().replace("\"", "'") + "\"}";
      producer.send(new ProducerRecord<>(UTTERANCES, key.getBytes(), json.getBytes()));
      if (i == 0) { // the job is up: stream at the set pace
        long until = System.currentTimeMillis() + 90_000;
        while (tagged.get() == 0 && System.currentTimeMillis() < until) {
          Thread.sleep(20);
        }
        next = System.nanoTime();
      }
      next += gapNanos;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
    producer.flush();
  }

  /** Prints and records every committed result as a downstream consumer sees it. */
  private void read(String bootstrap, Map<String, Tracked> tracked) {
    AvroCodec<SlotResult> codec = new AvroCodec<>(SlotResult.class);
    DemoKafka.readCommitted(bootstrap, RESULTS, value -> {
      SlotResult res = codec.decode(value);
      Tracked t = tracked.get(res.getKey() + "/" + res.getSeq());
      if (t == null) {
        return;
      }
      if (t.result != null) {
        duplicates.incrementAndGet();
        return;
      }
      t.receivedAtMs = System.currentTimeMillis();
      t.result = res;
      tagged.incrementAndGet();
      printLine(res, t);
    }, out);
  }


  private synchronized void printLine(SlotResult r, Tracked t) {
    boolean exact = r.getTags().equals(t.gold.tags());
    out.printf(Locale.ROOT, "  %s #%-3d v%d %5d ms %s \"%s\" -> %s%n", r.getKey(), r.getSeq(),
        r.getModelVersion(), t.receivedAtMs - t.sentAtMs, exact ? " " : "x", t.gold.text(),
        new TreeMap<>(r.getSlots()));
  }

  private void summary(List<Tracked> order, long start, long sentAll) {
    Map<Long, SlotF1> perVersion = new TreeMap<>();
    List<Long> latencies = new ArrayList<>();
    for (Tracked t : order) {
      if (t.result == null) {
        continue;
      }
      perVersion.computeIfAbsent(t.result.getModelVersion(), v -> new SlotF1())
          .add(t.gold.tags(), t.result.getTags());
      latencies.add(t.receivedAtMs - t.sentAtMs);
    }
    Collections.sort(latencies);
    out.printf(Locale.ROOT, "%nsummary%n  requests sent %d, tagged %d, lost %d, tagged twice %d%n",
        order.size(), tagged.get(), order.size() - tagged.get(), duplicates.get());
    perVersion.forEach((v, f1) -> out.printf(Locale.ROOT,
        "  model v%d: span F1 %.3f on unseen templates%n", v, f1.f1()));
    out.printf(Locale.ROOT, "  throughput %.1f requests/s; latency sent -> committed result:"
        + " p50 %d ms, p99 %d ms%n", order.size() / ((sentAll - start) / 1000.0),
        DemoKafka.pct(latencies, 50), DemoKafka.pct(latencies, 99));
  }
}
