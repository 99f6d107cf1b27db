package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sign} and {@code verify} end to end, with the openssl-made test keys of models. */
class SignVerifyCommandTest {
  static final Path KEYS = Path.of("../models/src/test/resources/signing");
  static final String ALICE = KEYS.resolve("alice.key.pem").toString();
  static final String ALICE_PUB = KEYS.resolve("alice.pub.pem").toString();
  static final String BOB = KEYS.resolve("bob.key.pem").toString();
  static final String BOB_PUB = KEYS.resolve("bob.pub.pem").toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final CliCapture cli = new CliCapture();
  @TempDir Path dir;
  Path model;

  @BeforeEach
  void writeModel() throws Exception {
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 3, 4).head(2, Activation.SOFTMAX).build();
    ModelInfo info = new ModelInfo("tiny", 5, "2026-01-01T00:00:00Z", "test", Map.of(),
        List.of(), List.of());
    model = dir.resolve("tiny.rnn");
    SnapshotFormat.write(RnnModel.create(spec, Initializers.uniform(spec, 7, 0.5), info, "t"),
        model);
  }

  static String keyId(String pubPem) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(pubPem))));
  }

  @Test
  void signThenVerifyShouldEachPrintOneJsonLine() throws Exception {
    int rc = cli.run(null, "sign", "--model", model.toString(), "--key", ALICE);

    assertThat(rc).as(cli.stderr()).isZero();
    assertThat(cli.stderr()).isEmpty();
    assertThat(cli.stdout()).hasSize(1);
    JsonNode signed = JSON.readTree(cli.stdout().get(0));
    assertThat(signed.get("signature").asText()).isEqualTo(model + ".sig");
    assertThat(signed.get("keyId").asText()).isEqualTo(keyId(ALICE_PUB));
    assertThat(signed.size()).isEqualTo(2);
    assertThat(JSON.readTree(Files.readAllBytes(Path.of(model + ".sig"))).get("mediaType")
        .asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");

    rc = cli.run(null, "verify", "--model", model.toString(), "--trusted-keys", ALICE_PUB);

    assertThat(rc).as(cli.stderr()).isZero();
    assertThat(cli.stderr()).isEmpty();
    assertThat(cli.stdout()).containsExactly(
        "{\"verified\":true,\"keyId\":\"" + keyId(ALICE_PUB) + "\"}");
  }

  @Test
  void verifyShouldNameTheKeyThatSignedAmongSeveralTrustedKeys() throws Exception {
    Path sig = dir.resolve("elsewhere.sig");
    assertThat(cli.run(null, "sign", "--model", model.toString(), "--key", BOB, "--out",
        sig.toString())).as(cli.stderr()).isZero();
    assertThat(JSON.readTree(cli.stdout().get(0)).get("signature").asText())
        .isEqualTo(sig.toString());

    int rc = cli.run(null, "verify", "--model", model.toString(), "--trusted-keys",
        ALICE_PUB + "," + BOB_PUB, "--signature", sig.toString());

    assertThat(rc).as(cli.stderr()).isZero();
    assertThat(JSON.readTree(cli.stdout().get(0)).get("keyId").asText())
        .isEqualTo(keyId(BOB_PUB));
  }

  @Test
  void verifyShouldRefuseAChangedModelWithOneLineOnStderrOnly() throws Exception {
    assertThat(cli.run(null, "sign", "--model", model.toString(), "--key", ALICE)).isZero();
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length / 2] ^= 1;
    Files.write(model, bytes);

    int rc = cli.run(null, "verify", "--model", model.toString(), "--trusted-keys", ALICE_PUB);

    assertThat(rc).isEqualTo(1);
    assertThat(cli.stdout()).isEmpty();
    assertThat(cli.stderr().lines().toList()).hasSize(1);
    assertThat(cli.stderr()).startsWith("rnnstream verify: wrong file digest: the model's SHA-256 is ");
  }

  @Test
  void verifyShouldRefuseASignatureByAnUntrustedKey() throws Exception {
    assertThat(cli.run(null, "sign", "--model", model.toString(), "--key", ALICE)).isZero();

    int rc = cli.run(null, "verify", "--model", model.toString(), "--trusted-keys", BOB_PUB);

    assertThat(rc).isEqualTo(1);
    assertThat(cli.stdout()).isEmpty();
    assertThat(cli.stderr()).isEqualTo("rnnstream verify: unknown key: the bundle was signed by key "
        + keyId(ALICE_PUB) + ", which is not among the trusted keys [" + keyId(BOB_PUB) + "]"
        + System.lineSeparator());
  }

  @Test
  void verifyShouldSayWhichFileIsMissing() throws Exception {
    int rc = cli.run(null, "verify", "--model", model.toString(), "--trusted-keys", ALICE_PUB);

    assertThat(rc).isEqualTo(1);
    assertThat(cli.stdout()).isEmpty();
    assertThat(cli.stderr().strip()).isEqualTo("rnnstream verify: no such file: " + model + ".sig");
  }

  @Test
  void verifyShouldRefuseAMalformedSignatureFile() throws Exception {
    Files.writeString(Path.of(model + ".sig"), "{\"mediaType\": 3}");

    int rc = cli.run(null, "verify", "--model", model.toString(), "--trusted-keys", ALICE_PUB);

    assertThat(rc).isEqualTo(1);
    assertThat(cli.stderr().strip())
        .isEqualTo("rnnstream verify: malformed bundle: mediaType is not a string");
  }

  @Test
  void signShouldRefuseAFileThatIsNotASnapshotAndAPublicKey() throws Exception {
    Path notModel = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThat(cli.run(null, "sign", "--model", notModel.toString(), "--key", ALICE))
        .isEqualTo(1);
    assertThat(cli.stdout()).isEmpty();
    assertThat(cli.stderr()).startsWith("rnnstream sign: ");
    assertThat(Files.exists(Path.of(notModel + ".sig"))).isFalse();

    assertThat(cli.run(null, "sign", "--model", model.toString(), "--key", ALICE_PUB))
        .isEqualTo(1);
    assertThat(cli.stderr().strip()).isEqualTo("rnnstream sign: " + ALICE_PUB
        + ": this is a public key; signing needs the private key");
  }

  @Test
  void verifyShouldRefuseAPrivateKeyAsATrustedKey() throws Exception {
    assertThat(cli.run(null, "sign", "--model", model.toString(), "--key", ALICE)).isZero();
    assertThat(cli.run(null, "verify", "--model", model.toString(), "--trusted-keys", ALICE))
        .isEqualTo(1);
    assertThat(cli.stderr()).startsWith("rnnstream verify: " + ALICE
        + ": this is a private key; trust its public key instead");
  }

  @Test
  void missingRequiredOptionsShouldBeUsageErrors() {
    assertThat(cli.run(null, "sign", "--model", model.toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("--key");
    assertThat(cli.run(null, "verify", "--model", model.toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("--trusted-keys");
  }
}
