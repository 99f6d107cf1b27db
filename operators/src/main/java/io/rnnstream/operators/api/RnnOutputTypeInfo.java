package io.rnnstream.operators.api;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for {@link RnnOutput}, backed by {@link RnnOutputSerializer}.
 * {@code RnnOutput} names {@link Factory} in its {@code @TypeInfo} annotation, so
 * {@code TypeInformation.of(RnnOutput.class)} and Flink's type extraction return this.
 */
public final class RnnOutputTypeInfo extends TypeInformation<RnnOutput> {
  private static final long serialVersionUID = 1L;

  public static final RnnOutputTypeInfo INSTANCE = new RnnOutputTypeInfo();

  private RnnOutputTypeInfo() {}

  /** What {@code @TypeInfo} on {@link RnnOutput} names. */
  public static final class Factory extends TypeInfoFactory<RnnOutput> {
    @Override
    public TypeInformation<RnnOutput> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return INSTANCE;
    }
  }

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
  public Class<RnnOutput> getTypeClass() {
    return RnnOutput.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<RnnOutput> createSerializer(SerializerConfig config) {
    return RnnOutputSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "RnnOutputTypeInfo";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof RnnOutputTypeInfo;
  }

  @Override
  public int hashCode() {
    return RnnOutputTypeInfo.class.getName().hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof RnnOutputTypeInfo;
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
