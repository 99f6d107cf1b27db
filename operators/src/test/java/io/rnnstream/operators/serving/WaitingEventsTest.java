package io.rnnstream.operators.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.testutils.ListStateOnHeap;
import io.rnnstream.operators.testutils.RecordingTimers;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The wait for a model's first version, bounded, without Flink. */
class WaitingEventsTest {
  final ListStateOnHeap<String> list = new ListStateOnHeap<>();
  final RecordingTimers timers = new RecordingTimers();
  final ServingMetrics metrics = new ServingMetrics(new UnregisteredMetricsGroup()) {};
  final WaitingEvents<String> waiting = new WaitingEvents<>(list, 2, 1000, metrics, "full");

  @Test
  void shouldKeepEventsInArrivalOrderUpToTheLimitWithARetryTimerEach() throws Exception {
    assertThat(waiting.add("a", 0, 10, timers)).isTrue();
    assertThat(waiting.add("b", 1, 20, timers)).isTrue();
    assertThat(waiting.add("c", 2, 30, timers)).as("full").isFalse();
    assertThat(waiting.fullReason()).isEqualTo("full");
    assertThat(timers.processingTimers).containsExactly(1010L, 1020L);
    assertThat(metrics.buffered()).isEqualTo(2);

    assertThat(waiting.takeAll(2)).containsExactly("a", "b");
    assertThat(list.list).isEmpty();
    assertThat(metrics.buffered()).isZero();
  }
}
