package io.rnnstream.operators.serving;

import io.rnnstream.models.model.ModelFormatException;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.signing.ModelVerifier;
import io.rnnstream.models.signing.SignatureVerificationException;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.TrustedKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The models an operator instance serves, by name and version: a cache of parsed models over the
 * broadcast state, which holds the snapshot bytes under {@code name#version} and is what Flink
 * checkpoints. Keeps the newest {@code retained} versions per name, so segments that started on
 * an older version can finish on it.
 *
 * <p>With a verifier (trusted keys), a snapshot is installed only if its signature verifies
 * against its bytes with a trusted key; that is checked first, before its bytes are parsed. The
 * signature is kept in the broadcast state next to the snapshot, under {@code
 * name#version#signature}, so that versions restored from a checkpoint are verified again when
 * the registry is rebuilt: a restored version without a signature that verifies is not served.
 */
public final class ModelRegistry {
  /** The outcome of offering a snapshot. */
  public record Offer(Status status, RnnModel model, String reason, List<String> evictedKeys) {}

  /** Whether a snapshot was installed, was already there, or was rejected (see the reason). */
  public enum Status {
    ACCEPTED,
    DUPLICATE,
    REJECTED
  }

  /**
   * A broadcast-state entry that is not served, and why (null: a signature whose snapshot is
   * gone, nothing to report).
   */
  public record Unserved(String stateKey, String reason) {}

  private static final String SIGNATURE_SUFFIX = "#signature";

  private final int retained;
  private final ModelVerifier verifier; // null: unsigned snapshots are served
  private final Map<String, TreeMap<Long, RnnModel>> byName = new HashMap<>();
  private final Map<String, byte[]> shaByKey = new HashMap<>();

  /** A registry serving unsigned snapshots. */
  public ModelRegistry(int retained) {
    this(retained, (ModelVerifier) null);
  }

  /** A registry serving only snapshots signed by one of {@code trusted} (none: unsigned too). */
  public ModelRegistry(int retained, TrustedKeys trusted) {
    this(retained, trusted.verifier());
  }

  private ModelRegistry(int retained, ModelVerifier verifier) {
    this.retained = retained;
    this.verifier = verifier;
  }

  /** Whether only signed snapshots are served. */
  public boolean requiresSignatures() {
    return verifier != null;
  }

  /** The broadcast-state key of a version: {@code name#version}. */
  public static String stateKey(String name, long version) {
    return name + "#" + version;
  }

  /** The broadcast-state key of the signature of the version under {@code stateKey}. */
  public static String signatureKey(String stateKey) {
    return stateKey + SIGNATURE_SUFFIX;
  }

  /**
   * Rebuilds the cache from broadcast state entries (after a restore). With a verifier, each
   * version's signature entry must verify against its bytes; the versions that do not are not
   * served and are returned, with the reason, for the caller to report and remove.
   */
  public List<Unserved> load(Iterable<Map.Entry<String, byte[]>> entries) {
    byName.clear();
    shaByKey.clear();
    Map<String, byte[]> snapshots = new TreeMap<>();
    Map<String, byte[]> signatures = new HashMap<>();
    for (Map.Entry<String, byte[]> e : entries) {
      if (e.getKey().endsWith(SIGNATURE_SUFFIX)) {
        signatures.put(e.getKey(), e.getValue());
      } else {
        snapshots.put(e.getKey(), e.getValue());
      }
    }
    List<Unserved> unserved = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : snapshots.entrySet()) {
      if (verifier != null) {
        String refused = untrusted(signatures.get(signatureKey(e.getKey())), e.getValue(),
            "restored version " + e.getKey());
        if (refused != null) {
          unserved.add(new Unserved(e.getKey(), refused));
          continue;
        }
      }
      RnnModel m = SnapshotFormat.fromBytes(e.getValue(), e.getKey());
      byName.computeIfAbsent(m.info().name(), n -> new TreeMap<>()).put(m.info().version(), m);
      shaByKey.put(e.getKey(), sha(e.getValue()));
    }
    for (String sig : signatures.keySet()) {
      String of = sig.substring(0, sig.length() - SIGNATURE_SUFFIX.length());
      if (!snapshots.containsKey(of)) {
        unserved.add(new Unserved(sig, null)); // left by an eviction: nothing to report
      }
    }
    return unserved;
  }

  public RnnModel latest(String name) {
    TreeMap<Long, RnnModel> versions = byName.get(name);
    return versions == null || versions.isEmpty() ? null : versions.lastEntry().getValue();
  }

  public RnnModel get(String name, long version) {
    TreeMap<Long, RnnModel> versions = byName.get(name);
    return versions == null ? null : versions.get(version);
  }

  public Map<String, Long> activeVersions() {
    Map<String, Long> out = new TreeMap<>();
    byName.forEach((n, v) -> {
      if (!v.isEmpty()) {
        out.put(n, v.lastKey());
      }
    });
    return out;
  }

  /**
   * Validates a snapshot (with trusted keys its signature first; then checksum, format, shapes,
   * finite values, name and version matching the envelope, version newer than the current one)
   * and installs it. Nothing changes unless it is accepted. A redelivered copy of an installed
   * version (same bytes) is a harmless duplicate.
   */
  public Offer offer(ModelUpdate u) {
    return offer(u, m -> null);
  }

  /**
   * {@link #offer(ModelUpdate)} with one more check: {@code unfit} says why a snapshot that
   * parses cannot serve this operator (null: it can), e.g. a caption operator's need for a CTC
   * head. It runs after the signature and the snapshot's own checks.
   */
  public Offer offer(ModelUpdate u, Function<RnnModel, String> unfit) {
    if (u.name == null || u.name.isEmpty()) {
      return rejected("snapshot has no model name");
    }
    if (u.snapshot == null || u.snapshot.length == 0) {
      return rejected("snapshot for '" + u.name + "' v" + u.version + " has no bytes");
    }
    if (verifier != null) {
      String refused = untrusted(u.signature, u.snapshot, "'" + u.name + "' v" + u.version);
      if (refused != null) {
        return rejected(refused);
      }
    }
    byte[] sha = sha(u.snapshot);
    if (u.sha256 != null && !u.sha256.isEmpty()
        && !java.util.HexFormat.of().formatHex(sha).equalsIgnoreCase(u.sha256)) {
      return rejected("SHA-256 of the snapshot bytes does not match the envelope's sha256");
    }
    String key = stateKey(u.name, u.version);
    byte[] known = shaByKey.get(key);
    if (known != null) {
      return java.util.Arrays.equals(known, sha)
          ? new Offer(Status.DUPLICATE, get(u.name, u.version), null, List.of())
          : rejected("version " + u.version + " of '" + u.name + "' is already installed with"
              + " different bytes; publish changes under a new version");
    }
    RnnModel current = latest(u.name);
    if (current != null && u.version <= current.info().version()) {
      return rejected("version " + u.version + " of '" + u.name + "' is not newer than the"
          + " serving version " + current.info().version() + "; to roll back, publish the old"
          + " weights under a new, higher version");
    }
    RnnModel model;
    try {
      model = SnapshotFormat.fromBytes(u.snapshot, key);
    } catch (ModelFormatException | IllegalArgumentException e) {
      return rejected(e.getMessage());
    }
    if (!u.name.equals(model.info().name()) || u.version != model.info().version()) {
      return rejected("envelope says '" + u.name + "' v" + u.version + " but the snapshot is '"
          + model.info().name() + "' v" + model.info().version());
    }
    String why = unfit.apply(model);
    if (why != null) {
      return rejected(why);
    }
    TreeMap<Long, RnnModel> versions = byName.computeIfAbsent(u.name, n -> new TreeMap<>());
    versions.put(u.version, model);
    shaByKey.put(key, sha);
    List<String> evicted = new ArrayList<>();
    while (versions.size() > retained) {
      long old = versions.pollFirstEntry().getKey();
      String oldKey = stateKey(u.name, old);
      shaByKey.remove(oldKey);
      evicted.add(oldKey);
    }
    return new Offer(Status.ACCEPTED, model, null, evicted);
  }

  /**
   * Why a snapshot signed by {@code signature} (null: unsigned) may not be served, with what to
   * do about it; null when the signature verifies with a trusted key.
   */
  private String untrusted(byte[] signature, byte[] snapshot, String what) {
    if (signature == null || signature.length == 0) {
      return "untrusted snapshot: " + what + " is not signed, and only snapshots signed by a"
          + " trusted key are served; sign it with a trusted key (./rnnstream publish --sign-key"
          + " K.pem) and publish it again";
    }
    try {
      verifier.verify(signature, snapshot);
      return null;
    } catch (SignatureVerificationException e) {
      String reason = e.getMessage();
      String todo = reason.startsWith("unknown key")
          ? "publish it signed with a trusted key, or trust its signer's public key"
              + " (--trusted-keys old.pub.pem,new.pub.pem while rotating)"
          : reason.startsWith("wrong file digest") || reason.startsWith("bad signature")
              ? "the snapshot or its signature was altered after signing: publish the signed"
                  + " file unchanged, or sign it again"
              : "sign it again with a trusted key (./rnnstream sign, publish --sign-key) and"
                  + " publish it again";
      return "untrusted snapshot: the signature of " + what + " does not verify: " + reason
          + "; " + todo;
    }
  }

  private static Offer rejected(String reason) {
    return new Offer(Status.REJECTED, null, reason, List.of());
  }

  private static byte[] sha(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
