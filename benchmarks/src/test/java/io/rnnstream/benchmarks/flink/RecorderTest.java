package io.rnnstream.benchmarks.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class RecorderTest {
  /**
   * A run of 5 warm-up events and 10 measured ones: the warm-up events and the first 10 % of the
   * rest (one event) are left out, so the slow first six arrivals do not reach the percentiles.
   */
  @Test
  void leavesOutTheWarmUpEventsAndTheFirstPercentOfTheRest() {
    Recorder.reset(10, 5, 1, 1);
    for (int seq = 0; seq < 15; seq++) {
      Recorder.created(0, seq);
      if (seq < 6) {
        LockSupport.parkNanos(20_000_000); // 20 ms: a latency the figures must not see
      }
      Recorder.arrived("k0", seq);
    }
    Recorder.Stats s = Recorder.stats();
    assertEquals(15, s.events());
    assertTrue(s.p99Ms() < 10, "p99 " + s.p99Ms() + " ms includes a warm-up arrival");
    assertTrue(s.eventsPerSecond() > 0);
    assertTrue(s.jitShare() >= 0);
  }
}
