package io.rnnstream.operators.testutils;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;

/** A keyed ListState of one key, in an ArrayList: for unit tests of operator parts. */
public final class ListStateOnHeap<T> implements ListState<T> {
  public final List<T> list = new ArrayList<>();

  @Override
  public Iterable<T> get() {
    return list;
  }

  @Override
  public void add(T value) {
    list.add(value);
  }

  @Override
  public void update(List<T> values) {
    list.clear();
    list.addAll(values);
  }

  @Override
  public void addAll(List<T> values) {
    list.addAll(values);
  }

  @Override
  public void clear() {
    list.clear();
  }
}
