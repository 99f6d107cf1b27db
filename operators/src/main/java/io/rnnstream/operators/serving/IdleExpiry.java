package io.rnnstream.operators.serving;

import org.apache.flink.streaming.api.TimerService;

/**
 * Clears a key's state once it has been idle for a timeout, with one processing-time timer per
 * key at a time. The timer is due a whole second after {@code last activity + timeout} (so keys
 * active in the same second share a timer time); when it fires early, because the key was active
 * since, it is armed again from the last activity. The key's state records the armed timer
 * ({@code idleTimer}, 0 = none) and its last activity.
 */
public final class IdleExpiry {
  private final long timeoutMs; // 0 = keys never expire

  public IdleExpiry(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  /**
   * The timer to record for a key with {@code armed} (0 = none) that was last active at {@code
   * from}: {@code armed} itself when one is armed or keys never expire, else a new timer.
   */
  public long arm(long armed, long from, TimerService timers) {
    if (timeoutMs <= 0 || armed != 0) {
      return armed;
    }
    long at = (from + timeoutMs + 999) / 1000 * 1000;
    timers.registerProcessingTimeTimer(at);
    return at;
  }

  /** Whether the timer firing at {@code timestamp} is the key's idle timer {@code armed}. */
  public boolean fires(long armed, long timestamp) {
    return armed != 0 && timestamp >= armed;
  }

  /** Whether a key last active at {@code lastActive} has been idle long enough at {@code now}. */
  public boolean idleSince(long lastActive, long now) {
    return now >= lastActive + timeoutMs;
  }
}
