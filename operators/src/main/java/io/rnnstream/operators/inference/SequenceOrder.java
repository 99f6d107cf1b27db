package io.rnnstream.operators.inference;

import io.rnnstream.operators.api.GapPolicy;
import io.rnnstream.operators.api.RnnEvent;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;

/**
 * Puts one key's events in sequence-number order before they are stepped. Events without a
 * number ({@code seq < 0}), and every event before the key's first numbered one, pass as they
 * come.
 *
 * <pre>
 * seq <= lastSeq, or already parked      a duplicate: dropped and counted
 * seq == lastSeq + 1                     next: stepped now, then the parked events it makes
 *                                        consecutive
 * seq >  lastSeq + 1                     parked behind the gap (a MapState by seq) until the
 *                                        gap closes, its deadline passes (gapTimeout after the
 *                                        first parked event) or more than maxPendingEvents wait
 * </pre>
 *
 * When the gap is given up, the {@link GapPolicy} applies (RESET: every model state of the key
 * back to zero) and the parked events are stepped in order. The key's {@link KeyState} holds
 * {@code lastSeq}, the number of parked events ({@code pending}) and the deadline
 * ({@code gapDeadline}, 0 = no gap).
 */
final class SequenceOrder {
  /** Where an event goes. */
  enum Place {
    /** Next in order (its number is now the last used): step it. */
    NEXT,
    /** Already processed or parked: dropped. */
    DUPLICATE,
    /** Parked behind a gap. */
    PARKED,
    /** Parked, and too many are: give up the gap now ({@link #skipGap}). */
    PARKED_OVER_LIMIT
  }

  private final MapState<Long, RnnEvent> parked;
  private final GapPolicy gapPolicy;
  private final long gapTimeoutMs;
  private final int maxParked;
  private final InferenceMetrics metrics;

  SequenceOrder(MapState<Long, RnnEvent> parked, GapPolicy gapPolicy, long gapTimeoutMs,
      int maxParked, InferenceMetrics metrics) {
    this.parked = parked;
    this.gapPolicy = gapPolicy;
    this.gapTimeoutMs = gapTimeoutMs;
    this.maxParked = maxParked;
    this.metrics = metrics;
  }

  /** Places {@code e}; parking arms the gap's deadline timer when the gap is new. */
  Place place(RnnEvent e, KeyState m, long now, TimerService timers) throws Exception {
    if (e.seq >= 0 && m.lastSeq >= 0) {
      if (e.seq <= m.lastSeq || (m.pending > 0 && parked.contains(e.seq))) {
        metrics.duplicates.inc();
        return Place.DUPLICATE;
      }
      if (e.seq > m.lastSeq + 1) {
        return park(e, m, now, timers);
      }
    }
    use(e, m);
    return Place.NEXT;
  }

  private Place park(RnnEvent e, KeyState m, long now, TimerService timers) throws Exception {
    parked.put(e.seq, e);
    m.pending++;
    metrics.buffered(1);
    if (m.gapDeadline == 0) {
      m.gapDeadline = now + gapTimeoutMs;
      timers.registerProcessingTimeTimer(m.gapDeadline);
    }
    return m.pending > maxParked ? Place.PARKED_OVER_LIMIT : Place.PARKED;
  }

  /**
   * Uses up the number of an event that will not be stepped (a dead letter) if it was the next
   * one; true when it was, and parked events may now be consecutive.
   */
  boolean skip(RnnEvent e, KeyState m) {
    if (e.seq >= 0 && (m.lastSeq < 0 || e.seq == m.lastSeq + 1)) {
      m.lastSeq = e.seq;
      return true;
    }
    return false;
  }

  /** The parked event that is next in order, unparked; null when there is none. */
  RnnEvent nextParked(KeyState m) throws Exception {
    RnnEvent next = m.pending > 0 ? parked.get(m.lastSeq + 1) : null;
    if (next == null) {
      if (m.pending == 0) {
        m.gapDeadline = 0;
      }
      return null;
    }
    parked.remove(next.seq);
    m.pending--;
    metrics.buffered(-1);
    use(next, m);
    return next;
  }

  /** Whether the key's gap has passed its deadline at {@code now}. */
  boolean gapExpired(KeyState m, long now) {
    return m.pending > 0 && m.gapDeadline > 0 && now >= m.gapDeadline;
  }

  /**
   * Gives up waiting for the gap: applies the gap policy and returns every parked event in order
   * (to be stepped); nothing is parked afterwards and the last number is the highest parked.
   */
  Collection<RnnEvent> skipGap(KeyState m) throws Exception {
    TreeMap<Long, RnnEvent> inOrder = new TreeMap<>();
    for (Map.Entry<Long, RnnEvent> en : parked.entries()) {
      inOrder.put(en.getKey(), en.getValue());
    }
    parked.clear();
    metrics.buffered(-m.pending);
    m.pending = 0;
    m.gapDeadline = 0;
    metrics.gapsSkipped.inc();
    if (gapPolicy == GapPolicy.RESET) {
      for (int i = 0; i < m.models(); i++) {
        m.sequence(i).resetAll();
        metrics.keysReset.inc();
      }
    }
    if (!inOrder.isEmpty()) {
      m.lastSeq = Math.max(m.lastSeq, inOrder.lastKey());
    }
    return inOrder.values();
  }

  private static void use(RnnEvent e, KeyState m) {
    if (e.seq >= 0) {
      m.lastSeq = Math.max(m.lastSeq, e.seq);
    }
  }
}
