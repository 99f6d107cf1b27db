package io.rnnstream.operators.state;

import io.rnnstream.models.model.RnnState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Snapshot of {@link RnnStateSerializer}, written into checkpoints and savepoints.
 *
 * <p>It records the state wire format version the serializer wrote ({@link
 * RnnStateSerializer#FORMAT_VERSION}). On restore, {@link #resolveSchemaCompatibility} compares
 * that with what the current build reads: since every record carries its own format version, any
 * version in {@code [MIN_READABLE_FORMAT_VERSION, FORMAT_VERSION]} is compatible as is; a newer or
 * retired one is incompatible (Flink then fails the restore instead of misreading state).
 *
 * <p>Layout (snapshot version {@value #SNAPSHOT_VERSION}): {@code int formatVersion}.
 */
public final class RnnStateSerializerSnapshot implements TypeSerializerSnapshot<RnnState> {

  /** Version of this snapshot's own layout (not of the state records). */
  static final int SNAPSHOT_VERSION = 1;

  private int formatVersion;

  /** Used by Flink, which instantiates snapshots reflectively before {@link #readSnapshot}. */
  public RnnStateSerializerSnapshot() {
    this(RnnStateSerializer.FORMAT_VERSION);
  }

  RnnStateSerializerSnapshot(int formatVersion) {
    this.formatVersion = formatVersion;
  }

  /** The state wire format version the snapshotted serializer wrote. */
  public int formatVersion() {
    return formatVersion;
  }

  @Override
  public int getCurrentVersion() {
    return SNAPSHOT_VERSION;
  }

  @Override
  public void writeSnapshot(DataOutputView out) throws IOException {
    out.writeInt(formatVersion);
  }

  @Override
  public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
      throws IOException {
    if (readVersion != SNAPSHOT_VERSION) {
      throw new IOException(
          "Unsupported RnnStateSerializerSnapshot version "
              + readVersion
              + " (this build reads version "
              + SNAPSHOT_VERSION
              + ")");
    }
    formatVersion = in.readInt();
  }

  @Override
  public TypeSerializer<RnnState> restoreSerializer() {
    return RnnStateSerializer.INSTANCE;
  }

  @Override
  public TypeSerializerSchemaCompatibility<RnnState> resolveSchemaCompatibility(
      TypeSerializerSnapshot<RnnState> oldSerializerSnapshot) {
    if (!(oldSerializerSnapshot instanceof RnnStateSerializerSnapshot old)) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    if (old.formatVersion < RnnStateSerializer.MIN_READABLE_FORMAT_VERSION
        || old.formatVersion > RnnStateSerializer.FORMAT_VERSION) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    return TypeSerializerSchemaCompatibility.compatibleAsIs();
  }

  @Override
  public String toString() {
    return "RnnStateSerializerSnapshot{formatVersion=" + formatVersion + "}";
  }
}
