package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SequenceState} across builds: the committed snapshots and records of earlier builds
 * ({@code serializer-snapshots/sequence-state-*.hex}, see {@link SerializerFixtures}) restore. Its
 * versioned snapshot answers compatibility at restore: the format of every earlier build as is; a
 * newer or unknown format, an unknown snapshot layout and another serializer's snapshot
 * incompatible, with a message naming the type and the versions.
 */
public class SequenceStateSerializerUpgradeTest {
  static final SequenceStateSerializer SERIALIZER = SequenceStateSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<SequenceState> fixtureRecords() {
    SequenceState minimal = new SequenceState();
    minimal.version = 9;
    minimal.width = 1;
    return List.of(SequenceStateSerializerTest.sample(), minimal);
  }

  public static void same(SequenceState read, SequenceState expected) {
    try {
      assertThat(SerializerFixtures.bytes(SERIALIZER, read))
          .isEqualTo(SerializerFixtures.bytes(SERIALIZER, expected));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    if (expected.open != null) {
      SequenceStateSerializerTest.assertSameState(read, expected);
    }
  }

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs("sequence-state", SERIALIZER, fixtureRecords(),
        SequenceStateSerializerUpgradeTest::same);
  }

  @Test
  void shouldWriteAndRestoreItsVersionedSnapshotAsIs() throws IOException {
    SerializerFixtures.assertWritesAndRestoresItsVersionedSnapshot(SERIALIZER,
        SequenceStateSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAFormatOfANewerBuildAtRestoreNamingTheVersions() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "SequenceState",
        SequenceStateSerializer.FORMAT_VERSION + 1, SequenceStateSerializer.FORMAT_VERSION);
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "SequenceState", 255, SequenceStateSerializer.FORMAT_VERSION);
  }

  /** No build wrote a format below 1: nothing migrates from there. */
  @Test
  void shouldRefuseAFormatOlderThanAnyItReads() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "SequenceState", 0, SequenceStateSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAnUnknownSnapshotLayoutAndAnotherSerializersSnapshot() throws IOException {
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "SequenceState", 5);
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "SequenceState", 2);
    SerializerFixtures.assertIncompatibleWithAnotherSerializer(SERIALIZER);
  }
}
