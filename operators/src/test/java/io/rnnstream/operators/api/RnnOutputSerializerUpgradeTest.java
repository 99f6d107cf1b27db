package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import io.rnnstream.operators.state.SerializerUpgradeContract;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link RnnOutput} under {@link RnnOutputSerializer} across builds: the committed snapshots and
 * records of earlier builds ({@code serializer-snapshots/rnn-output-*.hex}, see {@link
 * SerializerFixtures}) restore. Its versioned snapshot answers compatibility at restore: the format
 * of every earlier build as is; a newer or unknown format, an unknown snapshot layout and another
 * serializer's snapshot incompatible, with a message naming the type and the versions.
 */
public class RnnOutputSerializerUpgradeTest extends SerializerUpgradeContract<RnnOutput> {
  static final RnnOutputSerializer SERIALIZER = RnnOutputSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<RnnOutput> records() {
    return List.of(RnnOutputSerializerTest.samples());
  }

  public static void same(RnnOutput read, RnnOutput expected) {
    assertThat(RnnOutputSerializerTest.sameFields(read, expected)).as("%s", read).isTrue();
  }

  @Override
  protected TypeSerializer<RnnOutput> serializer() {
    return SERIALIZER;
  }

  @Override
  protected String typeName() {
    return "RnnOutput";
  }

  @Override
  protected String fixtureName() {
    return "rnn-output";
  }

  @Override
  protected int formatVersion() {
    return RnnOutputSerializer.FORMAT_VERSION;
  }

  @Override
  protected List<RnnOutput> fixtureRecords() {
    return records();
  }

  @Override
  protected void assertSame(RnnOutput read, RnnOutput expected) {
    same(read, expected);
  }
}
