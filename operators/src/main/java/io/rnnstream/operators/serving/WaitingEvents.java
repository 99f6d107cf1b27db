package io.rnnstream.operators.serving;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.streaming.api.TimerService;

/**
 * A key's events that arrived before any version of their model: kept in arrival order in a
 * keyed {@code ListState}, at most {@code max} per key, with a processing-time timer to retry
 * them. The key's state holds how many are waiting (its {@code waiting} field), so that a key
 * with none costs no list read.
 */
public final class WaitingEvents<E> {
  private final ListState<E> list;
  private final int max;
  private final long retryMs;
  private final ServingMetrics metrics;
  private final String fullReason;

  /** {@code fullReason}: the dead letter's reason for an event that finds the buffer full. */
  public WaitingEvents(ListState<E> list, int max, long retryMs, ServingMetrics metrics,
      String fullReason) {
    this.list = list;
    this.max = max;
    this.retryMs = retryMs;
    this.metrics = metrics;
    this.fullReason = fullReason;
  }

  /**
   * Appends {@code e} behind the key's {@code waiting} events and arms a retry timer; false (and
   * nothing kept) when the buffer is full: the caller dead-letters the event with {@link
   * #fullReason}.
   */
  public boolean add(E e, int waiting, long now, TimerService timers) throws Exception {
    if (waiting >= max) {
      return false;
    }
    list.add(e);
    metrics.buffered(1);
    retryLater(now, timers);
    return true;
  }

  /** Arms a timer to try the waiting events again. */
  public void retryLater(long now, TimerService timers) {
    timers.registerProcessingTimeTimer(now + retryMs);
  }

  /** The key's {@code waiting} events in arrival order; the buffer is empty afterwards. */
  public List<E> takeAll(int waiting) throws Exception {
    List<E> held = new ArrayList<>(waiting);
    for (E e : list.get()) {
      held.add(e);
    }
    list.clear();
    metrics.buffered(-waiting);
    return held;
  }

  public String fullReason() {
    return fullReason;
  }
}
