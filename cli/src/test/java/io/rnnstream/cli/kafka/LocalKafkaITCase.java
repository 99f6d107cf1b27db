package io.rnnstream.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LocalKafka} in this process: a real broker that round-trips a record. */
class LocalKafkaITCase {
  @Test
  @Timeout(60)
  void shouldStartARealBrokerThatRoundTripsARecord() throws Exception {
    java.nio.file.Path data;
    try (LocalKafka kafka = LocalKafka.start(0, null)) {
      data = kafka.dataDirectory();
      Properties p = new Properties();
      p.put("bootstrap.servers", kafka.bootstrapServers());
      try (Admin admin = Admin.create(p)) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
      }
      try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "hello")).get();
      }
      p.put("group.id", "g");
      p.put("auto.offset.reset", "earliest");
      try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("t"));
        // Joining the group takes a while on a loaded machine: poll until the record is there,
        // bounded well inside the test's timeout rather than by a count of 200 ms polls.
        ConsumerRecords<String, String> records = ConsumerRecords.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (records.isEmpty() && System.nanoTime() - deadline < 0) {
          records = consumer.poll(Duration.ofMillis(200));
        }
        assertThat(records.count()).isEqualTo(1);
        assertThat(records.iterator().next().value()).isEqualTo("hello");
      }
    }
    assertThat(data).as("a temporary data directory is deleted on close").doesNotExist();
  }
}
