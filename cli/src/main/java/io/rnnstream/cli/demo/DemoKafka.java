package io.rnnstream.cli.demo;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.schemas.ModelSnapshot;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What every demo does with its embedded Kafka (topics, a producer, model publishing, a
 * read-committed reader) and the local Flink its job runs on.
 */
final class DemoKafka {
  static final String SNAPSHOTS = "model-snapshots";
  static final String DEAD_LETTERS = "dead-letters";
  /** The demo jobs' consumer group (and transactional-id prefix). */
  static final String GROUP = "demo";

  private DemoKafka() {}

  /** The given topics (name -> partitions), plus the compacted snapshot and dead-letter topics. */
  static void createTopics(String bootstrap, Map<String, Integer> topics) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> all = new ArrayList<>();
      topics.forEach((name, partitions) -> all.add(new NewTopic(name, partitions, (short) 1)));
      all.add(new NewTopic(SNAPSHOTS, 1, (short) 1)
          .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "16777216")));
      all.add(new NewTopic(DEAD_LETTERS, 1, (short) 1));
      admin.createTopics(all).all().get();
    }
  }

  /** The demos' local Flink: parallelism 2, a checkpoint (commits the outputs) every 500 ms. */
  static StreamExecutionEnvironment localFlink() {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
    return StreamExecutionEnvironment.createLocalEnvironment(2, conf);
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.request.size", String.valueOf(16 << 20));
    p.put("linger.ms", "0");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Publishes a model to the snapshot topic (Avro ModelSnapshot, key = model name). */
  /** Publishes {@code model} on the snapshot topic; returns the record's offset. */
  static long publish(KafkaProducer<byte[], byte[]> producer, RnnModel model) throws Exception {
    byte[] bytes = SnapshotFormat.toBytes(model);
    ModelSnapshot s = ModelSnapshot.newBuilder()
        .setName(model.info().name())
        .setVersion(model.info().version())
        .setSha256(SnapshotFormat.sha256Hex(bytes))
        .setBytes(ByteBuffer.wrap(bytes))
        .build();
    return producer.send(new ProducerRecord<>(SNAPSHOTS, model.info().name().getBytes(),
        new AvroCodec<>(ModelSnapshot.class).encode(s))).get().offset();
  }

  /**
   * Waits until the job of consumer group {@code group} has applied the snapshot at {@code
   * offset}: its snapshot source commits offsets when a checkpoint completes, and a checkpoint
   * taken after the snapshot was read holds it in the operators' broadcast state, so events sent
   * from then on are served by it. Returns false if that did not happen within {@code timeout}.
   */
  static boolean awaitApplied(String bootstrap, String group, long offset, Duration timeout)
      throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    TopicPartition snapshots = new TopicPartition(SNAPSHOTS, 0);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(p)) {
      while (System.nanoTime() < deadline) {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group + "-snapshots")
            .partitionsToOffsetAndMetadata().get().get(snapshots);
        if (committed != null && committed.offset() > offset) {
          return true;
        }
        Thread.sleep(100);
      }
    }
    return false;
  }

  /** The p-th percentile of sorted values (nearest rank); -1 when empty. */
  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** Handles one decoded record of a read-committed reader. */
  @FunctionalInterface
  interface RecordHandler {
    void accept(byte[] value) throws Exception;
  }

  /**
   * Starts a daemon thread that reads {@code topic} from the beginning with read_committed (what
   * a downstream consumer of the job sees) and hands every value to {@code handler}.
   */
  static Thread readCommitted(String bootstrap, String topic, RecordHandler handler,
      PrintStream out) {
    Thread reader = new Thread(() -> {
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("group.id", "demo-reader");
      p.put("auto.offset.reset", "earliest");
      p.put("isolation.level", "read_committed");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(topic));
        while (!Thread.currentThread().isInterrupted()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            handler.accept(r.value());
          }
        }
      } catch (Exception e) {
        if (!(e instanceof org.apache.kafka.common.errors.InterruptException)) {
          out.println("  demo reader stopped: " + e);
        }
      }
    }, "demo-reader");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
