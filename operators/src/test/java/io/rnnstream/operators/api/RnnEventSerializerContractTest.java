package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's own serializer contract (copies, round trips, snapshots, duplicates, concurrency) run
 * against {@link RnnEventSerializer}; events are equal when their serialized bytes are (so NaN
 * payloads count too).
 */
class RnnEventSerializerContractTest extends SerializerTestBase<RnnEvent> {

  RnnEventSerializerContractTest() {
    super(new DeeplyEqualsChecker().withCustomCheck(
        (a, b) -> a instanceof RnnEvent && b instanceof RnnEvent,
        (a, b, checker) -> RnnEventSerializerTest.same((RnnEvent) a, (RnnEvent) b)));
  }

  @Override
  protected TypeSerializer<RnnEvent> createSerializer() {
    return RnnEventSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<RnnEvent> getTypeClass() {
    return RnnEvent.class;
  }

  @Override
  protected RnnEvent[] getTestData() {
    return RnnEventSerializerTest.samples();
  }

  @Override
  protected void deepEquals(String message, RnnEvent should, RnnEvent is) {
    assertThat(RnnEventSerializerTest.same(should, is)).as(message).isTrue();
  }
}
