package io.rnnstream.models.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The layers of an OpenSSF model signing (OMS) v1.0 signature of a single-file model, key
 * method. Outermost first:
 *
 * <pre>
 * Sigstore bundle (JSON)
 *   {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
 *    "verificationMaterial": {"publicKey": {"hint": KEY_ID}, "tlogEntries": []},
 *    "dsseEnvelope": {"payload": base64(STATEMENT), "payloadType": "application/vnd.in-toto+json",
 *                     "signatures": [{"sig": base64(DER ECDSA over PAE), "keyid": ""}]}}
 * DSSE pre-authentication encoding, the bytes that are signed
 *   PAE = "DSSEv1" SP len(payloadType) SP payloadType SP len(payload) SP payload
 *   (lengths in ASCII decimal bytes counts, SP one space)
 * in-toto Statement v1 (STATEMENT)
 *   {"_type": "https://in-toto.io/Statement/v1",
 *    "subject": [{"name": MODEL_NAME, "digest": {"sha256": ROOT}}],
 *    "predicateType": "https://model_signing/signature/v1.0",
 *    "predicate": {"resources": [{"name": ".", "algorithm": "sha256", "digest": FILE_SHA256}],
 *                  "serialization": {"method": "files", "hash_type": "sha256",
 *                                    "allow_symlinks": false}}}
 *   ROOT = hex(SHA-256(concatenation of the raw bytes of every resource digest, in order))
 *        = hex(SHA-256(SHA-256(file))) for one file
 * </pre>
 *
 * KEY_ID is the hex SHA-256 of the signer's public key as PEM ({@link PemKeys#keyId}). The
 * resource of a single-file model is named {@code "."}: the path of the file relative to itself,
 * which is what the reference implementation (Python {@code model_signing} 1.x) writes and
 * compares when it verifies a file. The spec's text asks for the file name there; a verifier
 * that reads bytes cannot know a name, so {@link ModelVerifier} accepts any name for the single
 * resource. Layout from the OMS specification v1.0 (§4.1, §5, §6.5, §6.7, §11) and the
 * reference implementation's bundles.
 */
final class ModelSignatureFormat {
  static final String BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  /** The same bundle version in the older media-type form. */
  static final String BUNDLE_MEDIA_TYPE_ALT = "application/vnd.dev.sigstore.bundle+json;version=0.3";
  static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
  static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";
  /** The model_signing 0.2 predicate: file digests as subjects, no serialization block. */
  static final String PREDICATE_TYPE_V0_2 = "https://model_signing/Digests/v0.1";
  static final String SINGLE_FILE_RESOURCE = ".";
  static final String SHA256 = "sha256";

  static final ObjectMapper JSON = new ObjectMapper();

  /** The in-toto statement that signs one file with the given SHA-256. */
  static byte[] statement(String modelName, byte[] fileSha256) {
    ObjectNode s = JSON.createObjectNode();
    s.put("_type", STATEMENT_TYPE);
    ObjectNode subject = s.putArray("subject").addObject();
    subject.put("name", modelName);
    subject.putObject("digest").put(SHA256, hex(sha256(fileSha256)));
    s.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = s.putObject("predicate");
    predicate.putArray("resources").addObject()
        .put("name", SINGLE_FILE_RESOURCE)
        .put("algorithm", SHA256)
        .put("digest", hex(fileSha256));
    predicate.putObject("serialization")
        .put("method", "files")
        .put("hash_type", SHA256)
        .put("allow_symlinks", false);
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** DSSE v1 pre-authentication encoding of a payload. */
  static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private ModelSignatureFormat() {}
}
