package io.rnnstream.operators.state;

import io.rnnstream.models.model.RnnState;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for {@link RnnState}, backed by {@link RnnStateSerializer}.
 *
 * <p>{@code models} has no Flink dependency, so {@code RnnState} cannot carry a {@code @TypeInfo}
 * annotation and {@code TypeInformation.of(RnnState.class)} would fall back to Kryo. Declare state
 * with this instead:
 *
 * <pre>{@code
 * new ValueStateDescriptor<>("rnn-state", RnnStateTypeInfo.INSTANCE)
 * }</pre>
 */
public final class RnnStateTypeInfo extends TypeInformation<RnnState> {

  private static final long serialVersionUID = 1L;

  public static final RnnStateTypeInfo INSTANCE = new RnnStateTypeInfo();

  private RnnStateTypeInfo() {}

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<RnnState> getTypeClass() {
    return RnnState.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<RnnState> createSerializer(SerializerConfig config) {
    return RnnStateSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "RnnStateTypeInfo";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof RnnStateTypeInfo;
  }

  @Override
  public int hashCode() {
    return RnnStateTypeInfo.class.getName().hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof RnnStateTypeInfo;
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
