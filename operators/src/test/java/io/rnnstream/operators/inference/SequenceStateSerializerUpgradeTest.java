package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import io.rnnstream.operators.state.SerializerUpgradeContract;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link SequenceState} across builds: the committed snapshots and records of earlier builds
 * ({@code serializer-snapshots/sequence-state-*.hex}, see {@link SerializerFixtures}) restore. Its
 * versioned snapshot answers compatibility at restore: the format of every earlier build as is; a
 * newer or unknown format, an unknown snapshot layout and another serializer's snapshot
 * incompatible, with a message naming the type and the versions.
 */
public class SequenceStateSerializerUpgradeTest extends SerializerUpgradeContract<SequenceState> {
  static final SequenceStateSerializer SERIALIZER = SequenceStateSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<SequenceState> records() {
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

  @Override
  protected TypeSerializer<SequenceState> serializer() {
    return SERIALIZER;
  }

  @Override
  protected String typeName() {
    return "SequenceState";
  }

  @Override
  protected String fixtureName() {
    return "sequence-state";
  }

  @Override
  protected int formatVersion() {
    return SequenceStateSerializer.FORMAT_VERSION;
  }

  @Override
  protected List<SequenceState> fixtureRecords() {
    return records();
  }

  @Override
  protected void assertSame(SequenceState read, SequenceState expected) {
    same(read, expected);
  }
}
