package io.rnnstream.models.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** The openssl-made keys and files of {@code src/test/resources/signing} (see make-fixtures.sh). */
final class SigningFixtures {
  static final Path DIR = Path.of("src/test/resources/signing");
  static final ObjectMapper JSON = new ObjectMapper();

  static Path file(String name) {
    return DIR.resolve(name);
  }

  static KeyPair keyPair(String who) throws Exception {
    return PemKeys.readKeyPair(file(who + ".key.pem"));
  }

  static PublicKey publicKey(String who) throws Exception {
    return PemKeys.readPublicKey(file(who + ".pub.pem"));
  }

  static byte[] model() throws Exception {
    return Files.readAllBytes(file("model.bin"));
  }

  static ObjectNode tree(byte[] json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  static byte[] bytes(ObjectNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A key-method bundle over any statement, signed here with P-256 (the PAE written out again,
   * not taken from the code under test), for statements the signer would never make.
   */
  static byte[] bundleOver(String statementJson, KeyPair keys) throws Exception {
    byte[] payload = statementJson.getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] pae = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " "
        + statementJson).getBytes(StandardCharsets.UTF_8);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(keys.getPrivate());
    s.update(pae);
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    bundle.putObject("verificationMaterial").putObject("publicKey")
        .put("hint", PemKeys.keyId(keys.getPublic()));
    ObjectNode env = bundle.putObject("dsseEnvelope");
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    env.put("payloadType", type);
    env.putArray("signatures").addObject().put("sig",
        Base64.getEncoder().encodeToString(s.sign()));
    return bytes(bundle);
  }

  private SigningFixtures() {}
}
