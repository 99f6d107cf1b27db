package io.rnnstream.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The source subtasks of {@link KeyedEvents} split the keys between them without overlap. */
class KeyedEventsTest {
  @Test
  void shouldGiveEveryKeyToExactlyOneSubtask() {
    for (int keys : new int[] {1, 2, 3, 7, 10, 10_000}) {
      for (int p = 1; p <= Math.min(keys, 4); p++) {
        int total = 0;
        for (int s = 0; s < p; s++) {
          int own = KeyedEvents.ownKeys(keys, p, s);
          total += own;
          // subtask s owns s, s + p, ..., s + (own - 1) p: all below keys, the next one not
          assertThat(s + (own - 1) * p).as("keys %d p %d s %d", keys, p, s).isLessThan(keys);
          assertThat(s + own * p).as("keys %d p %d s %d", keys, p, s).isGreaterThanOrEqualTo(keys);
        }
        assertThat(total).as("keys %d p %d", keys, p).isEqualTo(keys);
      }
    }
  }
}
