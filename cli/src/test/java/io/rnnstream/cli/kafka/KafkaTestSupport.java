package io.rnnstream.cli.kafka;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.schemas.ModelSnapshot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topic creation, producing and read-committed consuming against a real broker. */
public final class KafkaTestSupport {
  private KafkaTestSupport() {}

  public static void createTopics(String bootstrap, Map<String, Integer> partitions,
      String compacted) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> topics = new ArrayList<>();
      partitions.forEach((name, n) -> {
        NewTopic t = new NewTopic(name, n, (short) 1);
        if (name.equals(compacted)) {
          t.configs(Map.of("cleanup.policy", "compact"));
        }
        topics.add(t);
      });
      admin.createTopics(topics).all().get();
    }
  }

  public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.request.size", String.valueOf(16 << 20));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public static byte[] snapshotRecord(RnnModel model) {
    return snapshotRecord(model.info().name(), model.info().version(),
        SnapshotFormat.toBytes(model));
  }

  public static byte[] snapshotRecord(String name, long version, byte[] bytes) {
    ModelSnapshot s = ModelSnapshot.newBuilder()
        .setName(name)
        .setVersion(version)
        .setSha256(SnapshotFormat.sha256Hex(bytes))
        .setBytes(ByteBuffer.wrap(bytes))
        .build();
    return new AvroCodec<>(ModelSnapshot.class).encode(s);
  }

  public static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
      byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(), value)).get();
  }

  /**
   * Reads {@code topic} with read_committed from the beginning until {@code done} holds for
   * what was read, or the timeout passes.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "reader-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (!done.test(out) && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
