package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.models.signing.ModelVerifier;
import io.rnnstream.models.signing.PemKeys;
import io.rnnstream.schemas.ModelSnapshot;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish --sign-key} and {@code train --publish --sign-key} against a real embedded
 * broker: each record carries a signature of exactly its snapshot bytes by that key; without
 * the option there is none.
 */
@Timeout(120)
class SignedPublishITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path KEYS = Path.of("../models/src/test/resources/signing");
  private static LocalKafka kafka;
  @RegisterExtension final CliCapture cli = new CliCapture();

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

  private static List<ModelSnapshot> read(String topic, int n) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> records = KafkaTestSupport.readCommitted(
        kafka.bootstrapServers(), topic, r -> r.size() >= n, Duration.ofSeconds(30));
    AvroCodec<ModelSnapshot> codec = new AvroCodec<>(ModelSnapshot.class);
    List<ModelSnapshot> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.add(codec.decode(r.value()));
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static ModelVerifier trusting(String who) throws Exception {
    return ModelVerifier.fromPemFiles(List.of(KEYS.resolve(who + ".pub.pem")));
  }

  static String keyId(String who) throws Exception {
    return PemKeys.keyId(PemKeys.readPublicKey(KEYS.resolve(who + ".pub.pem")));
  }

  @Test
  void publishShouldSendTheSignatureOfTheBytesItSends() throws Exception {
    Path model = Path.of(TextCommandsTest.SENTIMENT);
    assertThat(cli.run(null, "publish", "--model", model.toString(), "--bootstrap",
        kafka.bootstrapServers(), "--topic", "signed-a")).as(cli.stderr()).isZero();
    assertThat(JSON.readTree(cli.stdout().get(0)).has("keyId")).isFalse();
    assertThat(cli.run(null, "publish", "--model", model.toString(), "--bootstrap",
        kafka.bootstrapServers(), "--topic", "signed-a", "--version", "5",
        "--sign-key", KEYS.resolve("alice.key.pem").toString())).as(cli.stderr()).isZero();
    JsonNode printed = JSON.readTree(cli.stdout().get(0));
    assertThat(printed.get("keyId").asText()).isEqualTo(keyId("alice"));

    List<ModelSnapshot> got = read("signed-a", 2);
    assertThat(got).hasSize(2);
    assertThat(got.get(0).getSignature()).isNull();
    ModelSnapshot signed = got.get(1);
    assertThat(signed.getVersion()).isEqualTo(5);
    assertThat(trusting("alice").verify(bytes(signed.getSignature()), bytes(signed.getBytes()))
        .keyId()).isEqualTo(keyId("alice"));
    assertThat(bytes(got.get(0).getBytes())).isEqualTo(Files.readAllBytes(model));
  }

  @Test
  void trainShouldSignEverySnapshotItPublishes(@TempDir Path dir) throws Exception {
    int rc = cli.run(null, "train", "sentiment", "--epochs", "1", "--seed", "3",
        "--train-size", "100", "--dev-size", "30", "--no-progress", "--no-test",
        "--out", dir.resolve("tiny.rnn").toString(), "--publish", "--bootstrap",
        kafka.bootstrapServers(), "--topic", "signed-b",
        "--sign-key", KEYS.resolve("bob.key.pem").toString());
    assertThat(rc).as(cli.stderr()).isZero();
    assertThat(cli.stderr()).contains("published sentiment v")
        .contains("signed by key " + keyId("bob"));
    List<ModelSnapshot> got = read("signed-b", 1);
    assertThat(got).isNotEmpty();
    for (ModelSnapshot s : got) {
      assertThat(trusting("bob").verify(bytes(s.getSignature()), bytes(s.getBytes())).keyId())
          .isEqualTo(keyId("bob"));
    }
  }
}
