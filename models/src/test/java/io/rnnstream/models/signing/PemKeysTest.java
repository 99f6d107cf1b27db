package io.rnnstream.models.signing;

import static io.rnnstream.models.signing.SigningFixtures.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Reading the PEM files openssl writes, and the key id. */
class PemKeysTest {

  @Test
  void shouldReadPkcs8AndSec1PrivateKeysWithTheirPublicKeys() throws Exception {
    for (String who : new String[] {"alice", "bob", "carol"}) {
      KeyPair pair = PemKeys.readKeyPair(file(who + ".key.pem"));
      PublicKey pub = PemKeys.readPublicKey(file(who + ".pub.pem"));
      assertThat(pair.getPublic().getEncoded()).as(who).isEqualTo(pub.getEncoded());
      assertThat(pair.getPrivate().getAlgorithm()).isEqualTo("EC");
    }
    assertThat(EcCurve.of(PemKeys.readPublicKey(file("alice.pub.pem")))).isEqualTo(EcCurve.P256);
    assertThat(EcCurve.of(PemKeys.readPublicKey(file("carol.pub.pem")))).isEqualTo(EcCurve.P384);
  }

  @Test
  void shouldWriteThePemOpensslWritesSoTheKeyIdIsItsSha256() throws Exception {
    for (String who : new String[] {"alice", "carol"}) {
      String pem = Files.readString(file(who + ".pub.pem"));
      PublicKey key = PemKeys.publicKey(pem);
      assertThat(PemKeys.toPem(key)).isEqualTo(pem);
      assertThat(PemKeys.keyId(key)).isEqualTo(ModelSignerTest.sha256Hex(pem.getBytes()))
          .hasSize(64);
    }
  }

  @Test
  void shouldIgnoreTextAroundTheBlockAndDifferentLineBreaks() throws Exception {
    String pem = Files.readString(file("alice.pub.pem"));
    PublicKey plain = PemKeys.publicKey(pem);
    PublicKey decorated = PemKeys.publicKey("Public Key Info:\n\tcurve P-256\n\n"
        + pem.replace("\n", "\r\n") + "trailing words\n");
    assertThat(PemKeys.keyId(decorated)).isEqualTo(PemKeys.keyId(plain));
  }

  @Test
  void shouldRefuseWhatIsNotAnUsableKeyWithTheReason() throws Exception {
    String priv = Files.readString(file("alice.key.pem"));
    String pub = Files.readString(file("alice.pub.pem"));
    assertThatThrownBy(() -> PemKeys.publicKey(priv)).isInstanceOf(InvalidKeySpecException.class)
        .hasMessageContaining("this is a private key; trust its public key instead");
    assertThatThrownBy(() -> PemKeys.keyPair(pub))
        .hasMessage("this is a public key; signing needs the private key");
    assertThatThrownBy(() -> PemKeys.publicKey("hello"))
        .hasMessageContaining("no PEM key block");
    assertThatThrownBy(() -> PemKeys.keyPair("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
        + "-----END ENCRYPTED PRIVATE KEY-----\n"))
        .hasMessageStartingWith("encrypted private keys are not supported");
    assertThatThrownBy(() -> PemKeys.keyPair("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,"
        + "ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n"))
        .hasMessageStartingWith("encrypted private keys are not supported");
    assertThatThrownBy(() -> PemKeys.publicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n"
        + "-----END PUBLIC KEY-----\n")).isInstanceOf(InvalidKeySpecException.class);
    byte[] rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> PemKeys.publicKey("-----BEGIN PUBLIC KEY-----\n"
        + Base64.getEncoder().encodeToString(rsa) + "\n-----END PUBLIC KEY-----\n"))
        .hasMessageStartingWith("not an elliptic curve key (algorithm 1.2.840.113549.1.1.1)");
  }

  @Test
  void shouldNameTheFileInAFileRefusal() {
    assertThatThrownBy(() -> PemKeys.readPublicKey(file("alice.key.pem")))
        .hasMessageStartingWith(file("alice.key.pem") + ": this is a private key");
  }

  @Test
  void shouldRefuseAPrivateKeyWithoutItsPublicKey() throws Exception {
    // the JDK writes PKCS#8 EC keys without the optional public key
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair jdk = g.generateKeyPair();
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString(jdk.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    try {
      KeyPair read = PemKeys.keyPair(pem);
      // a JDK that does write it: then it must be the right one
      assertThat(((ECPublicKey) read.getPublic()).getW())
          .isEqualTo(((ECPublicKey) jdk.getPublic()).getW());
    } catch (InvalidKeySpecException e) {
      assertThat(e).hasMessageContaining("does not carry its public key");
    }
  }
}
