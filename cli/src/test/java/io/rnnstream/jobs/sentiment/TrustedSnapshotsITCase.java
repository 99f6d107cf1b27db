package io.rnnstream.jobs.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.kafka.SnapshotPublisher;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.signing.ModelSigner;
import io.rnnstream.models.signing.PemKeys;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.TrustedKeys;
import io.rnnstream.schemas.ChatMessage;
import io.rnnstream.schemas.DeadLetter;
import io.rnnstream.schemas.ModelSnapshot;
import io.rnnstream.schemas.Prediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sentiment job with trusted keys, through Kafka: a snapshot signed by the trusted key (v2)
 * is served; an unsigned one (v3) and one signed by another key (v4) are refused, each a dead
 * letter whose Kafka key and payload are the snapshot record exactly as it was sent and whose
 * source is its topic, partition and offset; every prediction, before and after, is v2's.
 */
class TrustedSnapshotsITCase {
  static final Path KEYS = Path.of("../models/src/test/resources/signing");
  static final int CONVERSATIONS = 4;

  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setNumberTaskManagers(1)
          .setNumberSlotsPerTaskManager(2)
          .build());

  static LocalKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = LocalKafka.start(0, null);
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** The Avro snapshot record of {@code m}, signed by {@code signer}'s key (null: unsigned). */
  static byte[] record(RnnModel m, String signer) throws Exception {
    byte[] bytes = SnapshotFormat.toBytes(m);
    byte[] signature = signer == null ? null
        : ModelSigner.fromPem(KEYS.resolve(signer + ".key.pem")).sign(bytes, m.info().name());
    return SnapshotPublisher.record(m.info().name(), m.info().version(), bytes, signature,
        new AvroCodec<>(ModelSnapshot.class));
  }

  static RecordMetadata send(KafkaProducer<byte[], byte[]> p, String topic, byte[] key,
      byte[] value) throws Exception {
    return p.send(new ProducerRecord<>(topic, key, value)).get();
  }

  static void messages(KafkaProducer<byte[], byte[]> p, String topic, int seq) throws Exception {
    AvroCodec<ChatMessage> chat = new AvroCodec<>(ChatMessage.class);
    for (int c = 0; c < CONVERSATIONS; c++) {
      String key = "conversation-" + c;
      send(p, topic, key.getBytes(StandardCharsets.UTF_8), chat.encode(ChatMessage.newBuilder()
          .setConversationId(key).setSeq(seq).setText(seq % 2 == 0 ? "good phone" : "awful movie")
          .setTimestampMs(System.currentTimeMillis()).build()));
    }
  }

  static List<Prediction> predictions(List<ConsumerRecord<byte[], byte[]>> records)
      throws Exception {
    AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.class);
    List<Prediction> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.add(codec.decode(r.value()));
    }
    return out;
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void shouldServeTheSignedVersionAndDeadLetterTheOthersAsSent() throws Exception {
    String bootstrap = kafka.bootstrapServers();
    SentimentJob.Topics topics = new SentimentJob.Topics("trusted-messages", "trusted-models",
        "trusted-predictions", "trusted-dead-letters");
    KafkaTestSupport.createTopics(bootstrap, Map.of(topics.messages(), 2, topics.snapshots(), 1,
        topics.predictions(), 2, topics.deadLetters(), 1), topics.snapshots());

    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    TrustedKeys alice = TrustedKeys.read(List.of(KEYS.resolve("alice.pub.pem")));
    JobClient job = SentimentJob.kafka(new KafkaSettings(bootstrap, new Properties()), topics,
        "trusted-itcase", "sentiment", DeliveryGuarantee.EXACTLY_ONCE,
        SentimentPipeline.MicroBatch.OFF, alice).start(env);

    byte[] name = "sentiment".getBytes(StandardCharsets.UTF_8);
    byte[] unsignedV3 = record(SentimentJobITCase.model(3, 3), null);
    byte[] bobsV4 = record(SentimentJobITCase.model(4, 4), "bob");
    RecordMetadata v3At;
    RecordMetadata v4At;
    List<ConsumerRecord<byte[], byte[]>> dead;
    List<ConsumerRecord<byte[], byte[]>> out;
    try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bootstrap)) {
      send(p, topics.snapshots(), name, record(SentimentJobITCase.model(2, 2), "alice"));
      messages(p, topics.messages(), 0);
      assertThat(KafkaTestSupport.readCommitted(bootstrap, topics.predictions(),
          got -> got.size() >= 2 * CONVERSATIONS, Duration.ofSeconds(90)))
          .as("v2, signed by the trusted key, serves").hasSize(2 * CONVERSATIONS);

      v3At = send(p, topics.snapshots(), name, unsignedV3);
      v4At = send(p, topics.snapshots(), name, bobsV4);
      dead = KafkaTestSupport.readCommitted(bootstrap, topics.deadLetters(),
          got -> got.size() >= 2, Duration.ofSeconds(60));
      messages(p, topics.messages(), 1);
      out = KafkaTestSupport.readCommitted(bootstrap, topics.predictions(),
          got -> got.size() >= 4 * CONVERSATIONS, Duration.ofSeconds(60));
    } finally {
      job.cancel().get();
    }

    assertThat(out).hasSize(4 * CONVERSATIONS);
    assertThat(predictions(out)).extracting(Prediction::getModelVersion).containsOnly(2L);

    assertThat(dead).hasSize(2);
    AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.class);
    List<DeadLetter> letters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      assertThat(r.key()).isEqualTo(name);
      letters.add(codec.decode(r.value()));
    }
    // in the order of the snapshots they refuse (the test claims what they hold, not when each
    // transaction that carries one is committed)
    letters.sort(Comparator.comparingLong(DeadLetter::getOffset));
    DeadLetter first = letters.get(0);
    DeadLetter second = letters.get(1);
    assertThat(bytes(first.getPayload())).isEqualTo(unsignedV3);
    assertThat(bytes(second.getPayload())).isEqualTo(bobsV4);
    assertThat(first.getSourceTopic()).isEqualTo(topics.snapshots());
    assertThat(first.getPartition()).isEqualTo(v3At.partition());
    assertThat(first.getOffset()).isEqualTo(v3At.offset());
    assertThat(second.getOffset()).isEqualTo(v4At.offset());
    assertThat(first.getKey()).isEqualTo("sentiment");
    assertThat(first.getReason()).startsWith("snapshot: untrusted snapshot: 'sentiment' v3 is"
        + " not signed");
    String bob = PemKeys.keyId(PemKeys.readPublicKey(KEYS.resolve("bob.pub.pem")));
    assertThat(second.getReason()).startsWith("snapshot: untrusted snapshot: the signature of"
        + " 'sentiment' v4 does not verify: unknown key").contains(bob);
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
