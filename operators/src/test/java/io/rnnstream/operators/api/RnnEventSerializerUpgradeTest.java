package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import io.rnnstream.operators.state.SerializerUpgradeContract;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link RnnEvent} under {@link RnnEventSerializer} across builds: the committed snapshots and
 * records of earlier builds ({@code serializer-snapshots/rnn-event-*.hex}, see {@link
 * SerializerFixtures}) restore. Its versioned snapshot answers compatibility at restore: the format
 * of every earlier build as is; a newer or unknown format, an unknown snapshot layout and another
 * serializer's snapshot incompatible, with a message naming the type and the versions.
 */
public class RnnEventSerializerUpgradeTest extends SerializerUpgradeContract<RnnEvent> {
  static final RnnEventSerializer SERIALIZER = RnnEventSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<RnnEvent> records() {
    return List.of(RnnEventSerializerTest.samples());
  }

  public static void same(RnnEvent read, RnnEvent expected) {
    assertThat(read).isEqualTo(expected);
    assertThat(RnnEventSerializerTest.same(read, expected)).as("same bits").isTrue();
  }

  @Override
  protected TypeSerializer<RnnEvent> serializer() {
    return SERIALIZER;
  }

  @Override
  protected String typeName() {
    return "RnnEvent";
  }

  @Override
  protected String fixtureName() {
    return "rnn-event";
  }

  @Override
  protected int formatVersion() {
    return RnnEventSerializer.FORMAT_VERSION;
  }

  @Override
  protected List<RnnEvent> fixtureRecords() {
    return records();
  }

  @Override
  protected void assertSame(RnnEvent read, RnnEvent expected) {
    same(read, expected);
  }
}
