package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.signing.PemKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run --trusted-keys} and {@code publish/train --sign-key}: what they read, and the
 * mistakes that stop them before anything starts or is sent (no broker needed).
 */
class TrustOptionsTest {
  static final Path KEYS = Path.of("../models/src/test/resources/signing");
  static final String ALICE_PUB = KEYS.resolve("alice.pub.pem").toString();
  static final String BOB_PUB = KEYS.resolve("bob.pub.pem").toString();
  static final String ALICE_KEY = KEYS.resolve("alice.key.pem").toString();

  @RegisterExtension final CliCapture cli = new CliCapture();

  static RunCommand parse(String... args) {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs(args);
    return run;
  }

  @Test
  void runShouldTakeTrustedKeysCommaSeparatedOrRepeated() throws Exception {
    String alice = PemKeys.keyId(PemKeys.readPublicKey(Path.of(ALICE_PUB)));
    String bob = PemKeys.keyId(PemKeys.readPublicKey(Path.of(BOB_PUB)));
    RunCommand comma = parse("sentiment", "--bootstrap", "localhost:1", "--trusted-keys",
        ALICE_PUB + "," + BOB_PUB);
    RunCommand repeated = parse("captions", "--bootstrap", "localhost:1", "--trusted-keys",
        ALICE_PUB, "--trusted-keys", BOB_PUB);
    assertThat(comma.options.trustedKeys().keyIds()).containsExactly(alice, bob);
    assertThat(repeated.options.trustedKeys().keyIds()).containsExactly(alice, bob);
    assertThat(comma.options.describeTrust()).isEqualTo("models: serves only model snapshots"
        + " signed by one of 2 trusted keys " + alice.substring(0, 16) + "..., "
        + bob.substring(0, 16) + "...");
    assertThat(comma.options.job()).isNotNull();
    assertThat(repeated.options.job()).isNotNull();
  }

  @Test
  void withoutTrustedKeysRunShouldSayThatItServesUnsignedModels() throws Exception {
    RunCommand run = parse("slots", "--bootstrap", "localhost:1");
    assertThat(run.options.trustedKeys().isEmpty()).isTrue();
    assertThat(run.options.describeTrust())
        .startsWith("models: serves unsigned model snapshots")
        .contains("--trusted-keys");
  }

  @Test
  void runShouldRefuseAMissingOrPrivateKeyFileBeforeStarting(@TempDir Path dir) {
    Path missing = dir.resolve("missing.pem");
    assertThat(cli.run(null, "run", "sentiment", "--bootstrap", "localhost:1",
        "--trusted-keys", missing.toString())).isEqualTo(1);
    assertThat(cli.stderr()).contains("rnnstream run: no such key file: " + missing);
    assertThat(cli.stdout()).isEmpty();

    assertThat(cli.run(null, "run", "sentiment", "--bootstrap", "localhost:1",
        "--trusted-keys", ALICE_KEY)).isEqualTo(1);
    assertThat(cli.stderr()).contains(ALICE_KEY + ": not a usable EC public key in PEM")
        .contains("private key");
  }

  @Test
  void publishShouldRefuseAKeyItCannotSignWithBeforeSending() {
    assertThat(cli.run(null, "publish", "--model", TextCommandsTest.SENTIMENT, "--bootstrap",
        "localhost:1", "--sign-key", ALICE_PUB)).isEqualTo(1);
    assertThat(cli.stderr()).contains("rnnstream publish: ").contains("public key");
    assertThat(cli.stdout()).isEmpty();
  }

  @Test
  void trainShouldRefuseASignKeyWithoutPublish(@TempDir Path dir) {
    assertThat(cli.run(null, "train", "sentiment", "--out", dir.resolve("m.rnn").toString(),
        "--sign-key", ALICE_KEY)).isEqualTo(1);
    assertThat(cli.stderr()).contains("--sign-key signs the snapshots --publish sends");
  }

  @Test
  void theHelpShouldListTheNewOptions() {
    assertThat(cli.run(null, "run", "--help")).isZero();
    assertThat(String.join("\n", cli.stdout())).contains("--trusted-keys=P.pem[,P2.pem]");
    assertThat(cli.run(null, "publish", "--help")).isZero();
    assertThat(String.join("\n", cli.stdout())).contains("--sign-key=K.pem");
    assertThat(cli.run(null, "train", "--help")).isZero();
    assertThat(String.join("\n", cli.stdout())).contains("--sign-key=K.pem");
  }
}
