package io.rnnstream.operators.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.signing.ModelSigner;
import io.rnnstream.models.signing.PemKeys;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.TrustedKeys;
import io.rnnstream.operators.testutils.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry with trusted keys: a snapshot is installed only if its signature verifies against
 * its bytes with one of them, checked before anything else; every refusal says what was wrong
 * and what to do. Versions restored from the broadcast state are verified again.
 */
class SignedSnapshotsTest {
  static final Path KEYS = Path.of("../models/src/test/resources/signing");
  static final ModelSpec SPEC = ModelSpec.builder(CellType.LSTM, 3, 5)
      .head(2, Activation.SOFTMAX).build();

  static KeyPair keys(String who) throws Exception {
    return PemKeys.readKeyPair(KEYS.resolve(who + ".key.pem"));
  }

  static String pub(String who) throws Exception {
    return Files.readString(KEYS.resolve(who + ".pub.pem"), StandardCharsets.US_ASCII);
  }

  static ModelUpdate signed(long version, String who) throws Exception {
    ModelUpdate u = TestModels.update(TestModels.model(SPEC, "m", version, version));
    u.signature = new ModelSigner(keys(who)).sign(u.snapshot, "m");
    return u;
  }

  static ModelUpdate unsigned(long version) {
    return TestModels.update(TestModels.model(SPEC, "m", version, version));
  }

  @Test
  void shouldServeOnlySnapshotsSignedByATrustedKey() throws Exception {
    ModelRegistry r = new ModelRegistry(3, TrustedKeys.pem(pub("alice")));
    assertThat(r.requiresSignatures()).isTrue();
    assertThat(r.offer(signed(1, "alice")).status()).isEqualTo(ModelRegistry.Status.ACCEPTED);

    ModelRegistry.Offer noSignature = r.offer(unsigned(2));
    assertThat(noSignature.status()).isEqualTo(ModelRegistry.Status.REJECTED);
    assertThat(noSignature.reason()).startsWith("untrusted snapshot: 'm' v2 is not signed")
        .contains("--sign-key");

    ModelRegistry.Offer otherKey = r.offer(signed(3, "bob"));
    assertThat(otherKey.reason())
        .startsWith("untrusted snapshot: the signature of 'm' v3 does not verify: unknown key")
        .contains("trust its signer's public key");

    assertThat(r.latest("m").info().version()).isEqualTo(1);
  }

  @Test
  void shouldRefuseASnapshotAlteredAfterSigningWhateverItsEnvelopeSays() throws Exception {
    ModelRegistry r = new ModelRegistry(3, TrustedKeys.pem(pub("alice")));
    ModelUpdate tampered = signed(2, "alice");
    // other weights under the same name and version, with a matching envelope SHA-256
    tampered.snapshot = SnapshotFormat.toBytes(TestModels.model(SPEC, "m", 2, 99));
    tampered.sha256 = SnapshotFormat.sha256Hex(tampered.snapshot);
    ModelRegistry.Offer o = r.offer(tampered);
    assertThat(o.status()).isEqualTo(ModelRegistry.Status.REJECTED);
    assertThat(o.reason()).contains("does not verify: wrong file digest")
        .contains("publish the signed file unchanged");

    ModelUpdate badBundle = signed(2, "alice");
    badBundle.signature = "{\"mediaType\": 3}".getBytes(StandardCharsets.UTF_8);
    assertThat(r.offer(badBundle).reason()).contains("does not verify: malformed bundle");
    assertThat(r.latest("m")).isNull();
  }

  @Test
  void shouldCheckTheSignatureBeforeParsingTheBytes() throws Exception {
    ModelRegistry r = new ModelRegistry(3, TrustedKeys.pem(pub("alice")));
    ModelUpdate garbage = ModelUpdate.of("m", 1, new byte[] {1, 2, 3});
    assertThat(r.offer(garbage).reason()).contains("is not signed");
    List<String> asked = new ArrayList<>();
    r.offer(unsigned(1), m -> {
      asked.add("fit");
      return null;
    });
    assertThat(asked).as("the operator's own check never sees an untrusted snapshot").isEmpty();
  }

