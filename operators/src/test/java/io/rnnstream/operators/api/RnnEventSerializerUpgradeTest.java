package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RnnEvent} under {@link RnnEventSerializer} across builds: the committed snapshots and
 * records of earlier builds ({@code serializer-snapshots/rnn-event-*.hex}, see {@link
 * SerializerFixtures}) restore. Its versioned snapshot answers compatibility at restore: the format
 * of every earlier build as is; a newer or unknown format, an unknown snapshot layout and another
 * serializer's snapshot incompatible, with a message naming the type and the versions.
 */
public class RnnEventSerializerUpgradeTest {
  static final RnnEventSerializer SERIALIZER = RnnEventSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<RnnEvent> fixtureRecords() {
    return List.of(RnnEventSerializerTest.samples());
  }

  public static void same(RnnEvent read, RnnEvent expected) {
    assertThat(read).isEqualTo(expected);
    assertThat(RnnEventSerializerTest.same(read, expected)).as("same bits").isTrue();
  }

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs("rnn-event", SERIALIZER, fixtureRecords(),
        RnnEventSerializerUpgradeTest::same);
  }

  @Test
  void shouldWriteAndRestoreItsVersionedSnapshotAsIs() throws IOException {
    SerializerFixtures.assertWritesAndRestoresItsVersionedSnapshot(SERIALIZER,
        RnnEventSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAFormatOfANewerBuildAtRestoreNamingTheVersions() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "RnnEvent",
        RnnEventSerializer.FORMAT_VERSION + 1, RnnEventSerializer.FORMAT_VERSION);
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "RnnEvent", 255, RnnEventSerializer.FORMAT_VERSION);
  }

  /** No build wrote a format below 1: nothing migrates from there. */
  @Test
  void shouldRefuseAFormatOlderThanAnyItReads() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "RnnEvent", 0, RnnEventSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAnUnknownSnapshotLayoutAndAnotherSerializersSnapshot() throws IOException {
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "RnnEvent", 5);
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "RnnEvent", 2);
    SerializerFixtures.assertIncompatibleWithAnotherSerializer(SERIALIZER);
  }
}
