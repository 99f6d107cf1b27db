package io.rnnstream.models.signing;

import static io.rnnstream.models.signing.ModelSignatureFormat.JSON;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that an OpenSSF model signing bundle ({@link ModelSignatureFormat}) vouches for a
 * snapshot's bytes and was signed by a trusted key. In this order, each failure a
 * {@link SignatureVerificationException} with a one-line reason:
 *
 * <ol>
 *   <li>the bundle: JSON, Sigstore bundle v0.3 media type, key-method verification material;
 *   <li>the key: {@code publicKey.hint} must be the id of a trusted key ({@link PemKeys#keyId});
 *       older bundles carry the key itself in {@code publicKey.rawBytes}, whose id counts the
 *       same; a bundle naming no key is tried with every trusted key;
 *   <li>the DSSE signature over the pre-authentication encoding of the payload (any of the
 *       envelope's signatures; {@code keyid} is ignored, as the spec says);
 *   <li>the statement, only once its signature holds: in-toto Statement v1, predicate type
 *       {@code https://model_signing/signature/v1.0}, serialization {@code files} with
 *       {@code sha256}, exactly one resource (a snapshot is one file), a subject digest that
 *       matches the resources;
 *   <li>the snapshot: its SHA-256 must be the resource's digest.
 * </ol>
 *
 * Trusting several keys lets a signing key be rotated: bundles of the old and the new key both
 * verify while both are trusted, and the result names the key that did.
 */
public final class ModelVerifier {
  /** What a verified bundle says: the trusted key that signed, the subject name, the digest. */
  public record Verified(String keyId, String modelName, String sha256) {}

  private final Map<String, PublicKey> trusted = new LinkedHashMap<>();

  /** A verifier trusting these public keys (P-256, P-384 or P-521). */
  public ModelVerifier(Collection<? extends PublicKey> trustedKeys) throws InvalidKeySpecException {
    if (trustedKeys.isEmpty()) {
      throw new IllegalArgumentException("no trusted keys");
    }
    for (PublicKey k : trustedKeys) {
      EcCurve.of(k);
      trusted.put(PemKeys.keyId(k), k);
    }
  }

  /** A verifier trusting the public keys in these PEM files. */
  public static ModelVerifier fromPemFiles(List<Path> files)
      throws IOException, InvalidKeySpecException {
    List<PublicKey> keys = new ArrayList<>();
    for (Path f : files) {
      keys.add(PemKeys.readPublicKey(f));
    }
    return new ModelVerifier(keys);
  }

  /** The ids of the trusted keys, in the order given. */
  public List<String> trustedKeyIds() {
    return List.copyOf(trusted.keySet());
  }

  /** Verifies a bundle file against a snapshot file. */
  public Verified verify(Path bundle, Path model)
      throws IOException, SignatureVerificationException {
    return verify(Files.readAllBytes(bundle), Files.readAllBytes(model));
  }

  /**
   * Verifies a bundle against a snapshot's bytes.
   *
   * @return the id of the trusted key that signed, with the subject name and the digest
   * @throws SignatureVerificationException when the bundle does not vouch for these bytes
   */
  public Verified verify(byte[] bundleJson, byte[] model) throws SignatureVerificationException {
    JsonNode bundle;
    try {
      bundle = JSON.readTree(bundleJson);
    } catch (IOException e) {
      throw malformed("not JSON (" + firstLine(e) + ")");
    }
    if (bundle == null || !bundle.isObject()) {
      throw malformed("not a JSON object");
    }
    String mediaType = text(bundle, "mediaType", "mediaType");
    if (!mediaType.equals(ModelSignatureFormat.BUNDLE_MEDIA_TYPE)
        && !mediaType.equals(ModelSignatureFormat.BUNDLE_MEDIA_TYPE_ALT)) {
      throw new SignatureVerificationException("unsupported bundle media type \"" + mediaType
          + "\": expected " + ModelSignatureFormat.BUNDLE_MEDIA_TYPE);
    }
    Map<String, PublicKey> candidates = signingKeys(object(bundle, "verificationMaterial",
        "verificationMaterial"));

    JsonNode envelope = object(bundle, "dsseEnvelope", "dsseEnvelope");
    byte[] payload = base64(text(envelope, "payload", "dsseEnvelope.payload"),
        "dsseEnvelope.payload");
    String payloadType = text(envelope, "payloadType", "dsseEnvelope.payloadType");
    JsonNode signatures = envelope.get("signatures");
    if (signatures == null || !signatures.isArray() || signatures.isEmpty()) {
      throw malformed("dsseEnvelope.signatures is missing or empty");
    }
    List<byte[]> sigs = new ArrayList<>();
    for (int i = 0; i < signatures.size(); i++) {
      String field = "dsseEnvelope.signatures[" + i + "].sig";
      JsonNode s = signatures.get(i);
      if (!s.isObject()) {
        throw malformed("dsseEnvelope.signatures[" + i + "] is not an object");
      }
      sigs.add(base64(text(s, "sig", field), field));
    }
    String keyId = verifySignature(candidates, ModelSignatureFormat.pae(payloadType, payload),
        sigs);

    if (!payloadType.equals(ModelSignatureFormat.PAYLOAD_TYPE)) {
      throw new SignatureVerificationException("unsupported payload type \"" + payloadType
          + "\": expected " + ModelSignatureFormat.PAYLOAD_TYPE);
    }
    return checkStatement(payload, model, keyId);
  }

  /** The trusted keys that may have signed, by what {@code verificationMaterial} names. */
  private Map<String, PublicKey> signingKeys(JsonNode material)
      throws SignatureVerificationException {
    JsonNode publicKey = material.get("publicKey");
    if (publicKey == null || publicKey.isNull()) {
      if (material.has("certificate") || material.has("x509CertificateChain")) {
        throw new SignatureVerificationException("the bundle is signed with a certificate"
            + " (Sigstore or PKI); only key-based signatures are supported: sign with"
            + " ./rnnstream sign --key");
      }
      throw malformed("verificationMaterial.publicKey is missing");
    }
    if (!publicKey.isObject()) {
      throw malformed("verificationMaterial.publicKey is not an object");
    }
    String named;
    JsonNode hint = publicKey.get("hint");
    JsonNode raw = publicKey.get("rawBytes");
    if (hint != null && !hint.isNull() && !hint.asText().isEmpty()) {
      if (!hint.isTextual()) {
        throw malformed("verificationMaterial.publicKey.hint is not a string");
      }
      named = hint.asText();
    } else if (raw != null && !raw.isNull()) {
      // Before model_signing 1.1 the key itself: base64 of its PEM (or of its DER).
      byte[] bytes = base64(raw.asText(), "verificationMaterial.publicKey.rawBytes");
      String text = new String(bytes, StandardCharsets.US_ASCII);
      try {
        named = PemKeys.keyId(text.contains("-----BEGIN")
            ? PemKeys.publicKey(text)
            : PemKeys.publicKey("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getEncoder().encodeToString(bytes) + "\n-----END PUBLIC KEY-----\n"));
      } catch (InvalidKeySpecException e) {
        throw malformed("verificationMaterial.publicKey.rawBytes is not a usable key ("
            + e.getMessage() + ")");
      }
    } else {
      return trusted; // names no key: any trusted key may have signed
    }
    PublicKey key = trusted.get(named);
    if (key == null) {
      throw new SignatureVerificationException("unknown key: the bundle was signed by key "
          + named + ", which is not among the trusted keys " + trusted.keySet());
    }
    return Map.of(named, key);
  }

  private static String verifySignature(Map<String, PublicKey> keys, byte[] pae,
      List<byte[]> sigs) throws SignatureVerificationException {
    for (Map.Entry<String, PublicKey> k : keys.entrySet()) {
      for (byte[] sig : sigs) {
        if (verifies(k.getValue(), pae, sig)) {
          return k.getKey();
        }
      }
    }
    throw new SignatureVerificationException("bad signature: the bundle's signature does not"
        + " verify with " + (keys.size() == 1 ? "key " + keys.keySet().iterator().next()
            : "any trusted key") + " (the bundle was altered, or signed with another key)");
  }

  private static boolean verifies(PublicKey key, byte[] pae, byte[] sig) {
    try {
      Signature v = Signature.getInstance(EcCurve.of(key).signatureAlgorithm);
      v.initVerify(key);
      v.update(pae);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false; // e.g. a sig that is not DER: it does not verify
    }
  }

  private static Verified checkStatement(byte[] payload, byte[] model, String keyId)
      throws SignatureVerificationException {
    JsonNode st;
    try {
      st = JSON.readTree(payload);
    } catch (IOException e) {
      throw malformed("the signed statement is not JSON (" + firstLine(e) + ")");
    }
    if (st == null || !st.isObject()) {
      throw malformed("the signed statement is not a JSON object");
    }
    String type = text(st, "_type", "statement._type");
    if (!type.equals(ModelSignatureFormat.STATEMENT_TYPE)) {
      throw new SignatureVerificationException("unsupported statement type \"" + type
          + "\": expected " + ModelSignatureFormat.STATEMENT_TYPE);
    }
    String predicateType = text(st, "predicateType", "statement.predicateType");
    if (predicateType.equals(ModelSignatureFormat.PREDICATE_TYPE_V0_2)) {
      throw new SignatureVerificationException("unsupported predicate type \"" + predicateType
          + "\" (the model_signing 0.2 format): re-sign the model");
    }
    if (!predicateType.equals(ModelSignatureFormat.PREDICATE_TYPE)) {
      throw new SignatureVerificationException("unsupported predicate type \"" + predicateType
          + "\": expected " + ModelSignatureFormat.PREDICATE_TYPE);
    }
    JsonNode subjects = st.get("subject");
    if (subjects == null || !subjects.isArray() || subjects.size() != 1) {
      throw malformed("statement.subject must hold exactly one subject");
    }
    JsonNode subject = subjects.get(0);
    JsonNode name = subject.get("name");
    String root = text(object(subject, "digest", "statement.subject[0].digest"),
        ModelSignatureFormat.SHA256, "statement.subject[0].digest.sha256");

    JsonNode predicate = object(st, "predicate", "statement.predicate");
    JsonNode serialization = object(predicate, "serialization", "predicate.serialization");
    String method = text(serialization, "method", "predicate.serialization.method");
    if (!method.equals("files")) {
      throw new SignatureVerificationException("unsupported serialization method \"" + method
          + "\": a snapshot is signed whole (method \"files\")");
    }
    String hashType = text(serialization, "hash_type", "predicate.serialization.hash_type");
    if (!hashType.equals(ModelSignatureFormat.SHA256)) {
      throw new SignatureVerificationException("unsupported hash type \"" + hashType
          + "\": only sha256 is supported");
    }
    JsonNode resources = predicate.get("resources");
    if (resources == null || !resources.isArray() || resources.isEmpty()) {
      throw malformed("predicate.resources is missing or empty");
    }
    if (resources.size() != 1) {
      List<String> names = new ArrayList<>();
      resources.forEach(r -> names.add(r.path("name").asText()));
      throw new SignatureVerificationException("the bundle signs a model of "
          + resources.size() + " files " + names + ", but a snapshot is one file");
    }
    JsonNode resource = resources.get(0);
    text(resource, "name", "predicate.resources[0].name"); // any name: see the format
    String algorithm = text(resource, "algorithm", "predicate.resources[0].algorithm");
    if (!algorithm.equals(ModelSignatureFormat.SHA256)) {
      throw new SignatureVerificationException("unsupported digest algorithm \"" + algorithm
          + "\" in predicate.resources[0]: only sha256 is supported");
    }
    byte[] signedDigest = hexDigest(text(resource, "digest", "predicate.resources[0].digest"),
        "predicate.resources[0].digest");
    if (!ModelSignatureFormat.hex(ModelSignatureFormat.sha256(signedDigest))
        .equals(root.toLowerCase(java.util.Locale.ROOT))) {
      throw malformed("statement.subject[0].digest.sha256 does not match the digest of"
          + " predicate.resources");
    }

    String actual = ModelSignatureFormat.hex(ModelSignatureFormat.sha256(model));
    String signed = ModelSignatureFormat.hex(signedDigest);
    if (!actual.equals(signed)) {
      throw new SignatureVerificationException("wrong file digest: the model's SHA-256 is "
          + actual + " but the signature is for " + signed
          + " (the file changed after signing, or the signature belongs to another file)");
    }
    return new Verified(keyId, name == null || name.isNull() ? "" : name.asText(), actual);
  }

  private static SignatureVerificationException malformed(String what) {
    return new SignatureVerificationException("malformed bundle: " + what);
  }

  private static JsonNode object(JsonNode parent, String field, String path)
      throws SignatureVerificationException {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw malformed(path + " is missing");
    }
    if (!n.isObject()) {
      throw malformed(path + " is not an object");
    }
    return n;
  }

  private static String text(JsonNode parent, String field, String path)
      throws SignatureVerificationException {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw malformed(path + " is missing");
    }
    if (!n.isTextual()) {
      throw malformed(path + " is not a string");
    }
    return n.asText();
  }

  private static byte[] base64(String value, String path) throws SignatureVerificationException {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw malformed(path + " is not base64");
    }
  }

  private static byte[] hexDigest(String value, String path)
      throws SignatureVerificationException {
    try {
      byte[] d = HexFormat.of().parseHex(value);
      if (d.length == 32) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw malformed(path + " is not a hex SHA-256");
  }

  private static String firstLine(IOException e) {
    String m = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
  }
}
