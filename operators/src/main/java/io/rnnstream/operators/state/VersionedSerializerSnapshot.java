package io.rnnstream.operators.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Snapshot of a stateless serializer with a versioned record format: it records the format
 * version the serializer wrote, and at restore answers whether this build reads that format.
 * One subclass per serializer, its nested {@code Snapshot} class (savepoints name that class,
 * so it is never renamed or moved).
 *
 * <p>At restore Flink reads the old snapshot (an instance of the same class, {@link
 * #readSnapshot}) and asks the current serializer's snapshot {@link
 * #resolveSchemaCompatibility}. The answers, for an old snapshot of format version {@code v}:
 *
 * <ul>
 *   <li>another snapshot class (a different serializer wrote the state): incompatible;
 *   <li>{@code v} newer than this build's format, or older than any it reads: incompatible, and
 *       {@link #restoreSerializer()} of that old snapshot throws an {@link
 *       IllegalStateException} naming the type and the versions (Flink asks it for the
 *       serializer of the restored state before it checks compatibility, and the heap backend
 *       reads the state with it: that message is the one a restore fails with);
 *   <li>{@code v} read by the current serializer itself ({@link #readerOf} returns it): compatible
 *       as is. Serializers whose records carry their own format version read every format from
 *       their oldest readable one, so their older formats land here;
 *   <li>{@code v} read by another serializer ({@link #readerOf} returns a reader of that old
 *       format): compatible after migration; Flink reads the state with the reader and writes it
 *       with the current serializer.
 * </ul>
 *
 * <p>Layout, snapshot version {@value #SNAPSHOT_VERSION}: {@code int formatVersion}. The
 * snapshot classes extended Flink's {@code SimpleTypeSerializerSnapshot} before, which writes
 * version {@value #SIMPLE_SNAPSHOT_VERSION} and no payload; such a snapshot reads as format
 * version {@value #SIMPLE_SNAPSHOT_FORMAT_VERSION}, the only format those builds wrote.
 */
public abstract class VersionedSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {

  /** Version of this snapshot's own layout (not of the records). */
  public static final int SNAPSHOT_VERSION = 4;

  /** The version Flink's {@code SimpleTypeSerializerSnapshot} writes, with no payload. */
  public static final int SIMPLE_SNAPSHOT_VERSION = 3;

  /** The record format of every serializer whose snapshot was a simple one. */
  public static final int SIMPLE_SNAPSHOT_FORMAT_VERSION = 1;

  private final String typeName;
  private final TypeSerializer<T> serializer;
  private final int currentFormatVersion;
  private final int minReadableFormatVersion;
  private int formatVersion;

  /**
   * A snapshot of the current format, which Flink then overwrites from a savepoint in
   * {@link #readSnapshot}.
   *
   * @param typeName the state type, for messages
   * @param serializer the one serializer of this build
   * @param currentFormatVersion the format {@code serializer} writes
   * @param minReadableFormatVersion the oldest format {@code serializer} reads
   */
  protected VersionedSerializerSnapshot(String typeName, TypeSerializer<T> serializer,
      int currentFormatVersion, int minReadableFormatVersion) {
    if (minReadableFormatVersion < 1 || minReadableFormatVersion > currentFormatVersion) {
      throw new IllegalArgumentException("format versions " + minReadableFormatVersion + ".."
          + currentFormatVersion);
    }
    this.typeName = typeName;
    this.serializer = serializer;
    this.currentFormatVersion = currentFormatVersion;
    this.minReadableFormatVersion = minReadableFormatVersion;
    this.formatVersion = currentFormatVersion;
  }

  /** The record format version the snapshotted serializer wrote. */
  public final int formatVersion() {
    return formatVersion;
  }

  /**
   * The serializer of this build that reads records of {@code version}, or null if none does.
   * This one: the current serializer for every version from the oldest readable to the current
   * one. A format change that the current serializer does not read in place overrides it and
   * returns a reader of the old format (whose own snapshot must report that old format).
   */
  protected TypeSerializer<T> readerOf(int version) {
    return version >= minReadableFormatVersion && version <= currentFormatVersion
        ? serializer : null;
  }

  @Override
  public final int getCurrentVersion() {
    return SNAPSHOT_VERSION;
  }

  @Override
  public final void writeSnapshot(DataOutputView out) throws IOException {
    out.writeInt(formatVersion);
  }

  @Override
  public final void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
      throws IOException {
    if (readVersion == SNAPSHOT_VERSION) {
      formatVersion = in.readInt();
    } else if (readVersion == SIMPLE_SNAPSHOT_VERSION) {
      formatVersion = SIMPLE_SNAPSHOT_FORMAT_VERSION;
    } else {
      throw new IOException("Unsupported " + typeName + " serializer snapshot version "
          + readVersion + " (this build reads versions " + SIMPLE_SNAPSHOT_VERSION + " and "
          + SNAPSHOT_VERSION + "): the savepoint was written by a newer rnnstream build");
    }
  }

  /**
   * The serializer that reads the state this snapshot describes; throws {@link
   * IllegalStateException} naming the type and the versions when this build has none.
   */
  @Override
  public final TypeSerializer<T> restoreSerializer() {
    TypeSerializer<T> reader = readerOf(formatVersion);
    if (reader == null) {
      throw new IllegalStateException(unreadable(formatVersion));
    }
    return reader;
  }

  @Override
  public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
      TypeSerializerSnapshot<T> oldSerializerSnapshot) {
    if (oldSerializerSnapshot == null || oldSerializerSnapshot.getClass() != getClass()) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    int old = ((VersionedSerializerSnapshot<T>) oldSerializerSnapshot).formatVersion;
    TypeSerializer<T> reader = old > currentFormatVersion ? null : readerOf(old);
    if (reader == null) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    return reader == serializer
        ? TypeSerializerSchemaCompatibility.compatibleAsIs()
        : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
  }

  /** Why this build cannot read records of {@code version}. */
  final String unreadable(int version) {
    String reads = minReadableFormatVersion == currentFormatVersion
        ? "version " + currentFormatVersion
        : "versions " + minReadableFormatVersion + ".." + currentFormatVersion;
    return typeName + " state in format version " + version + " cannot be read by this rnnstream"
        + " build, which reads " + typeName + " format " + reads
        + (version > currentFormatVersion
            ? ": the savepoint was written by a newer build; restore it with that build"
            : ": restore it with an older build that still reads it")
        + ", or start the job without this state";
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass()
        && ((VersionedSerializerSnapshot<?>) o).formatVersion == formatVersion;
  }

  @Override
  public int hashCode() {
    return 31 * getClass().hashCode() + formatVersion;
  }

  @Override
  public String toString() {
    return typeName + " serializer snapshot (format version " + formatVersion + ")";
  }
}
