package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import io.rnnstream.operators.state.SerializerUpgradeContract;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link KeyState} across builds: the committed snapshots and records of earlier builds ({@code
 * serializer-snapshots/key-state-*.hex}, see {@link SerializerFixtures}) restore. Its versioned
 * snapshot answers compatibility at restore: the format of every earlier build as is; a newer or
 * unknown format, an unknown snapshot layout and another serializer's snapshot incompatible, with a
 * message naming the type and the versions.
 */
public class KeyStateSerializerUpgradeTest extends SerializerUpgradeContract<KeyState> {
  static final KeyStateSerializer SERIALIZER = KeyStateSerializer.INSTANCE;

  /** The records every fixture holds, in order (changing them breaks the committed fixtures). */
  public static List<KeyState> records() {
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

  @Override
  protected TypeSerializer<KeyState> serializer() {
    return SERIALIZER;
  }

  @Override
  protected String typeName() {
    return "KeyState";
  }

  @Override
  protected String fixtureName() {
    return "key-state";
  }

  @Override
  protected int formatVersion() {
    return KeyStateSerializer.FORMAT_VERSION;
  }

  @Override
  protected List<KeyState> fixtureRecords() {
    return records();
  }

  @Override
  protected void assertSame(KeyState read, KeyState expected) {
    same(read, expected);
  }
}
