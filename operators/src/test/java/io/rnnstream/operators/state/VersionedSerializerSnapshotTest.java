package io.rnnstream.operators.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.junit.jupiter.api.Test;

/**
 * The compatibility rules of {@link VersionedSerializerSnapshot} on a serializer several formats
 * on: format 3 current, 2 read in place by the current serializer (records carry their version),
 * 1 read by a reader of its own (migration), 0 retired.
 */
class VersionedSerializerSnapshotTest {

  static final IntSerializer CURRENT = IntSerializer.INSTANCE;
  static final IntSerializer FORMAT_1_READER = new IntSerializer();

  /** The snapshot of the serializer above. */
  public static final class ThreeFormatsSnapshot extends VersionedSerializerSnapshot<Integer> {
    public ThreeFormatsSnapshot() {
      super("Counter", CURRENT, 3, 2);
    }

    @Override
    protected TypeSerializer<Integer> readerOf(int version) {
      return version == 1 ? FORMAT_1_READER : super.readerOf(version);
    }
  }

  static TypeSerializerSnapshot<Integer> savepointOf(int snapshotVersion, int format)
      throws IOException {
    return SerializerFixtures.readSnapshot(
        SerializerFixtures.snapshotBytes(ThreeFormatsSnapshot.class, snapshotVersion, format));
  }

  static TypeSerializerSchemaCompatibility<Integer> restoring(int format) throws IOException {
    return new ThreeFormatsSnapshot().resolveSchemaCompatibility(
        savepointOf(VersionedSerializerSnapshot.SNAPSHOT_VERSION, format));
  }

  @Test
  void shouldReadTheCurrentAndInPlaceReadableFormatsAsIs() throws IOException {
    assertThat(restoring(3).isCompatibleAsIs()).isTrue();
    assertThat(restoring(2).isCompatibleAsIs()).isTrue();
    assertThat(savepointOf(VersionedSerializerSnapshot.SNAPSHOT_VERSION, 2).restoreSerializer())
        .isSameAs(CURRENT);
  }

  @Test
  void shouldMigrateAFormatThatOnlyItsOwnReaderReads() throws IOException {
    assertThat(restoring(1).isCompatibleAfterMigration()).isTrue();
    assertThat(savepointOf(VersionedSerializerSnapshot.SNAPSHOT_VERSION, 1).restoreSerializer())
        .isSameAs(FORMAT_1_READER);
  }

  @Test
  void shouldReadASimpleSnapshotOfAnEarlierBuildAsFormat1() throws IOException {
    byte[] simple = SerializerFixtures.snapshotBytes(ThreeFormatsSnapshot.class,
        VersionedSerializerSnapshot.SIMPLE_SNAPSHOT_VERSION, 0);
    // SimpleTypeSerializerSnapshot wrote no payload: drop the format int the helper appends
    byte[] withoutPayload = java.util.Arrays.copyOf(simple, simple.length - Integer.BYTES);
    TypeSerializerSnapshot<Integer> old = SerializerFixtures.readSnapshot(withoutPayload);
    assertThat(((ThreeFormatsSnapshot) old).formatVersion()).isEqualTo(1);
    assertThat(new ThreeFormatsSnapshot().resolveSchemaCompatibility(old)
        .isCompatibleAfterMigration()).isTrue();
  }

  @Test
  void shouldRefuseRetiredAndNewerFormatsNamingTheVersions() throws IOException {
    assertThat(restoring(0).isIncompatible()).isTrue();
    assertThat(restoring(4).isIncompatible()).isTrue();
    assertThatThrownBy(savepointOf(VersionedSerializerSnapshot.SNAPSHOT_VERSION, 0)
        ::restoreSerializer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Counter state in format version 0 cannot be read by this rnnstream build,"
            + " which reads Counter format versions 2..3: restore it with an older build that"
            + " still reads it, or start the job without this state");
    assertThatThrownBy(savepointOf(VersionedSerializerSnapshot.SNAPSHOT_VERSION, 4)
        ::restoreSerializer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Counter state in format version 4 cannot be read by this rnnstream build,"
            + " which reads Counter format versions 2..3: the savepoint was written by a newer"
            + " build; restore it with that build, or start the job without this state");
  }

  @Test
  void shouldKeepTheFormatOfARestoredSnapshotWhenWrittenAgain() throws IOException {
    // a restored state nobody registers again is checkpointed with its old snapshot
    TypeSerializerSnapshot<Integer> old = savepointOf(VersionedSerializerSnapshot.SNAPSHOT_VERSION,
        2);
    TypeSerializerSnapshot<Integer> again =
        SerializerFixtures.readSnapshot(SerializerFixtures.writeSnapshot(old));
    assertThat(((ThreeFormatsSnapshot) again).formatVersion()).isEqualTo(2);
    assertThat(again).isEqualTo(old).isNotEqualTo(new ThreeFormatsSnapshot());
    assertThat(again).hasToString("Counter serializer snapshot (format version 2)");
  }

  @Test
  void shouldRejectAnImpossibleFormatRange() {
    assertThatThrownBy(() -> new VersionedSerializerSnapshot<Integer>("X", CURRENT, 1, 2) {})
        .isInstanceOf(IllegalArgumentException.class);
  }
}
