package io.rnnstream.operators.serving;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Keeps each input subtask's events in their order on the way to the keyed operator. */
public final class InputOrder {
  private InputOrder() {}

  /**
   * Runs {@code next} (the stateless step before the key-by) at the parallelism of {@code
   * input}, so that Flink chains it to the input and forwards each subtask's events in order. At
   * another parallelism Flink deals the events round-robin to the next subtasks, and two events
   * of one key could overtake each other before the key-by.
   */
  public static void keep(DataStream<?> input, SingleOutputStreamOperator<?> next) {
    if (input.getParallelism() > 0) {
      next.setParallelism(input.getParallelism());
    }
  }
}
