package io.rnnstream.operators.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the operators' per-key state serializers share (key state, sequence state, caption state):
 * a mutable, variable-length record with its own format version byte, serialized field by field.
 * Subclasses give {@code createInstance}, a deep {@code copy}, {@code serialize},
 * {@code deserialize} and their snapshot; reuse is not worth it for these records, so the
 * reuse overloads make fresh ones, and a raw copy goes through a record.
 */
public abstract class MutableStateSerializer<T> extends TypeSerializerSingleton<T> {
  private static final long serialVersionUID = 1L;

  @Override
  public final boolean isImmutableType() {
    return false;
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public final T deserialize(T reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public final void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }
}
