package io.rnnstream.jobs.kafka;

import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources and sinks as every rnnstream job builds them. */
public final class KafkaWiring {
  /** Transactions must outlive a checkpoint interval plus recovery, and stay under the broker's 15 min. */
  static final String TRANSACTION_TIMEOUT_MS = "600000";

  private KafkaWiring() {}

  /**
   * A source of undecoded records reading only committed data; it resumes from the group's
   * committed offsets (earliest when there are none).
   */
  public static KafkaSource<RawRecord> events(KafkaSettings k, String topic, String groupId) {
    Properties p = new Properties();
    p.putAll(k.client);
    p.putIfAbsent("isolation.level", "read_committed");
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(k.bootstrap)
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new RawRecordDeserializer())
        .setProperties(p)
        .build();
  }

  /** The model topic, always from the beginning: every instance needs every live version. */
  public static KafkaSource<RawRecord> snapshots(KafkaSettings k, String topic, String groupId) {
    Properties p = new Properties();
    p.putAll(k.client);
    p.putIfAbsent("isolation.level", "read_committed");
    p.putIfAbsent("max.partition.fetch.bytes", String.valueOf(64 << 20));
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(k.bootstrap)
        .setTopics(topic)
        .setGroupId(groupId + "-snapshots")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new RawRecordDeserializer())
        .setProperties(p)
        .build();
  }

  /**
   * A sink writing {@code T} as Avro with a string key; EXACTLY_ONCE uses Kafka transactions
   * committed on checkpoints (consumers must read with isolation.level=read_committed).
   */
  public static <T> KafkaSink<T> sink(KafkaSettings k, String topic, SerializationSchema<T> key,
      SerializationSchema<T> value, DeliveryGuarantee guarantee, String transactionalIdPrefix) {
    Properties p = new Properties();
    p.putAll(k.client);
    p.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
    p.putIfAbsent("max.request.size", String.valueOf(16 << 20));
    return KafkaSink.<T>builder()
        .setBootstrapServers(k.bootstrap)
        .setKafkaProducerConfig(p)
        .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
            .setTopic(topic)
            .setKeySerializationSchema(key)
            .setValueSerializationSchema(value)
            .build())
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .build();
  }
}
