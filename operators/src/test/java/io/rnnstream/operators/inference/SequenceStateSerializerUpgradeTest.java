package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SequenceState} across builds: the committed snapshots and records of earlier builds
 * ({@code serializer-snapshots/sequence-state-*.hex}, see {@link SerializerFixtures}) restore.
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

  static void same(SequenceState read, SequenceState expected) {
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
}
