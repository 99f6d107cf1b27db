package io.rnnstream.operators.state;

import io.rnnstream.models.model.RnnState;

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
public final class RnnStateTypeInfo extends SerializerTypeInfo<RnnState> {

  private static final long serialVersionUID = 1L;

  public static final RnnStateTypeInfo INSTANCE = new RnnStateTypeInfo();

  private RnnStateTypeInfo() {
    super(RnnState.class, RnnStateSerializer.INSTANCE);
  }

  @Override
  public String toString() {
    return "RnnStateTypeInfo";
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
