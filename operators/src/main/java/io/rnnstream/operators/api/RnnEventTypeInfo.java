package io.rnnstream.operators.api;

import io.rnnstream.operators.state.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink type information for {@link RnnEvent} backed by {@link RnnEventSerializer}, which
 * {@link RnnInference} gives the featurized events on their way to the inference operator.
 * {@code RnnEvent} carries no {@code @TypeInfo}: elsewhere it stays a POJO (see the serializer).
 */
public final class RnnEventTypeInfo {
  public static final TypeInformation<RnnEvent> INSTANCE =
      new SerializerTypeInfo<>(RnnEvent.class, RnnEventSerializer.INSTANCE);

  private RnnEventTypeInfo() {}
}
