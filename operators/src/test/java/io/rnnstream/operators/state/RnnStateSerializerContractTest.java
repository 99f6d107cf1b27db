package io.rnnstream.operators.state;

import io.rnnstream.models.model.RnnState;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's own serializer contract (copy, reuse, serialized copy, snapshot and restore,
 * Java-serializability, duplicate across threads) run against {@link RnnStateSerializer}.
 */
class RnnStateSerializerContractTest extends SerializerTestBase<RnnState> {

  @Override
  protected TypeSerializer<RnnState> createSerializer() {
    return RnnStateSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<RnnState> getTypeClass() {
    return RnnState.class;
  }

  @Override
  protected RnnState[] getTestData() {
    return new RnnState[] {
      RnnState.zeros(0),
      RnnState.zeros(4),
      new RnnState(new float[] {0.5f, -2f, 1e-30f}, 1),
      new RnnState(new float[] {-0.0f, Float.NaN, Float.POSITIVE_INFINITY}, 300),
      new RnnState(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, Long.MAX_VALUE),
    };
  }
}
