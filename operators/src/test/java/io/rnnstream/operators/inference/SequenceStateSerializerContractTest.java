package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.model.RnnState;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's own serializer contract run against {@link SequenceStateSerializer} (a state of its own
 * in checkpoints of builds before {@link KeyState}, and inside every KeyState record).
 */
class SequenceStateSerializerContractTest extends SerializerTestBase<SequenceState> {

  /** Equal = equal serialized bytes (SequenceState, a mutable state holder, has no equals). */
  SequenceStateSerializerContractTest() {
    super(new DeeplyEqualsChecker().withCustomCheck(
        (a, b) -> a instanceof SequenceState && b instanceof SequenceState,
        (a, b, checker) -> Arrays.equals(bytes((SequenceState) a), bytes((SequenceState) b))));
  }

  @Override
  protected TypeSerializer<SequenceState> createSerializer() {
    return SequenceStateSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<SequenceState> getTypeClass() {
    return SequenceState.class;
  }

  @Override
  protected SequenceState[] getTestData() {
    SequenceState minimal = new SequenceState();
    minimal.version = 9;
    minimal.width = 1;
    SequenceState rollingOnly = new SequenceState();
    rollingOnly.version = 2;
    rollingOnly.rolling = new RnnState(new float[] {Float.NaN, -0f, 1e-30f}, 300);
    return new SequenceState[] {
      new SequenceState(), minimal, rollingOnly, SequenceStateSerializerTest.sample()
    };
  }

  @Override
  protected void deepEquals(String message, SequenceState should, SequenceState is) {
    assertThat(bytes(is)).as(message).isEqualTo(bytes(should));
  }

  private static byte[] bytes(SequenceState s) {
    try {
      return SequenceStateSerializerTest.bytes(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
