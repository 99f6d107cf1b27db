package io.rnnstream.operators.captions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CaptionState} across builds: the committed snapshots and records of earlier builds ({@code
 * serializer-snapshots/caption-state-*.hex}, see {@link SerializerFixtures}) restore. Its versioned
 * snapshot answers compatibility at restore: the format of every earlier build as is; a newer or
 * unknown format, an unknown snapshot layout and another serializer's snapshot incompatible, with a
 * message naming the type and the versions.
 */
public class CaptionStateSerializerUpgradeTest {
  static final CaptionStateSerializer SERIALIZER = CaptionStateSerializer.INSTANCE;

  /**
   * The records every fixture holds, in order (changing them breaks the committed fixtures): a
   * stream mid-utterance and a key waiting for its model, without a stream.
   */
  public static List<CaptionState> fixtureRecords() {
    CaptionState waiting = new CaptionState();
    waiting.lastSeq = 4;
    waiting.waiting = 3;
    waiting.lastActive = 1_700_000_000_500L;
    return List.of(CaptionStateSerializerTest.sample(), waiting);
  }

  /**
   * The bookkeeping fields and the stream's position; the stream's floats come from a model
   * built in the test, so they are compared by the fixture's own bytes (written again
   * identically), not recomputed.
   */
  public static void same(CaptionState read, CaptionState expected) {
    assertThat(read).usingRecursiveComparison().comparingOnlyFields(
        "lastSeq", "modelVersion", "waiting", "lastActive", "idleTimer").isEqualTo(expected);
    assertThat(read.stream == null).isEqualTo(expected.stream == null);
    if (expected.stream != null) {
      assertThat(read.stream.frames()).isEqualTo(expected.stream.frames());
      assertThat(read.stream.mel().samplesAccepted())
          .isEqualTo(expected.stream.mel().samplesAccepted());
    }
  }

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs("caption-state", SERIALIZER, fixtureRecords(),
        CaptionStateSerializerUpgradeTest::same);
  }

  @Test
  void shouldWriteAndRestoreItsVersionedSnapshotAsIs() throws IOException {
    SerializerFixtures.assertWritesAndRestoresItsVersionedSnapshot(SERIALIZER,
        CaptionStateSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAFormatOfANewerBuildAtRestoreNamingTheVersions() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "CaptionState",
        CaptionStateSerializer.FORMAT_VERSION + 1, CaptionStateSerializer.FORMAT_VERSION);
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "CaptionState", 255, CaptionStateSerializer.FORMAT_VERSION);
  }

  /** No build wrote a format below 1: nothing migrates from there. */
  @Test
  void shouldRefuseAFormatOlderThanAnyItReads() throws IOException {
    SerializerFixtures.assertRefusesFormat(SERIALIZER, "CaptionState", 0, CaptionStateSerializer.FORMAT_VERSION);
  }

  @Test
  void shouldRefuseAnUnknownSnapshotLayoutAndAnotherSerializersSnapshot() throws IOException {
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "CaptionState", 5);
    SerializerFixtures.assertRefusesSnapshotVersion(SERIALIZER, "CaptionState", 2);
    SerializerFixtures.assertIncompatibleWithAnotherSerializer(SERIALIZER);
  }
}
