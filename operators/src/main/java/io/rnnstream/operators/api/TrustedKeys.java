package io.rnnstream.operators.api;

import io.rnnstream.models.signing.ModelVerifier;
import io.rnnstream.models.signing.PemKeys;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The public keys whose signatures an operator accepts on model snapshots (OpenSSF model signing
 * bundles, see {@code docs/signing.md}). With none ({@link #NONE}, the default) every snapshot
 * that passes validation is served, signed or not; with some, a snapshot is served only if its
 * bundle verifies against its bytes with one of them. Several keys at once allow a signing key to
 * be rotated.
 *
 * <p>Holds the keys as PEM text ({@code -----BEGIN PUBLIC KEY-----}), which is what travels with
 * the operator to the cluster; each operator instance parses them once when it opens. The keys
 * are checked when this is made, so a bad key fails the job's construction, not its start.
 */
public final class TrustedKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No trusted keys: unsigned snapshots are served. */
  public static final TrustedKeys NONE = new TrustedKeys(List.of(), List.of());

  private final List<String> pems;
  private final List<String> keyIds;

  private TrustedKeys(List<String> pems, List<String> keyIds) {
    this.pems = List.copyOf(pems);
    this.keyIds = List.copyOf(keyIds);
  }

  /** Trusts the public keys of these PEM texts (SubjectPublicKeyInfo, P-256/384/521). */
  public static TrustedKeys pem(String... pems) {
    return pem(Arrays.asList(pems));
  }

  /** Trusts the public keys of these PEM texts (SubjectPublicKeyInfo, P-256/384/521). */
  public static TrustedKeys pem(Collection<String> pems) {
    List<String> texts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    int i = 0;
    for (String pem : pems) {
      i++;
      if (pem == null) {
        throw new IllegalArgumentException("trusted key " + i + " is null");
      }
      try {
        PublicKey k = PemKeys.publicKey(pem);
        new ModelVerifier(List.of(k)); // the curve is one a verifier takes
        texts.add(pem);
        ids.add(PemKeys.keyId(k));
      } catch (InvalidKeySpecException | RuntimeException e) {
        throw new IllegalArgumentException("trusted key " + i + " is not a usable EC public key"
            + " in PEM: " + e.getMessage(), e);
      }
    }
    return new TrustedKeys(texts, ids);
  }

  /** Trusts these public keys (EC, P-256/384/521). */
  public static TrustedKeys of(PublicKey... keys) {
    List<String> texts = new ArrayList<>();
    for (PublicKey k : keys) {
      texts.add(PemKeys.toPem(k));
    }
    return pem(texts);
  }

  /** Trusts the public keys in these PEM files; a missing or unusable file names itself. */
  public static TrustedKeys read(List<Path> files) throws IOException {
    List<String> texts = new ArrayList<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new IOException("no such key file: " + f);
      }
      String text = Files.readString(f, StandardCharsets.US_ASCII);
      try {
        pem(text);
      } catch (IllegalArgumentException e) {
        throw new IOException(f + ": not a usable EC public key in PEM: "
            + e.getCause().getMessage(), e);
      }
      texts.add(text);
    }
    return pem(texts);
  }

  /** Whether there are no keys (every valid snapshot is served, signed or not). */
  public boolean isEmpty() {
    return pems.isEmpty();
  }

  /** The keys as PEM texts, in the order given. */
  public List<String> pems() {
    return pems;
  }

  /** The key ids (hex SHA-256 of each key as PEM, what {@code rnnstream sign} prints). */
  public List<String> keyIds() {
    return keyIds;
  }

  /** A verifier of these keys (parses them), or null when there are none. */
  public ModelVerifier verifier() {
    if (pems.isEmpty()) {
      return null;
    }
    List<PublicKey> keys = new ArrayList<>();
    try {
      for (String pem : pems) {
        keys.add(PemKeys.publicKey(pem));
      }
      return new ModelVerifier(keys);
    } catch (InvalidKeySpecException e) {
      throw new IllegalStateException("a trusted key no longer parses: " + e.getMessage(), e);
    }
  }

  /**
   * One line on what is served: "only snapshots signed by one of N trusted keys (ids ...)" or
   * that unsigned snapshots are served.
   */
  public String describe() {
    if (pems.isEmpty()) {
      return "serves unsigned model snapshots: any valid snapshot on the topic is served"
          + " (--trusted-keys P.pem serves only snapshots signed by a trusted key)";
    }
    StringBuilder b = new StringBuilder("serves only model snapshots signed by ")
        .append(pems.size() == 1 ? "the trusted key " : "one of " + pems.size()
            + " trusted keys ");
    for (int i = 0; i < keyIds.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(shortId(keyIds.get(i)));
    }
    return b.toString();
  }

  /** The first 16 hex digits of a key id, as log lines quote it. */
  public static String shortId(String keyId) {
    return keyId.length() > 16 ? keyId.substring(0, 16) + "..." : keyId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedKeys t && t.keyIds.equals(keyIds);
  }

  @Override
  public int hashCode() {
    return keyIds.hashCode();
  }

  @Override
  public String toString() {
    return "TrustedKeys" + keyIds;
  }
}
