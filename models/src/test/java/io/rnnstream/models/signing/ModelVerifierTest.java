package io.rnnstream.models.signing;

import static io.rnnstream.models.signing.SigningFixtures.bundleOver;
import static io.rnnstream.models.signing.SigningFixtures.bytes;
import static io.rnnstream.models.signing.SigningFixtures.keyPair;
import static io.rnnstream.models.signing.SigningFixtures.model;
import static io.rnnstream.models.signing.SigningFixtures.publicKey;
import static io.rnnstream.models.signing.SigningFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** What the verifier accepts, and the reason it gives for everything it refuses. */
class ModelVerifierTest {

  private static AbstractThrowableAssert<?, ?> refused(ModelVerifier v, byte[] bundle,
      byte[] model) {
    return assertThatThrownBy(() -> v.verify(bundle, model))
        .isInstanceOf(SignatureVerificationException.class);
  }

  private static ModelVerifier trusting(String... who) throws Exception {
    List<java.security.PublicKey> keys = new java.util.ArrayList<>();
    for (String w : who) {
      keys.add(publicKey(w));
    }
    return new ModelVerifier(keys);
  }

  private static byte[] aliceBundle() throws Exception {
    return new ModelSigner(keyPair("alice")).sign(model(), "model.bin");
  }

  @Test
  void shouldRefuseAModelWithOneByteChangedAndSaySoByDigest() throws Exception {
    byte[] tampered = model();
    tampered[10] ^= 1;
    refused(trusting("alice"), aliceBundle(), tampered)
        .hasMessageStartingWith("wrong file digest: the model's SHA-256 is "
            + ModelSignerTest.sha256Hex(tampered) + " but the signature is for "
            + ModelSignerTest.sha256Hex(model()));
  }

  @Test
  void shouldRefuseASignatureByAKeyItDoesNotTrust() throws Exception {
    refused(trusting("bob"), aliceBundle(), model())
        .hasMessageStartingWith("unknown key: the bundle was signed by key "
            + PemKeys.keyId(publicKey("alice")))
        .hasMessageContaining(PemKeys.keyId(publicKey("bob")));
  }

  @Test
  void shouldNameTheKeyThatVerifiedAmongSeveral() throws Exception {
    ModelVerifier rotation = trusting("alice", "bob", "carol");
    assertThat(rotation.trustedKeyIds()).hasSize(3);
    for (String who : new String[] {"alice", "bob", "carol"}) {
      byte[] bundle = new ModelSigner(keyPair(who)).sign(model(), "m");
      assertThat(rotation.verify(bundle, model()).keyId()).as(who)
          .isEqualTo(PemKeys.keyId(publicKey(who)));
    }
  }

  @Test
  void shouldRefuseASignatureThatDoesNotMatchTheNamedKey() throws Exception {
    // bob signs, but the bundle claims alice's key
    ObjectNode b = tree(new ModelSigner(keyPair("bob")).sign(model(), "m"));
    ((ObjectNode) b.at("/verificationMaterial/publicKey"))
        .put("hint", PemKeys.keyId(publicKey("alice")));
    refused(trusting("alice", "bob"), bytes(b), model())
        .hasMessageStartingWith("bad signature: the bundle's signature does not verify with key "
            + PemKeys.keyId(publicKey("alice")));
  }

