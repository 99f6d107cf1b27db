package io.rnnstream.models.signing;

import static io.rnnstream.models.signing.SigningFixtures.keyPair;
import static io.rnnstream.models.signing.SigningFixtures.model;
import static io.rnnstream.models.signing.SigningFixtures.publicKey;
import static io.rnnstream.models.signing.SigningFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign then verify, and the exact layout of what the signer writes. */
class ModelSignerTest {

  @Test
  void shouldVerifyWhatItSignedAndNameTheKey() throws Exception {
    ModelSigner signer = new ModelSigner(keyPair("alice"));
    byte[] bundle = signer.sign(model(), "model.bin");

    ModelVerifier.Verified v = new ModelVerifier(List.of(publicKey("alice"))).verify(bundle,
        model());

    assertThat(v.keyId()).isEqualTo(signer.keyId())
        .isEqualTo(PemKeys.keyId(publicKey("alice")));
    assertThat(v.modelName()).isEqualTo("model.bin");
    assertThat(v.sha256()).isEqualTo(sha256Hex(model()));
  }

  @Test
  void shouldSignWithP384AndTheSec1Key() throws Exception {
    for (String who : new String[] {"bob", "carol"}) {
      byte[] bundle = new ModelSigner(keyPair(who)).sign(model(), "m");
      assertThat(new ModelVerifier(List.of(publicKey(who))).verify(bundle, model()).keyId())
          .as(who).isEqualTo(PemKeys.keyId(publicKey(who)));
    }
  }

  @Test
  void shouldNameTheSubjectByTheFileWhenSigningAPath(@TempDir Path dir) throws Exception {
    Path m = Files.write(dir.resolve("sentiment.rnn"), model());
    byte[] bundle = new ModelSigner(keyPair("alice")).sign(m);
    assertThat(new ModelVerifier(List.of(publicKey("alice"))).verify(bundle, model())
        .modelName()).isEqualTo("sentiment.rnn");
  }

  @Test
  void shouldWriteTheOmsV1KeyBundleLayout() throws Exception {
    byte[] model = model();
    byte[] bundle = new ModelSigner(keyPair("alice")).sign(model, "model.bin");
    JsonNode b = tree(bundle);

    assertThat(b.get("mediaType").asText())
        .isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
    assertThat(b.at("/verificationMaterial/publicKey/hint").asText())
        .isEqualTo(PemKeys.keyId(publicKey("alice")));
    assertThat(b.at("/verificationMaterial/tlogEntries").isArray()).isTrue();
    assertThat(b.at("/dsseEnvelope/payloadType").asText())
        .isEqualTo("application/vnd.in-toto+json");
    assertThat(b.at("/dsseEnvelope/signatures").size()).isEqualTo(1);
    assertThat(b.at("/dsseEnvelope/signatures/0/keyid").asText()).isEmpty();

    JsonNode st = tree(Base64.getDecoder().decode(b.at("/dsseEnvelope/payload").asText()));
    String fileDigest = sha256Hex(model);
    assertThat(st.get("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
    assertThat(st.get("predicateType").asText())
        .isEqualTo("https://model_signing/signature/v1.0");
    assertThat(st.get("subject").size()).isEqualTo(1);
    assertThat(st.at("/subject/0/name").asText()).isEqualTo("model.bin");
    // root digest: SHA-256 over the raw bytes of the resource digests, in order
    assertThat(st.at("/subject/0/digest/sha256").asText())
        .isEqualTo(sha256Hex(HexFormat.of().parseHex(fileDigest)));
    assertThat(st.at("/predicate/resources").toString()).isEqualTo(
        "[{\"name\":\".\",\"algorithm\":\"sha256\",\"digest\":\"" + fileDigest + "\"}]");
    assertThat(st.at("/predicate/serialization").toString()).isEqualTo(
        "{\"method\":\"files\",\"hash_type\":\"sha256\",\"allow_symlinks\":false}");
  }

  @Test
  void shouldSignAfreshEachTimeAndBothVerify() throws Exception {
    ModelSigner signer = new ModelSigner(keyPair("alice"));
    byte[] a = signer.sign(model(), "m");
    byte[] b = signer.sign(model(), "m");
    assertThat(a).isNotEqualTo(b); // ECDSA is randomised
    ModelVerifier v = new ModelVerifier(List.of(publicKey("alice")));
    assertThat(v.verify(a, model()).keyId()).isEqualTo(v.verify(b, model()).keyId());
  }

  @Test
  void shouldRefuseAPublicKeyThatIsNotThePrivateKeys() throws Exception {
    KeyPair mixed = new KeyPair(publicKey("bob"), keyPair("alice").getPrivate());
    assertThatThrownBy(() -> new ModelSigner(mixed)).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("does not belong to the private key");
  }

  @Test
  void shouldRefuseKeysThatAreNotOnTheSpecsCurves() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThatThrownBy(() -> new ModelSigner(ed)).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("not an elliptic curve key (EdDSA)")
        .hasMessageContaining("P-256, P-384 or P-521");
  }

  static String sha256Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
