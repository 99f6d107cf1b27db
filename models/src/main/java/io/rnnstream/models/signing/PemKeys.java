package io.rnnstream.models.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EC keys in PEM files as openssl writes them, read with the JDK's own {@code KeyFactory("EC")}.
 *
 * <ul>
 *   <li>{@code -----BEGIN PUBLIC KEY-----}: an X.509 SubjectPublicKeyInfo ({@code openssl ec
 *       -pubout}). Trusted keys are these.
 *   <li>{@code -----BEGIN PRIVATE KEY-----}: an unencrypted PKCS#8 PrivateKeyInfo ({@code openssl
 *       pkcs8 -topk8 -nocrypt}) wrapping a SEC1 ECPrivateKey.
 *   <li>{@code -----BEGIN EC PRIVATE KEY-----}: a bare SEC1 ECPrivateKey (RFC 5915, {@code openssl
 *       ecparam -genkey}); an {@code EC PARAMETERS} block before it is skipped.
 * </ul>
 *
 * The public key of a private key is the one its ECPrivateKey carries in its optional
 * {@code publicKey [1]} field, which openssl always writes: the JDK has no public way to
 * compute it from the private scalar. Text around the PEM block (openssl and certtool print
 * some) is ignored. Encrypted private keys are refused with the openssl command that decrypts
 * them.
 */
public final class PemKeys {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** The public key in a {@code PUBLIC KEY} PEM file. */
  public static PublicKey readPublicKey(Path file) throws IOException, InvalidKeySpecException {
    return withFile(file, () -> publicKey(Files.readString(file, StandardCharsets.US_ASCII)));
  }

  /** The private key in a {@code PRIVATE KEY} or {@code EC PRIVATE KEY} PEM file, with its
   *  public key. */
  public static KeyPair readKeyPair(Path file) throws IOException, InvalidKeySpecException {
    return withFile(file, () -> keyPair(Files.readString(file, StandardCharsets.US_ASCII)));
  }

  /** The public key of a {@code PUBLIC KEY} PEM text. */
  public static PublicKey publicKey(String pem) throws InvalidKeySpecException {
    Block b = block(pem);
    if (!b.type().equals("PUBLIC KEY")) {
      throw new InvalidKeySpecException(b.type().contains("PRIVATE")
          ? "this is a private key; trust its public key instead"
              + " (openssl ec -in K.pem -pubout -out K.pub.pem)"
          : "expected a PEM \"PUBLIC KEY\" block, found \"" + b.type() + "\"");
    }
    return spkiKey(b.der());
  }

  /** The private key of a {@code PRIVATE KEY} (PKCS#8) or {@code EC PRIVATE KEY} (SEC1) PEM
   *  text, with the public key it carries. */
  public static KeyPair keyPair(String pem) throws InvalidKeySpecException {
    Block b = block(pem);
    switch (b.type()) {
      case "PRIVATE KEY":
        return fromPkcs8(b.der());
      case "EC PRIVATE KEY":
        return fromSec1(b.der());
      case "ENCRYPTED PRIVATE KEY":
        throw encrypted();
      case "PUBLIC KEY":
        throw new InvalidKeySpecException("this is a public key; signing needs the private key");
      default:
        throw new InvalidKeySpecException("unsupported PEM block \"" + b.type()
            + "\": model signing keys are EC private keys (openssl ecparam -name prime256v1"
            + " -genkey -noout | openssl pkcs8 -topk8 -nocrypt)");
    }
  }