  @Test
  void shouldRefuseAnAlteredStatementAsABadSignature() throws Exception {
    ObjectNode b = tree(aliceBundle());
    String st = new String(Base64.getDecoder().decode(b.at("/dsseEnvelope/payload").asText()),
        StandardCharsets.UTF_8);
    // point the signed statement at other bytes: the signature no longer covers it
    String other = ModelSignerTest.sha256Hex("other".getBytes(StandardCharsets.UTF_8));
    String forged = st.replaceAll("\"digest\":\"[0-9a-f]{64}\"", "\"digest\":\"" + other + "\"");
    ((ObjectNode) b.get("dsseEnvelope")).put("payload",
        Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
    refused(trusting("alice"), bytes(b), "other".getBytes(StandardCharsets.UTF_8))
        .hasMessageStartingWith("bad signature");
  }

  @Test
  void shouldTryEveryTrustedKeyWhenTheBundleNamesNone() throws Exception {
    ObjectNode b = tree(new ModelSigner(keyPair("bob")).sign(model(), "m"));
    ((ObjectNode) b.at("/verificationMaterial/publicKey")).remove("hint");
    assertThat(trusting("alice", "bob").verify(bytes(b), model()).keyId())
        .isEqualTo(PemKeys.keyId(publicKey("bob")));
    refused(trusting("alice"), bytes(b), model())
        .hasMessageStartingWith("bad signature: the bundle's signature does not verify with key");
  }

  @Test
  void shouldAcceptABundleThatOpensslSignedInTheOlderReferenceLayout() throws Exception {
    // rawBytes instead of a hint, "keyid": null, pretty-printed statement, resource "."
    byte[] bundle = Files.readAllBytes(SigningFixtures.file("openssl-alice.sig"));
    ModelVerifier.Verified v = trusting("bob", "alice").verify(bundle, model());
    assertThat(v.keyId()).isEqualTo(PemKeys.keyId(publicKey("alice")));
    assertThat(v.modelName()).isEqualTo("model.bin");
    refused(trusting("bob"), bundle, model()).hasMessageStartingWith("unknown key");
  }

  @Test
  void shouldAcceptTheFileNameAsTheSingleResourceName() throws Exception {
    String d = ModelSignerTest.sha256Hex(model());
    byte[] bundle = bundleOver(statement("\"resources\": [{\"name\": \"model.bin\","
        + " \"algorithm\": \"sha256\", \"digest\": \"" + d + "\"}]", root(d)), keyPair("alice"));
    assertThat(trusting("alice").verify(bundle, model()).sha256()).isEqualTo(d);
  }

  @Test
  void shouldExplainEveryMalformedBundle() throws Exception {
    ModelVerifier v = trusting("alice");
    byte[] model = model();
    refused(v, "not json".getBytes(StandardCharsets.UTF_8), model)
        .hasMessageStartingWith("malformed bundle: not JSON");
    refused(v, "[1]".getBytes(StandardCharsets.UTF_8), model)
        .hasMessage("malformed bundle: not a JSON object");
    refused(v, new byte[0], model).hasMessage("malformed bundle: not a JSON object");

    record Case(Consumer<ObjectNode> edit, String reason) {}
    List<Case> cases = List.of(
        new Case(b -> b.remove("mediaType"), "malformed bundle: mediaType is missing"),
        new Case(b -> b.put("mediaType", "application/json"),
            "unsupported bundle media type \"application/json\""),
        new Case(b -> b.remove("verificationMaterial"),
            "malformed bundle: verificationMaterial is missing"),
        new Case(b -> ((ObjectNode) b.get("verificationMaterial")).remove("publicKey"),
            "malformed bundle: verificationMaterial.publicKey is missing"),
        new Case(b -> {
          ObjectNode m = (ObjectNode) b.get("verificationMaterial");
          m.remove("publicKey");
          m.putObject("certificate").put("rawBytes", "MIIB");
        }, "the bundle is signed with a certificate"),
        new Case(b -> ((ObjectNode) b.at("/verificationMaterial/publicKey"))
            .put("rawBytes", "%%%").remove("hint"),
            "malformed bundle: verificationMaterial.publicKey.rawBytes is not base64"),
        new Case(b -> b.remove("dsseEnvelope"), "malformed bundle: dsseEnvelope is missing"),
        new Case(b -> b.put("dsseEnvelope", "x"),
            "malformed bundle: dsseEnvelope is not an object"),
        new Case(b -> ((ObjectNode) b.get("dsseEnvelope")).remove("payload"),
            "malformed bundle: dsseEnvelope.payload is missing"),
        new Case(b -> ((ObjectNode) b.get("dsseEnvelope")).put("payload", "not base64!"),
            "malformed bundle: dsseEnvelope.payload is not base64"),
        new Case(b -> ((ObjectNode) b.get("dsseEnvelope")).put("payloadType", 7),
            "malformed bundle: dsseEnvelope.payloadType is not a string"),
        new Case(b -> ((ObjectNode) b.get("dsseEnvelope")).putArray("signatures"),
            "malformed bundle: dsseEnvelope.signatures is missing or empty"),
        new Case(b -> ((ObjectNode) b.at("/dsseEnvelope/signatures/0")).remove("sig"),
            "malformed bundle: dsseEnvelope.signatures[0].sig is missing"),
        new Case(b -> ((ObjectNode) b.at("/dsseEnvelope/signatures/0")).put("sig", "AAAA"),
            "bad signature"),
        new Case(b -> ((ArrayNode) b.at("/dsseEnvelope/signatures")).add(1),
            "malformed bundle: dsseEnvelope.signatures[1] is not an object"));
    for (Case c : cases) {
      ObjectNode b = tree(aliceBundle());
      c.edit().accept(b);
      refused(v, bytes(b), model).as(c.reason()).hasMessageStartingWith(c.reason());
    }
  }

  @Test
  void shouldAcceptKeyidAbsentEmptyOrNull() throws Exception {
    for (String keyid : new String[] {null, "", "absent"}) {
      ObjectNode b = tree(aliceBundle());
      ObjectNode sig = (ObjectNode) b.at("/dsseEnvelope/signatures/0");
      if (keyid == null) {
        sig.putNull("keyid");
      } else if (keyid.equals("absent")) {
        sig.remove("keyid");
      }
      assertThat(trusting("alice").verify(bytes(b), model()).keyId()).isNotEmpty();
    }
  }

  @Test
  void shouldExplainSignedStatementsItCannotUse() throws Exception {
    ModelVerifier v = trusting("alice");
    java.security.KeyPair alice = keyPair("alice");
    byte[] model = model();
    String d = ModelSignerTest.sha256Hex(model);
    String one = "\"resources\": [{\"name\": \".\", \"algorithm\": \"sha256\", \"digest\": \""
        + d + "\"}]";

    refused(v, bundleOver("{\"_type\": \"https://in-toto.io/Statement/v0.1\"}", alice), model)
        .hasMessageStartingWith("unsupported statement type");
    refused(v, bundleOver(statement(one, root(d)).replace("signature/v1.0", "Digests/v0.1"),
        alice), model).hasMessageStartingWith(
            "unsupported predicate type \"https://model_signing/Digests/v0.1\"");
    refused(v, bundleOver(statement(one, root(d)).replace("model_signing/signature/v1.0",
        "example.com/other"), alice), model)
        .hasMessageStartingWith("unsupported predicate type \"https://example.com/other\"");
    refused(v, bundleOver(statement(one, root(d)).replace("\"files\"", "\"shards\""), alice),
        model).hasMessageStartingWith("unsupported serialization method \"shards\"");
    refused(v, bundleOver(statement(one, root(d)).replace("\"hash_type\": \"sha256\"",
        "\"hash_type\": \"blake3\""), alice), model)
        .hasMessageStartingWith("unsupported hash type \"blake3\"");
    refused(v, bundleOver(statement(one, "00".repeat(32)), alice),
        model).hasMessage("malformed bundle: statement.subject[0].digest.sha256 does not match"
            + " the digest of predicate.resources");
    String two = "\"resources\": [{\"name\": \"a\", \"algorithm\": \"sha256\", \"digest\": \""
        + d + "\"}, {\"name\": \"b\", \"algorithm\": \"sha256\", \"digest\": \"" + d + "\"}]";
    refused(v, bundleOver(statement(two, root(d + d)), alice), model)
        .hasMessage("the bundle signs a model of 2 files [a, b], but a snapshot is one file");
    refused(v, bundleOver(statement("\"resources\": []", root(d)), alice), model)
        .hasMessage("malformed bundle: predicate.resources is missing or empty");
    refused(v, bundleOver(statement(one.replace(d, "xyz"), root(d)), alice), model)
        .hasMessage("malformed bundle: predicate.resources[0].digest is not a hex SHA-256");
    refused(v, bundleOver(statement(one, root(d)).replace("\"subject\": [{",
        "\"subject\": [{\"name\": \"extra\", \"digest\": {}}, {"), alice), model)
        .hasMessage("malformed bundle: statement.subject must hold exactly one subject");
  }

  @Test
  void shouldRefuseAnUnsupportedPayloadTypeOnceTheSignatureHolds() throws Exception {
    // signed over the PAE with its own payload type, so only the type is wrong
    java.security.KeyPair alice = keyPair("alice");
    byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    String type = "text/plain";
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
    s.initSign(alice.getPrivate());
    s.update(ModelSignatureFormat.pae(type, payload));
    ObjectNode b = tree(aliceBundle());
    ObjectNode env = (ObjectNode) b.get("dsseEnvelope");
    env.put("payload", Base64.getEncoder().encodeToString(payload)).put("payloadType", type);
    ((ObjectNode) env.at("/signatures/0")).put("sig",
        Base64.getEncoder().encodeToString(s.sign()));
    refused(trusting("alice"), bytes(b), model())
        .hasMessageStartingWith("unsupported payload type \"text/plain\"");
  }

  @Test
  void shouldEncodeThePaeAsDsseV1() {
    byte[] pae = ModelSignatureFormat.pae("application/vnd.in-toto+json",
        "{\"a\": \"é\"}".getBytes(StandardCharsets.UTF_8));
    // lengths count bytes: the payload is 11 bytes, not 10 characters
    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 28 application/vnd.in-toto+json 11 {\"a\": \"é\"}");
  }

  static String root(String hexDigests) throws Exception {
    return ModelSignerTest.sha256Hex(HexFormat.of().parseHex(hexDigests));
  }

  static String statement(String resources, String root) {
    return "{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": [{\"name\": \"m\","
        + " \"digest\": {\"sha256\": \"" + root + "\"}}], \"predicateType\":"
        + " \"https://model_signing/signature/v1.0\", \"predicate\": {" + resources + ","
        + " \"serialization\": {\"method\": \"files\", \"hash_type\": \"sha256\","
        + " \"allow_symlinks\": false}}}";
  }
}
