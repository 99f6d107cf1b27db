package io.rnnstream.operators.api;

import io.rnnstream.operators.state.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink type information for {@link RnnOutput}, backed by {@link RnnOutputSerializer}.
 * {@code RnnOutput} names {@link Factory} in its {@code @TypeInfo} annotation, so
 * {@code TypeInformation.of(RnnOutput.class)} and Flink's type extraction return
 * {@link #INSTANCE}.
 */
public final class RnnOutputTypeInfo {
  public static final TypeInformation<RnnOutput> INSTANCE =
      new SerializerTypeInfo<>(RnnOutput.class, RnnOutputSerializer.INSTANCE);

  private RnnOutputTypeInfo() {}

  /** What {@code @TypeInfo} on {@link RnnOutput} names. */
  public static final class Factory extends TypeInfoFactory<RnnOutput> {
    @Override
    public TypeInformation<RnnOutput> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return INSTANCE;
    }
  }
}