  /**
   * The key id of the OpenSSF model signing format: the lowercase hex SHA-256 of the key's
   * SubjectPublicKeyInfo as PEM ({@link #toPem}), the {@code verificationMaterial.publicKey.hint}
   * of a bundle. The same key always has the same id, however its file was formatted.
   */
  public static String keyId(PublicKey key) {
    try {
      byte[] pem = toPem(key).getBytes(StandardCharsets.US_ASCII);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pem));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The key as PEM exactly as OpenSSL (and Python's {@code cryptography}) write it: the
   * SubjectPublicKeyInfo DER in base64 lines of 64 characters between the BEGIN and END lines,
   * each line ending with a newline.
   */
  public static String toPem(PublicKey key) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  private record Block(String type, byte[] der) {}

  private static Block block(String pem) throws InvalidKeySpecException {
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("EC PARAMETERS")) {
        continue; // openssl ecparam -genkey without -noout writes the curve first
      }
      String body = m.group(2);
      if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
        throw encrypted();
      }
      try {
        return new Block(type, Base64.getMimeDecoder().decode(body.strip()));
      } catch (IllegalArgumentException e) {
        throw new InvalidKeySpecException("the PEM \"" + type + "\" block is not base64: "
            + e.getMessage());
      }
    }
    throw new InvalidKeySpecException("no PEM key block (-----BEGIN ...-----) found");
  }

  private static InvalidKeySpecException encrypted() {
    return new InvalidKeySpecException("encrypted private keys are not supported; decrypt it"
        + " first (openssl pkcs8 -topk8 -nocrypt -in K.pem -out K.plain.pem)");
  }

  /** SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT
   *  STRING }, with AlgorithmIdentifier { id-ecPublicKey, namedCurve OID }. */
  private static PublicKey spkiKey(byte[] der) throws InvalidKeySpecException {
    Der.Reader spki = Der.parse(der, Der.SEQUENCE, "public key").children();
    Der.Reader alg = spki.next(Der.SEQUENCE, "public key algorithm").children();
    String algOid = Der.oidString(alg.next(Der.OID, "public key algorithm").content());
    if (!algOid.equals(EcCurve.EC_PUBLIC_KEY_OID)) {
      throw new InvalidKeySpecException("not an elliptic curve key (algorithm " + algOid
          + "): model signing keys are ECDSA P-256, P-384 or P-521");
    }
    EcCurve.ofOid(Der.oidString(alg.next(Der.OID, "public key curve").content()));
    return (PublicKey) generate(new X509EncodedKeySpec(der), true);
  }

  /** PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, privateKey
   *  OCTET STRING (an ECPrivateKey), ... }. */
  private static KeyPair fromPkcs8(byte[] der) throws InvalidKeySpecException {
    Der.Reader info = Der.parse(der, Der.SEQUENCE, "private key").children();
    info.next(Der.INTEGER, "private key version");
    Der.Reader alg = info.next(Der.SEQUENCE, "private key algorithm").children();
    String algOid = Der.oidString(alg.next(Der.OID, "private key algorithm").content());
    if (!algOid.equals(EcCurve.EC_PUBLIC_KEY_OID)) {
      throw new InvalidKeySpecException("not an elliptic curve key (algorithm " + algOid
          + "): model signing keys are ECDSA P-256, P-384 or P-521");
    }
    byte[] curveOid = alg.next(Der.OID, "private key curve").content();
    byte[] sec1 = info.next(Der.OCTET_STRING, "private key").content();
    PrivateKey priv = (PrivateKey) generate(new PKCS8EncodedKeySpec(der), false);
    return new KeyPair(publicOf(sec1, curveOid), priv);
  }

  /** ECPrivateKey ::= SEQUENCE { version INTEGER 1, privateKey OCTET STRING, parameters [0]
   *  OID OPTIONAL, publicKey [1] BIT STRING OPTIONAL } (RFC 5915). Wrapped in PKCS#8 for the
   *  JDK, which reads only that. */
  private static KeyPair fromSec1(byte[] der) throws InvalidKeySpecException {
    byte[] curveOid = curveOf(der);
    if (curveOid == null) {
      throw new InvalidKeySpecException("the EC private key does not name its curve");
    }
    byte[] pkcs8 = Der.element(Der.SEQUENCE,
        Der.element(Der.INTEGER, new byte[] {0}),
        algorithmIdentifier(curveOid),
        Der.element(Der.OCTET_STRING, der));
    PrivateKey priv = (PrivateKey) generate(new PKCS8EncodedKeySpec(pkcs8), false);
    return new KeyPair(publicOf(der, curveOid), priv);
  }

  /** The [0] curve OID of an ECPrivateKey, or null. */
  private static byte[] curveOf(byte[] sec1) throws InvalidKeySpecException {
    Der.Reader r = Der.parse(sec1, Der.SEQUENCE, "EC private key").children();
    while (r.hasNext()) {
      Der.Element e = r.next();
      if (e.tag() == Der.CONTEXT_0) {
        return e.children().next(Der.OID, "EC private key curve").content();
      }
    }
    return null;
  }

  private static PublicKey publicOf(byte[] sec1, byte[] pkcs8CurveOid)
      throws InvalidKeySpecException {
    Der.Reader r = Der.parse(sec1, Der.SEQUENCE, "EC private key").children();
    r.next(Der.INTEGER, "EC private key version");
    r.next(Der.OCTET_STRING, "EC private key");
    while (r.hasNext()) {
      Der.Element e = r.next();
      if (e.tag() == Der.CONTEXT_1) {
        byte[] point = e.children().next(Der.BIT_STRING, "EC public key").content();
        byte[] spki = Der.element(Der.SEQUENCE, algorithmIdentifier(pkcs8CurveOid),
            Der.element(Der.BIT_STRING, point));
        return spkiKey(spki);
      }
    }
    throw new InvalidKeySpecException("the private key file does not carry its public key;"
        + " rewrite it with openssl (openssl pkcs8 -topk8 -nocrypt -in K.pem -out K2.pem)");
  }

  private static byte[] algorithmIdentifier(byte[] curveOid) {
    byte[] ecPublicKey = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    return Der.element(Der.SEQUENCE, Der.element(Der.OID, ecPublicKey),
        Der.element(Der.OID, curveOid));
  }

  private static java.security.Key generate(java.security.spec.KeySpec spec, boolean isPublic)
      throws InvalidKeySpecException {
    try {
      KeyFactory f = KeyFactory.getInstance("EC");
      return isPublic ? f.generatePublic(spec) : f.generatePrivate(spec);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no EC key factory", e);
    } catch (InvalidKeySpecException e) {
      throw new InvalidKeySpecException("invalid EC " + (isPublic ? "public" : "private")
          + " key: " + e.getMessage(), e);
    }
  }

  private interface KeyRead<T> {
    T read() throws IOException, InvalidKeySpecException;
  }

  /** Reads a key file, naming the file in a refusal. */
  private static <T> T withFile(Path file, KeyRead<T> read)
      throws IOException, InvalidKeySpecException {
    try {
      return read.read();
    } catch (InvalidKeySpecException e) {
      throw new InvalidKeySpecException(file + ": " + e.getMessage(), e);
    }
  }

  private PemKeys() {}
}