  @Test
  void shouldTrustSeveralKeysAtOnceForRotation() throws Exception {
    ModelRegistry r = new ModelRegistry(3, TrustedKeys.pem(pub("alice"), pub("bob")));
    assertThat(r.offer(signed(1, "alice")).status()).isEqualTo(ModelRegistry.Status.ACCEPTED);
    assertThat(r.offer(signed(2, "bob")).status()).isEqualTo(ModelRegistry.Status.ACCEPTED);
    assertThat(r.offer(signed(3, "carol")).reason()).contains("unknown key");
    assertThat(r.latest("m").info().version()).isEqualTo(2);
  }

  @Test
  void withoutTrustedKeysShouldServeSignedAndUnsignedSnapshots() throws Exception {
    ModelRegistry r = new ModelRegistry(3, TrustedKeys.NONE);
    assertThat(r.requiresSignatures()).isFalse();
    assertThat(r.offer(unsigned(1)).status()).isEqualTo(ModelRegistry.Status.ACCEPTED);
    assertThat(r.offer(signed(2, "bob")).status()).isEqualTo(ModelRegistry.Status.ACCEPTED);
  }

  @Test
  void shouldVerifyRestoredVersionsAgain() throws Exception {
    ModelUpdate v1 = signed(1, "alice");
    ModelUpdate v2 = unsigned(2); // accepted while the job ran without trusted keys
    ModelUpdate v3 = signed(3, "bob");
    List<Map.Entry<String, byte[]>> state = new ArrayList<>();
    for (ModelUpdate u : List.of(v1, v2, v3)) {
      String key = ModelRegistry.stateKey(u.name, u.version);
      state.add(new AbstractMap.SimpleEntry<>(key, u.snapshot));
      if (u.signature != null) {
        state.add(new AbstractMap.SimpleEntry<>(ModelRegistry.signatureKey(key), u.signature));
      }
    }
    state.add(new AbstractMap.SimpleEntry<>(ModelRegistry.signatureKey("m#0"), v1.signature));

    ModelRegistry trusting = new ModelRegistry(3, TrustedKeys.pem(pub("alice")));
    List<ModelRegistry.Unserved> unserved = trusting.load(state);
    assertThat(trusting.activeVersions()).containsExactly(Map.entry("m", 1L));
    assertThat(unserved).extracting(ModelRegistry.Unserved::stateKey)
        .containsExactlyInAnyOrder("m#2", "m#3", "m#0#signature");
    assertThat(unserved).filteredOn(u -> u.stateKey().equals("m#2")).singleElement()
        .satisfies(u -> assertThat(u.reason()).contains("restored version m#2 is not signed"));
    assertThat(unserved).filteredOn(u -> u.stateKey().equals("m#3")).singleElement()
        .satisfies(u -> assertThat(u.reason()).contains("unknown key"));

    ModelRegistry open = new ModelRegistry(3);
    open.load(state);
    assertThat(open.activeVersions()).containsExactly(Map.entry("m", 3L));
    assertThat(open.get("m", 2)).isNotNull();
  }

  @Test
  void trustedKeysShouldSayWhatIsWrongWithAKey(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> TrustedKeys.pem("not a key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("trusted key 1 is not a usable EC public key in PEM");
    assertThatThrownBy(() -> TrustedKeys.pem(Files.readString(KEYS.resolve("alice.key.pem"))))
        .hasMessageContaining("private key");
    assertThatThrownBy(() -> TrustedKeys.read(List.of(dir.resolve("missing.pem"))))
        .hasMessage("no such key file: " + dir.resolve("missing.pem"));

    TrustedKeys two = TrustedKeys.read(List.of(KEYS.resolve("alice.pub.pem"),
        KEYS.resolve("bob.pub.pem")));
    assertThat(two.keyIds()).containsExactly(
        PemKeys.keyId(PemKeys.readPublicKey(KEYS.resolve("alice.pub.pem"))),
        PemKeys.keyId(PemKeys.readPublicKey(KEYS.resolve("bob.pub.pem"))));
    assertThat(two.describe()).startsWith("serves only model snapshots signed by one of 2"
        + " trusted keys " + two.keyIds().get(0).substring(0, 16));
    assertThat(TrustedKeys.of(keys("alice").getPublic())).isEqualTo(TrustedKeys.pem(pub("alice")));
    assertThat(TrustedKeys.NONE.describe()).startsWith("serves unsigned model snapshots");
    assertThat(org.apache.flink.util.InstantiationUtil.clone(two)).isEqualTo(two);
    assertThat(org.apache.flink.util.InstantiationUtil.clone(two).verifier().trustedKeyIds())
        .isEqualTo(two.keyIds());
  }
}
