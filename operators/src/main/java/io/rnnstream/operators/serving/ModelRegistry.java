package io.rnnstream.operators.serving;

import io.rnnstream.models.model.ModelFormatException;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.ModelUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The models an operator instance serves, by name and version: a cache of parsed models over the
 * broadcast state, which holds the snapshot bytes under {@code name#version} and is what Flink
 * checkpoints. Keeps the newest {@code retained} versions per name, so segments that started on
 * an older version can finish on it.
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

  private final int retained;
  private final Map<String, TreeMap<Long, RnnModel>> byName = new HashMap<>();
  private final Map<String, byte[]> shaByKey = new HashMap<>();

  public ModelRegistry(int retained) {
    this.retained = retained;
  }

  /** The broadcast-state key of a version: {@code name#version}. */
  public static String stateKey(String name, long version) {
    return name + "#" + version;
  }

  /** Rebuilds the cache from broadcast state entries (after a restore). */
  public void load(Iterable<Map.Entry<String, byte[]>> entries) {
    byName.clear();
    shaByKey.clear();
    for (Map.Entry<String, byte[]> e : entries) {
      RnnModel m = SnapshotFormat.fromBytes(e.getValue(), e.getKey());
      byName.computeIfAbsent(m.info().name(), n -> new TreeMap<>()).put(m.info().version(), m);
      shaByKey.put(e.getKey(), sha(e.getValue()));
    }
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
   * Validates a snapshot (checksum, format, shapes, finite values, name and version matching the
   * envelope, version newer than the current one) and installs it. Nothing changes unless it is
   * accepted. A redelivered copy of an installed version (same bytes) is a harmless duplicate.
   */
  public Offer offer(ModelUpdate u) {
    if (u.name == null || u.name.isEmpty()) {
      return rejected("snapshot has no model name");
    }
    if (u.snapshot == null || u.snapshot.length == 0) {
      return rejected("snapshot for '" + u.name + "' v" + u.version + " has no bytes");
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
