package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/** Flink's own serializer contract run against {@link KeyStateSerializer}. */
class KeyStateSerializerContractTest extends SerializerTestBase<KeyState> {

  /** Equal = equal serialized bytes (KeyState, a mutable state holder, has no equals). */
  KeyStateSerializerContractTest() {
    super(new DeeplyEqualsChecker().withCustomCheck(
        (a, b) -> a instanceof KeyState && b instanceof KeyState,
        (a, b, checker) -> Arrays.equals(bytes((KeyState) a), bytes((KeyState) b))));
  }

  @Override
  protected TypeSerializer<KeyState> createSerializer() {
    return KeyStateSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<KeyState> getTypeClass() {
    return KeyState.class;
  }

  @Override
  protected KeyState[] getTestData() {
    KeyState waitingOnly = new KeyState();
    waitingOnly.waiting = 4;
    KeyState one = new KeyState();
    one.lastSeq = 7;
    one.add("m", SequenceStateSerializerTest.sample());
    return new KeyState[] {new KeyState(), waitingOnly, one, KeyStateSerializerTest.sample()};
  }

  @Override
  protected void deepEquals(String message, KeyState should, KeyState is) {
    assertThat(bytes(is)).as(message).isEqualTo(bytes(should));
  }

  private static byte[] bytes(KeyState s) {
    try {
      return KeyStateSerializerTest.bytes(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
