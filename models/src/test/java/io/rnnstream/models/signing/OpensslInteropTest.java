package io.rnnstream.models.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with OpenSSL, on keys it makes afresh: our signatures verify with
 * {@code openssl dgst -verify} over the DSSE PAE, openssl's signatures verify with ours, and
 * the key id is the SHA-256 of the public key PEM exactly as openssl writes it. Skipped where no
 * {@code openssl} is on the PATH.
 */
class OpensslInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @BeforeAll
  static void needsOpenssl() {
    boolean present;
    try {
      present = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    assumeTrue(present, "openssl is not installed");
  }

  private String openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return "exit " + p.exitValue() + ": " + out.strip();
  }

  /** Fresh keys: a PKCS#8 P-256 key, a SEC1 P-256 key, a PKCS#8 P-384 key, and public keys. */
  private void makeKeys() throws Exception {
    assertThat(openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "a.sec1"))
        .startsWith("exit 0");
    assertThat(openssl("pkcs8", "-topk8", "-nocrypt", "-in", "a.sec1", "-out", "a.key.pem"))
        .startsWith("exit 0");
    assertThat(openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "b.key.pem"))
        .startsWith("exit 0");
    assertThat(openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "c.sec1"))
        .startsWith("exit 0");
    assertThat(openssl("pkcs8", "-topk8", "-nocrypt", "-in", "c.sec1", "-out", "c.key.pem"))
        .startsWith("exit 0");
    for (String k : new String[] {"a", "b", "c"}) {
      assertThat(openssl("ec", "-in", k + ".key.pem", "-pubout", "-out", k + ".pub.pem"))
          .startsWith("exit 0");
    }
  }

  @Test
  void opensslShouldVerifyOurSignaturesOverThePae() throws Exception {
    makeKeys();
    byte[] model = "RNNSNAP\nfresh bytes for openssl".getBytes(StandardCharsets.US_ASCII);
    String[][] keys = {{"a", "-sha256"}, {"b", "-sha256"}, {"c", "-sha384"}};
    for (String[] k : keys) {
      ModelSigner signer = ModelSigner.fromPem(dir.resolve(k[0] + ".key.pem"));
      JsonNode bundle = JSON.readTree(signer.sign(model, "m.rnn"));
      byte[] payload = Base64.getDecoder().decode(bundle.at("/dsseEnvelope/payload").asText());
      byte[] pae = ModelSignatureFormat.pae(bundle.at("/dsseEnvelope/payloadType").asText(),
          payload);
      Files.write(dir.resolve("pae.bin"), pae);
      Files.write(dir.resolve("sig.der"),
          Base64.getDecoder().decode(bundle.at("/dsseEnvelope/signatures/0/sig").asText()));

      assertThat(openssl("dgst", k[1], "-verify", k[0] + ".pub.pem", "-signature", "sig.der",
          "pae.bin")).as(k[0]).isEqualTo("exit 0: Verified OK");
      pae[pae.length - 2] ^= 1;
      Files.write(dir.resolve("pae.bin"), pae);
      assertThat(openssl("dgst", k[1], "-verify", k[0] + ".pub.pem", "-signature", "sig.der",
          "pae.bin")).as(k[0]).startsWith("exit 1").contains("Verification failure");

      // the key id: SHA-256 of the PEM openssl wrote
      byte[] pem = Files.readAllBytes(dir.resolve(k[0] + ".pub.pem"));
      assertThat(signer.keyId()).isEqualTo(ModelSignerTest.sha256Hex(pem));
    }
  }

  @Test
  void weShouldVerifyASignatureOpensslMade() throws Exception {
    makeKeys();
    byte[] model = "RNNSNAP\nsigned by openssl".getBytes(StandardCharsets.US_ASCII);
    String d = ModelSignerTest.sha256Hex(model);
    String statement = ModelVerifierTest.statement("\"resources\": [{\"name\": \".\","
        + " \"algorithm\": \"sha256\", \"digest\": \"" + d + "\"}]", ModelVerifierTest.root(d));
    byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("pae.bin"),
        ModelSignatureFormat.pae("application/vnd.in-toto+json", payload));
    assertThat(openssl("dgst", "-sha256", "-sign", "b.key.pem", "-out", "sig.der", "pae.bin"))
        .startsWith("exit 0");
    String bundle = "{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\","
        + " \"verificationMaterial\": {\"publicKey\": {\"hint\": \""
        + ModelSignerTest.sha256Hex(Files.readAllBytes(dir.resolve("b.pub.pem")))
        + "\"}}, \"dsseEnvelope\": {\"payload\": \""
        + Base64.getEncoder().encodeToString(payload)
        + "\", \"payloadType\": \"application/vnd.in-toto+json\", \"signatures\": [{\"sig\": \""
        + Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("sig.der")))
        + "\"}]}}";

    ModelVerifier v = ModelVerifier.fromPemFiles(
        List.of(dir.resolve("a.pub.pem"), dir.resolve("b.pub.pem"), dir.resolve("c.pub.pem")));
    assertThat(v.verify(bundle.getBytes(StandardCharsets.UTF_8), model).keyId())
        .isEqualTo(PemKeys.keyId(PemKeys.readPublicKey(dir.resolve("b.pub.pem"))));
  }
}
