package io.rnnstream.operators.api;

/**
 * A model snapshot published on the model topic (key = model name). A Flink POJO.
 * {@link #snapshot} holds the bytes of a {@code SnapshotFormat} file; name and version must
 * match the ones inside it.
 */
public class ModelUpdate {
  public String name;
  public long version;
  public byte[] snapshot;
  /** Hex SHA-256 of {@link #snapshot}, checked when present. */
  public String sha256;
  /** Where the update came from ("topic/partition/offset"). */
  public String source;

  public ModelUpdate() {}

  public static ModelUpdate of(String name, long version, byte[] snapshot) {
    ModelUpdate u = new ModelUpdate();
    u.name = name;
    u.version = version;
    u.snapshot = snapshot;
    return u;
  }

  @Override
  public String toString() {
    return "ModelUpdate{" + name + " v" + version + ", "
        + (snapshot == null ? "no bytes" : snapshot.length + " bytes") + "}";
  }
}
