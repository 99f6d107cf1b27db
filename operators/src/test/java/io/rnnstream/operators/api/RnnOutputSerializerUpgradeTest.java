package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RnnOutput} under {@link RnnOutputSerializer} across builds: the committed snapshots and
 * records of earlier builds ({@code serializer-snapshots/rnn-output-*.hex}, see
 * {@link SerializerFixtures}) restore.
 */
public class RnnOutputSerializerUpgradeTest {
  static final RnnOutputSerializer SERIALIZER = RnnOutputSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<RnnOutput> fixtureRecords() {
    return List.of(RnnOutputSerializerTest.samples());
  }

  static void same(RnnOutput read, RnnOutput expected) {
    assertThat(RnnOutputSerializerTest.sameFields(read, expected)).as("%s", read).isTrue();
  }

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs("rnn-output", SERIALIZER, fixtureRecords(),
        RnnOutputSerializerUpgradeTest::same);
  }
}
