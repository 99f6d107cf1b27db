package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RnnEvent} under {@link RnnEventSerializer} across builds: the committed snapshots and
 * records of earlier builds ({@code serializer-snapshots/rnn-event-*.hex}, see
 * {@link SerializerFixtures}) restore.
 */
public class RnnEventSerializerUpgradeTest {
  static final RnnEventSerializer SERIALIZER = RnnEventSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<RnnEvent> fixtureRecords() {
    return List.of(RnnEventSerializerTest.samples());
  }

  static void same(RnnEvent read, RnnEvent expected) {
    assertThat(read).isEqualTo(expected);
    assertThat(RnnEventSerializerTest.same(read, expected)).as("same bits").isTrue();
  }

  @Test
  void shouldRestoreTheSnapshotsAndRecordsOfEarlierBuildsAsIs() throws IOException {
    SerializerFixtures.assertRestoresAsIs("rnn-event", SERIALIZER, fixtureRecords(),
        RnnEventSerializerUpgradeTest::same);
  }
}
