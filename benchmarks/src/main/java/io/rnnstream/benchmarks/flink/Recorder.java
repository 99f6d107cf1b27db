package io.rnnstream.benchmarks.flink;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Throughput and per-event latency of one {@link OperatorThroughput} run, recorded in static
 * arrays: the local Flink cluster runs in this JVM, so the source and the sinks of every
 * subtask can reach them (and {@link System#nanoTime} is one clock for all of them).
 *
 * <p>Each event is stamped when the source creates it, in a slot named by its key index and
 * sequence number ({@code seq * keys + key}); its latency is taken when its output reaches the
 * sink, which carries the same key and sequence number. Both figures leave out the first
 * {@link #WARM_UP_PERCENT} % of arrivals (JIT, state creation, model loading) and are taken over
 * the rest, in arrival order. Over the same window it records how long the JIT compiled
 * ({@link Stats#jitShare}): a measurement taken while C2 still compiles the operator's code is
 * slower than the steady state and says so.
 *
 * <p>The sources hold their first event until {@value #START_DELAY_MS} ms after the first
 * generator call ({@link #awaitStart}), so that {@code RnnInference} has its model (a broadcast
 * stream that starts with the job) before events arrive. Otherwise the first events wait in its
 * per-key buffers and drain on retry timers for seconds, which would show up as p99 latency.
 */
final class Recorder {
  /** Arrivals left out at the start, in percent: {@code -Drnnstream.warmUpPercent}, default 10. */
  static final int WARM_UP_PERCENT = Integer.getInteger("rnnstream.warmUpPercent", 10);
  static final long START_DELAY_MS = 1000;

  private static long[] created = new long[0];
  private static long[] latency = new long[0]; // in arrival order
  private static final AtomicInteger ARRIVED = new AtomicInteger();
  private static final AtomicLong STEADY_FROM = new AtomicLong();
  private static final AtomicLong LAST = new AtomicLong();
  private static final AtomicLong START = new AtomicLong();
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
  private static volatile long jitFromMs;
  private static volatile long jitToMs;
  private static volatile boolean started;
  private static int keys;
  private static int warmUp;

  /**
   * Result of a run: events/s, latency percentiles in milliseconds, and the JIT's compile time
   * in the measured window as a share of that window (summed over compiler threads, so it can
   * exceed 1 with two of them; elapsed time, so a loaded machine inflates it).
   */
  record Stats(long events, double eventsPerSecond, double p50Ms, double p99Ms,
      double jitShare) {}

  private Recorder() {}

  static void reset(long events, int numKeys, int parallelism) {
    reset(events, 0, numKeys, parallelism);
  }

  /**
   * Prepares a run of {@code leading + events} events whose first {@code leading} arrivals (a
   * JIT warm-up in the same job) are left out of the figures, as well as the first {@link
   * #WARM_UP_PERCENT} % of the {@code events} after them.
   */
  static void reset(long events, long leading, int numKeys, int parallelism) {
    long total = leading + events;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("at most " + (Integer.MAX_VALUE - 8) + " events");
    }
    // The busiest source subtask owns at least floor(K / p) keys and makes at most
    // ceil(N / p) events, so no key's sequence number reaches maxSeq.
    long maxSeq = (total / parallelism + 1) / Math.max(1, numKeys / parallelism) + 1;
    if (maxSeq * numKeys > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many events per key to record: " + maxSeq);
    }
    created = new long[(int) (maxSeq * numKeys)];
    latency = new long[(int) total];
    ARRIVED.set(0);
    STEADY_FROM.set(0);
    LAST.set(0);
    START.set(0);
    jitFromMs = 0;
    jitToMs = 0;
    started = false;
    keys = numKeys;
    warmUp = (int) (leading + events * WARM_UP_PERCENT / 100);
  }

  /** Blocks the calling source until the run's start time (see the class comment). */
  static void awaitStart() {
    if (started) {
      return;
    }
    START.compareAndSet(0, System.nanoTime() + START_DELAY_MS * 1_000_000);
    long wait;
    while ((wait = START.get() - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
    started = true;
  }

  /** Stamps the creation of key {@code k<key>}'s event {@code seq}; called by the source. */
  static void created(int key, long seq) {
    created[(int) (seq * keys + key)] = System.nanoTime();
  }

  /** Records the arrival at a sink of the event with this key and sequence number. */
  static void arrived(String key, long seq) {
    long now = System.nanoTime();
    long slot = seq * keys + Integer.parseInt(key, 1, key.length(), 10);
    int n = ARRIVED.getAndIncrement();
    latency[n] = now - created[(int) slot];
    if (n == warmUp) {
      STEADY_FROM.set(now);
      jitFromMs = JIT.getTotalCompilationTime();
    } else if (n == latency.length - 1) {
      jitToMs = JIT.getTotalCompilationTime();
    }
    LAST.accumulateAndGet(now, Math::max);
  }

  static Stats stats() {
    int n = ARRIVED.get();
    if (n <= warmUp + 1) {
      throw new IllegalStateException("only " + n + " events arrived; expected "
          + latency.length);
    }
    long[] steady = Arrays.copyOfRange(latency, warmUp, n);
    Arrays.sort(steady);
    double windowNs = LAST.get() - STEADY_FROM.get();
    double rate = (n - warmUp - 1) * 1e9 / windowNs;
    long jitMs = (jitToMs == 0 ? JIT.getTotalCompilationTime() : jitToMs) - jitFromMs;
    return new Stats(n, rate, percentile(steady, 0.50) / 1e6, percentile(steady, 0.99) / 1e6,
        jitMs * 1e6 / windowNs);
  }

  /** Nearest-rank percentile of sorted values. */
  private static double percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
