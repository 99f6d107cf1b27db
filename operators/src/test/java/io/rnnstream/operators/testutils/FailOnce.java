package io.rnnstream.operators.testutils;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A pass-through map for recovery ITCases: throws once, mid-stream, after at least two
 * checkpoints completed and after {@code afterEvents} events of its subtask. The flags are
 * static (the function is serialized into the job); {@link #reset} before each run.
 */
public final class FailOnce<T> implements MapFunction<T, T>, CheckpointListener {
  public static final AtomicBoolean ENABLED = new AtomicBoolean();
  public static final AtomicBoolean FAILED = new AtomicBoolean();
  public static final AtomicInteger CHECKPOINTS = new AtomicInteger();
  private final int afterEvents;
  private int seen;

  public FailOnce(int afterEvents) {
    this.afterEvents = afterEvents;
  }

  /** Arms (or disarms) the failure for the next run. */
  public static void reset(boolean enabled) {
    ENABLED.set(enabled);
    FAILED.set(false);
    CHECKPOINTS.set(0);
  }

  @Override
  public T map(T e) {
    seen++;
    if (ENABLED.get() && CHECKPOINTS.get() >= 2 && seen > afterEvents
        && FAILED.compareAndSet(false, true)) {
      throw new RuntimeException("injected failure");
    }
    return e;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    CHECKPOINTS.incrementAndGet();
  }
}
