package io.rnnstream.models.signing;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.InvalidKeySpecException;

/**
 * The curves a model signing key may use, with the hash each signs with. The OpenSSF model
 * signing spec's algorithm registry requires P-256, P-384 and P-521 for the key method, and the
 * reference implementation hashes by curve size (SHA-256, SHA-384, SHA-512). ECDSA signatures
 * are DER-encoded (the JDK's {@code SHA256withECDSA}), as DSSE and Sigstore store them.
 */
enum EcCurve {
  P256("1.2.840.10045.3.1.7", "P-256", "SHA256withECDSA"),
  P384("1.3.132.0.34", "P-384", "SHA384withECDSA"),
  P521("1.3.132.0.35", "P-521", "SHA512withECDSA");

  /** id-ecPublicKey, the algorithm of every EC SubjectPublicKeyInfo and PKCS#8 key. */
  static final String EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1";

  final String oid;
  final String displayName;
  final String signatureAlgorithm;

  EcCurve(String oid, String displayName, String signatureAlgorithm) {
    this.oid = oid;
    this.displayName = displayName;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  static EcCurve ofOid(String oid) throws InvalidKeySpecException {
    for (EcCurve c : values()) {
      if (c.oid.equals(oid)) {
        return c;
      }
    }
    throw new InvalidKeySpecException("unsupported elliptic curve " + oid
        + ": model signing keys are ECDSA P-256, P-384 or P-521"
        + " (openssl ecparam -name prime256v1 -genkey)");
  }

  /** The curve of a key, read from its SubjectPublicKeyInfo: the JDK names no curve itself. */
  static EcCurve of(PublicKey key) throws InvalidKeySpecException {
    if (!(key instanceof ECPublicKey)) {
      throw new InvalidKeySpecException("not an elliptic curve key (" + key.getAlgorithm()
          + "): model signing keys are ECDSA P-256, P-384 or P-521");
    }
    Der.Reader spki = Der.parse(key.getEncoded(), Der.SEQUENCE, "public key").children();
    Der.Reader algorithm = spki.next(Der.SEQUENCE, "public key algorithm").children();
    algorithm.next(Der.OID, "public key algorithm");
    Der.Element curve = algorithm.next(Der.OID, "public key curve (explicit curve parameters"
        + " are not supported)");
    return ofOid(Der.oidString(curve.content()));
  }
}
