package io.rnnstream.operators.state;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/**
 * What every versioned state serializer must do across builds (one subclass per state type):
 * the committed snapshots and records of earlier builds ({@code serializer-snapshots/<name>-*.hex},
 * see {@link SerializerFixtures}) restore as is; its own snapshot writes and restores; a newer or
 * unknown format, an unknown snapshot layout and another serializer's snapshot are refused at
 * restore, with a message naming the type and the versions.
 *
 * @param <T> the state type
 */
public abstract class SerializerUpgradeContract<T> {
  /** The serializer under test. */
  protected abstract TypeSerializer<T> serializer();

  /** The type's name, as refusals name it ({@code KeyState}). */
  protected abstract String typeName();

  /** The fixtures' file-name prefix ({@code key-state}). */
  protected abstract String fixtureName();

  /** The record format this build writes. */
  protected abstract int formatVersion();

  /** The records every fixture holds, in order. */
  protected abstract List<T> fixtureRecords();

  /** Asserts that {@code read} is the record {@code expected}. */
  protected abstract void assertSame(T read, T expected);

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs(fixtureName(), serializer(), fixtureRecords(),
        this::assertSame);
  }

  @Test
  void shouldWriteAndRestoreItsVersionedSnapshotAsIs() throws IOException {
    SerializerFixtures.assertWritesAndRestoresItsVersionedSnapshot(serializer(), formatVersion());
  }

  @Test
  void shouldRefuseAFormatOfANewerBuildAtRestoreNamingTheVersions() throws IOException {
    SerializerFixtures.assertRefusesFormat(serializer(), typeName(), formatVersion() + 1,
        formatVersion());
    SerializerFixtures.assertRefusesFormat(serializer(), typeName(), 255, formatVersion());
  }

  /** No build wrote a format below 1: nothing migrates from there. */
  @Test
  void shouldRefuseAFormatOlderThanAnyItReads() throws IOException {
    SerializerFixtures.assertRefusesFormat(serializer(), typeName(), 0, formatVersion());
  }

  @Test
  void shouldRefuseAnUnknownSnapshotLayoutAndAnotherSerializersSnapshot() throws IOException {
    SerializerFixtures.assertRefusesSnapshotVersion(serializer(), typeName(), 5);
    SerializerFixtures.assertRefusesSnapshotVersion(serializer(), typeName(), 2);
    SerializerFixtures.assertIncompatibleWithAnotherSerializer(serializer());
  }
}
