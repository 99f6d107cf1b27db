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
  /**
   * The signature of {@link #snapshot}: an OpenSSF model signing bundle (Sigstore bundle JSON),
   * or null when unsigned. Operators with trusted keys serve only snapshots whose bundle
   * verifies against the snapshot bytes with one of them.
   */
  public byte[] signature;
  /**
   * The record this update was decoded from, exactly as received (for Kafka: the record key and
   * value bytes), or null when it did not come from a record. A refused snapshot's dead letter
   * carries them unchanged.
   */
  public byte[] recordKey;
  /** See {@link #recordKey}: the record's value bytes as received. */
  public byte[] recordValue;

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
        + (snapshot == null ? "no bytes" : snapshot.length + " bytes")
        + (signature == null ? "" : ", signed") + "}";
  }
}
