package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyState} across builds: the committed snapshots and records of earlier builds ({@code
 * serializer-snapshots/key-state-*.hex}, see {@link SerializerFixtures}) restore. Its versioned
 * snapshot answers compatibility at restore: the format of every earlier build as is; a newer or
 * unknown format, an unknown snapshot layout and another serializer's snapshot incompatible, with a
 * message naming the type and the versions.
 */
public class KeyStateSerializerUpgradeTest {
  static final KeyStateSerializer SERIALIZER = KeyStateSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<KeyState> fixtureRecords() {
    KeyState noModels = new KeyState();
    noModels.waiting = 1;
    return List.of(KeyStateSerializerTest.sample(), noModels);
  }

  public static void same(KeyState read, KeyState expected) {
    try {
      assertThat(SerializerFixtures.bytes(SERIALIZER, read))
          .isEqualTo(SerializerFixtures.bytes(SERIALIZER, expected));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    if (expected.models() == 2) {
      KeyStateSerializerTest.assertSameState(read, expected);
    }
  }

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs("key-state", SERIALIZER, fixtureRecords(),
        KeyStateSerializerUpgradeTest::same);
  }

  @Test
  void shouldWriteAndRestoreItsVersionedSnapshotAsIs() throws IOException {
    SerializerFixtures.assertWritesAndRestoresItsVersionedSnapshot(SERIALIZER,
        KeyStateSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAFormatOfANewerBuildAtRestoreNamingTheVersions() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "KeyState",
        KeyStateSerializer.FORMAT_VERSION + 1, KeyStateSerializer.FORMAT_VERSION);
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "KeyState", 255, KeyStateSerializer.FORMAT_VERSION);
  }

  /** No build wrote a format below 1: nothing migrates from there. */
  @Test
  void shouldRefuseAFormatOlderThanAnyItReads() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "KeyState", 0, KeyStateSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAnUnknownSnapshotLayoutAndAnotherSerializersSnapshot() throws IOException {
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "KeyState", 5);
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "KeyState", 2);
    SerializerFixtures.assertIncompatibleWithAnotherSerializer(SERIALIZER);
  }
}
