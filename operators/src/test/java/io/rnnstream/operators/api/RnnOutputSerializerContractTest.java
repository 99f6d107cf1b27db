package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's own serializer contract (copies, round trips, snapshots, duplicates, concurrency) run
 * against {@link RnnOutputSerializer}, field by field: {@link RnnOutput#equals} leaves out the
 * latency, the step labels and the tokens, which the serializer must carry too.
 */
class RnnOutputSerializerContractTest extends SerializerTestBase<RnnOutput> {

  RnnOutputSerializerContractTest() {
    super(new DeeplyEqualsChecker().withCustomCheck(
        (a, b) -> a instanceof RnnOutput && b instanceof RnnOutput,
        (a, b, checker) -> RnnOutputSerializerTest.sameFields((RnnOutput) a, (RnnOutput) b)));
  }

  @Override
  protected TypeSerializer<RnnOutput> createSerializer() {
    return RnnOutputSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<RnnOutput> getTypeClass() {
    return RnnOutput.class;
  }

  @Override
  protected RnnOutput[] getTestData() {
    return RnnOutputSerializerTest.samples();
  }

  @Override
  protected void deepEquals(String message, RnnOutput should, RnnOutput is) {
    assertThat(RnnOutputSerializerTest.sameFields(should, is)).as(message).isTrue();
  }
}
