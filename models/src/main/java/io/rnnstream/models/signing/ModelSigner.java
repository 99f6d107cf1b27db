package io.rnnstream.models.signing;

import static io.rnnstream.models.signing.ModelSignatureFormat.BUNDLE_MEDIA_TYPE;
import static io.rnnstream.models.signing.ModelSignatureFormat.JSON;
import static io.rnnstream.models.signing.ModelSignatureFormat.PAYLOAD_TYPE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;

/**
 * Signs model snapshots with an EC private key: the bytes of a snapshot in, the JSON of an
 * OpenSSF model signing bundle out ({@link ModelSignatureFormat} has the layout). Every call
 * signs afresh (ECDSA is randomised), so two bundles of the same file differ but both verify.
 */
public final class ModelSigner {
  private final KeyPair keys;
  private final EcCurve curve;
  private final String keyId;

  /**
   * A signer for a key pair. Refuses curves other than P-256, P-384 and P-521, and a public key
   * that does not belong to the private key (the bundle would name a key that cannot verify).
   */
  public ModelSigner(KeyPair keys) throws InvalidKeyException {
    try {
      this.curve = EcCurve.of(keys.getPublic());
    } catch (InvalidKeySpecException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
    this.keys = keys;
    this.keyId = PemKeys.keyId(keys.getPublic());
    byte[] probe = "rnnstream key pair check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature v = Signature.getInstance(curve.signatureAlgorithm);
      v.initVerify(keys.getPublic());
      v.update(probe);
      if (!v.verify(rawSign(probe))) {
        throw new InvalidKeyException("the public key does not belong to the private key");
      }
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("cannot sign with this key: " + e.getMessage(), e);
    }
  }

  /** A signer for the private key in a PEM file ({@link PemKeys#readKeyPair}). */
  public static ModelSigner fromPem(Path keyFile)
      throws IOException, InvalidKeySpecException, InvalidKeyException {
    try {
      return new ModelSigner(PemKeys.readKeyPair(keyFile));
    } catch (InvalidKeyException e) {
      throw new InvalidKeyException(keyFile + ": " + e.getMessage(), e);
    }
  }

  /** The id of the signing key, as bundles name it ({@link PemKeys#keyId}). */
  public String keyId() {
    return keyId;
  }

  /** The bundle for a snapshot file, named by its file name (the subject name). */
  public byte[] sign(Path model) throws IOException {
    return sign(Files.readAllBytes(model), model.getFileName().toString());
  }

  /**
   * The bundle (UTF-8 JSON) that signs these snapshot bytes.
   *
   * @param modelName the subject name: informational, not checked by verifiers
   */
  public byte[] sign(byte[] model, String modelName) {
    byte[] statement = ModelSignatureFormat.statement(modelName,
        ModelSignatureFormat.sha256(model));
    byte[] sig;
    try {
      sig = rawSign(ModelSignatureFormat.pae(PAYLOAD_TYPE, statement));
    } catch (GeneralSecurityException e) {
      // the key was checked by the constructor
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("mediaType", BUNDLE_MEDIA_TYPE);
    ObjectNode material = bundle.putObject("verificationMaterial");
    material.putObject("publicKey").put("hint", keyId);
    material.putArray("tlogEntries");
    ObjectNode envelope = bundle.putObject("dsseEnvelope");
    envelope.put("payload", b64.encodeToString(statement));
    envelope.put("payloadType", PAYLOAD_TYPE);
    envelope.putArray("signatures").addObject()
        .put("sig", b64.encodeToString(sig))
        .put("keyid", "");
    return bundle.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** DER-encoded ECDSA signature (ASN.1 SEQUENCE {r, s}), hashed by curve size. */
  private byte[] rawSign(byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance(curve.signatureAlgorithm);
    s.initSign(keys.getPrivate());
    s.update(data);
    return s.sign();
  }
}
