package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RnnOutput} under {@link RnnOutputSerializer} across builds: the committed snapshots and
 * records of earlier builds ({@code serializer-snapshots/rnn-output-*.hex}, see {@link
 * SerializerFixtures}) restore. Its versioned snapshot answers compatibility at restore: the format
 * of every earlier build as is; a newer or unknown format, an unknown snapshot layout and another
 * serializer's snapshot incompatible, with a message naming the type and the versions.
 */
public class RnnOutputSerializerUpgradeTest {
  static final RnnOutputSerializer SERIALIZER = RnnOutputSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<RnnOutput> fixtureRecords() {
    return List.of(RnnOutputSerializerTest.samples());
  }

  public static void same(RnnOutput read, RnnOutput expected) {
    assertThat(RnnOutputSerializerTest.sameFields(read, expected)).as("%s", read).isTrue();
  }

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs("rnn-output", SERIALIZER, fixtureRecords(),
        RnnOutputSerializerUpgradeTest::same);
  }

  @Test
  void shouldWriteAndRestoreItsVersionedSnapshotAsIs() throws IOException {
    SerializerFixtures.assertWritesAndRestoresItsVersionedSnapshot(SERIALIZER,
        RnnOutputSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAFormatOfANewerBuildAtRestoreNamingTheVersions() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "RnnOutput",
        RnnOutputSerializer.FORMAT_VERSION + 1, RnnOutputSerializer.FORMAT_VERSION);
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "RnnOutput", 255, RnnOutputSerializer.FORMAT_VERSION);
  }

  /** No build wrote a format below 1: nothing migrates from there. */
  @Test
  void shouldRefuseAFormatOlderThanAnyItReads() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "RnnOutput", 0, RnnOutputSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAnUnknownSnapshotLayoutAndAnotherSerializersSnapshot() throws IOException {
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "RnnOutput", 5);
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "RnnOutput", 2);
    SerializerFixtures.assertIncompatibleWithAnotherSerializer(SERIALIZER);
  }
}
