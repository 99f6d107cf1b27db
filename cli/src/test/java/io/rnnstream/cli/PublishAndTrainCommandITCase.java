package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.schemas.ModelSnapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code publish} and {@code train --publish} against a real embedded broker. */
@Timeout(120)
class PublishAndTrainCommandITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
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
    List<ModelSnapshot> out = new java.util.ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      ModelSnapshot s = codec.decode(r.value());
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(s.getName());
      out.add(s);
    }
    return out;
  }

  private static byte[] bytes(ModelSnapshot s) {
    ByteBuffer b = s.getBytes().duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void publishShouldSendTheSnapshotAndRestampItsVersion() throws Exception {
    Path model = Path.of(TextCommandsTest.SENTIMENT);
    RnnModel original = SnapshotFormat.read(model);

    int rc = cli.run(null, "publish", "--model", model.toString(), "--bootstrap",
        kafka.bootstrapServers(), "--topic", "models-a");
    assertThat(rc).as(cli.stderr()).isZero();
    int rc2 = cli.run(null, "publish", "--model", model.toString(), "--bootstrap",
        kafka.bootstrapServers(), "--topic", "models-a", "--version",
        Long.toString(original.info().version() + 1000));
    assertThat(rc2).as(cli.stderr()).isZero();
    JsonNode printed = JSON.readTree(cli.stdout().get(0));

    List<ModelSnapshot> got = read("models-a", 2);
    assertThat(got).hasSize(2);
    ModelSnapshot first = got.get(0);
    assertThat(first.getName()).isEqualTo("sentiment");
    assertThat(first.getVersion()).isEqualTo(original.info().version());
    assertThat(bytes(first)).isEqualTo(Files.readAllBytes(model)); // the file as it is
    ModelSnapshot rollback = got.get(1);
    assertThat(rollback.getVersion()).isEqualTo(original.info().version() + 1000);
    assertThat(rollback.getSha256()).isEqualTo(SnapshotFormat.sha256Hex(bytes(rollback)))
        .isEqualTo(printed.get("sha256").asText())
        .isNotEqualTo(first.getSha256());
    RnnModel restamped = SnapshotFormat.fromBytes(bytes(rollback), "kafka");
    assertThat(restamped.info().version()).isEqualTo(original.info().version() + 1000);
    assertThat(restamped.tensors().get("head.weight").data())
        .containsExactly(original.tensors().get("head.weight").data());
  }

  @Test
  void trainShouldPublishImprovedSnapshotsAndWriteModelCurveAndSummary(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("tiny.rnn");

    int rc = cli.run(null, "train", "sentiment", "--epochs", "2", "--seed", "3",
        "--train-size", "200", "--dev-size", "60", "--no-progress", "--out", out.toString(),
        "--publish", "--bootstrap", kafka.bootstrapServers(), "--topic", "models-b");

    assertThat(rc).as(cli.stderr()).isZero();
    assertThat(out).exists();
    assertThat(dir.resolve("tiny.png")).exists();
    assertThat(Files.readAllBytes(dir.resolve("tiny.png"))).startsWith(0x89, 'P', 'N', 'G');
    JsonNode summary = JSON.readTree(cli.stdout().get(cli.stdout().size() - 1));
    assertThat(summary.get("metrics").has("test_accuracy")).isTrue();
    RnnModel m = SnapshotFormat.read(out);
    assertThat(m.info().metrics()).containsKey("test_accuracy");
    assertThat(m.info().version()).isEqualTo(summary.get("version").asLong());
    assertThat(cli.stderr()).contains("epoch 1/2").contains("published sentiment v");

    List<ModelSnapshot> got = read("models-b", 1);
    assertThat(got).isNotEmpty();
    long previous = 0;
    for (ModelSnapshot s : got) {
      assertThat(s.getName()).isEqualTo("sentiment");
      assertThat(s.getVersion()).isGreaterThan(previous);
      previous = s.getVersion();
      assertThat(s.getSha256()).isEqualTo(SnapshotFormat.sha256Hex(bytes(s)));
      RnnModel published = SnapshotFormat.fromBytes(bytes(s), "kafka");
      assertThat(published.info().metrics()).containsKey("dev_accuracy");
    }
    assertThat(m.info().version()).isGreaterThan(previous);
  }
}
