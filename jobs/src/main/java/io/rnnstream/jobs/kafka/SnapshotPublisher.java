package io.rnnstream.jobs.kafka;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.signing.ModelSigner;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.schemas.ModelSnapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes model snapshots to the model topic: Avro {@link ModelSnapshot} {name, version,
 * sha256 (hex of the snapshot bytes), bytes}, keyed by the model name (UTF-8), acknowledged by
 * all in-sync replicas before {@link #publish} returns. The topic is created compacted (one
 * partition) when it does not exist, so the newest version per name is what a restarted job
 * reads. With a {@link #signWith signer}, every snapshot is signed as it is published and its
 * bundle sent in the record's {@code signature}. Not thread-safe; close it.
 */
public final class SnapshotPublisher implements AutoCloseable {
  /** The default model topic. */
  public static final String DEFAULT_TOPIC = "model-snapshots";

  /** Where a snapshot landed; {@code keyId} is the signing key's id, or null when unsigned. */
  public record Published(String name, long version, String sha256, int bytes, String topic,
      int partition, long offset, String keyId) {}

  private final KafkaSettings settings;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroCodec<ModelSnapshot> codec = new AvroCodec<>(ModelSnapshot.class);
  private boolean topicChecked;
  private ModelSigner signer;

  public SnapshotPublisher(KafkaSettings settings, String topic) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be set (--topic)");
    }
    this.settings = settings;
    this.topic = topic;
    Properties p = settings.clientProperties();
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
    p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "rnnstream-publish");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Signs every snapshot published from now on with {@code signer} (null: unsigned). */
  public SnapshotPublisher signWith(ModelSigner signer) {
    this.signer = signer;
    return this;
  }

  /** The Avro value of an unsigned snapshot record. */
  public static byte[] record(String name, long version, byte[] snapshot, AvroCodec<ModelSnapshot> codec) {
    return record(name, version, snapshot, null, codec);
  }

  /** The Avro value of a snapshot record with its signature bundle (null: unsigned). */
  public static byte[] record(String name, long version, byte[] snapshot, byte[] signature,
      AvroCodec<ModelSnapshot> codec) {
    ModelSnapshot s = ModelSnapshot.newBuilder()
        .setName(name)
        .setVersion(version)
        .setSha256(SnapshotFormat.sha256Hex(snapshot))
        .setBytes(ByteBuffer.wrap(snapshot))
        .setSignature(signature == null ? null : ByteBuffer.wrap(signature))
        .build();
    return codec.encode(s);
  }

  /** Publishes {@code model} under its own name and version; waits for the acknowledgement. */
  public Published publish(RnnModel model) throws Exception {
    return publish(model.info().name(), model.info().version(), SnapshotFormat.toBytes(model));
  }

  /**
   * Publishes snapshot bytes as they are (e.g. a file), under {@code name} and {@code version},
   * which must be the snapshot's own; waits for the acknowledgement.
   */
  public Published publish(String name, long version, byte[] bytes) throws Exception {
    ensureTopic();
    byte[] signature = signer == null ? null : signer.sign(bytes, name);
    byte[] value = record(name, version, bytes, signature, codec);
    RecordMetadata md;
    try {
      md = producer.send(new ProducerRecord<>(topic, name.getBytes(StandardCharsets.UTF_8),
          value)).get(90, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not publish " + name + " v" + version + " to "
          + topic + " at " + settings.bootstrap + ": " + e.getCause().getMessage(), e.getCause());
    }
    return new Published(name, version, SnapshotFormat.sha256Hex(bytes), bytes.length, topic,
        md.partition(), md.offset(), signer == null ? null : signer.keyId());
  }

  private void ensureTopic() throws Exception {
    if (topicChecked) {
      return;
    }
    Properties p = settings.clientProperties();
    p.putIfAbsent("default.api.timeout.ms", "30000");
    p.putIfAbsent("request.timeout.ms", "20000");
    try (Admin admin = Admin.create(p)) {
      Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!names.contains(topic)) {
        NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty())
            .configs(Map.of("cleanup.policy", "compact"));
        try {
          admin.createTopics(Set.of(t)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("could not create topic " + topic + " at "
                + settings.bootstrap + ": " + e.getCause().getMessage(), e.getCause());
          }
        }
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer from Kafka at " + settings.bootstrap
          + " within 30 s (is the broker running? --bootstrap HOST:PORT)", e);
    }
    topicChecked = true;
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
