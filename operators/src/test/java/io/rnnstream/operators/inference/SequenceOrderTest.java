package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.api.GapPolicy;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.inference.SequenceOrder.Place;
import io.rnnstream.operators.testutils.MapStateOnHeap;
import io.rnnstream.operators.testutils.RecordingTimers;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Ordering and gaps of one key, without Flink: parked events in a map, timers recorded. */
class SequenceOrderTest {
  final MapStateOnHeap<Long, RnnEvent> parked = new MapStateOnHeap<>();
  final RecordingTimers timers = new RecordingTimers();
  final InferenceMetrics metrics = new InferenceMetrics(new UnregisteredMetricsGroup());
  final KeyState key = new KeyState();

  SequenceOrder order(GapPolicy policy, int maxParked) {
    return new SequenceOrder(parked, policy, 500, maxParked, metrics);
  }

  static RnnEvent seq(long seq) {
    return RnnEvent.dense("k", seq, new float[] {seq});
  }

  @Test
  void shouldPassConsecutiveEventsAndRememberTheLastNumber() throws Exception {
    SequenceOrder order = order(GapPolicy.CONTINUE, 10);
    assertThat(order.place(seq(5), key, 0, timers)).isEqualTo(Place.NEXT); // the first sets it
    assertThat(order.place(seq(6), key, 0, timers)).isEqualTo(Place.NEXT);
    assertThat(key.lastSeq).isEqualTo(6);
    assertThat(order.place(seq(-1), key, 0, timers)).as("unnumbered").isEqualTo(Place.NEXT);
    assertThat(key.lastSeq).isEqualTo(6);
    assertThat(timers.processingTimers).isEmpty();
  }

  @Test
  void shouldDropAndCountOldAndAlreadyParkedNumbers() throws Exception {
    SequenceOrder order = order(GapPolicy.CONTINUE, 10);
    order.place(seq(0), key, 0, timers);
    order.place(seq(1), key, 0, timers);
    assertThat(order.place(seq(3), key, 0, timers)).isEqualTo(Place.PARKED);
    assertThat(order.place(seq(1), key, 0, timers)).isEqualTo(Place.DUPLICATE);
    assertThat(order.place(seq(0), key, 0, timers)).isEqualTo(Place.DUPLICATE);
    assertThat(order.place(seq(3), key, 0, timers)).isEqualTo(Place.DUPLICATE);
    assertThat(metrics.duplicates.getCount()).isEqualTo(3);
    assertThat(key.pending).isEqualTo(1);
  }

  @Test
  void shouldParkBehindAGapWithOneDeadlineAndReleaseInOrderWhenItCloses() throws Exception {
    SequenceOrder order = order(GapPolicy.CONTINUE, 10);
    order.place(seq(0), key, 0, timers);
    assertThat(order.place(seq(3), key, 100, timers)).isEqualTo(Place.PARKED);
    assertThat(order.place(seq(2), key, 200, timers)).isEqualTo(Place.PARKED);
    assertThat(timers.processingTimers).containsExactly(600L); // from the first parked event
    assertThat(key.gapDeadline).isEqualTo(600);
    assertThat(metrics.buffered()).isEqualTo(2);
    assertThat(order.nextParked(key)).as("1 is still missing").isNull();

    assertThat(order.place(seq(1), key, 300, timers)).isEqualTo(Place.NEXT);
    List<Long> released = new ArrayList<>();
    for (RnnEvent e = order.nextParked(key); e != null; e = order.nextParked(key)) {
      released.add(e.seq);
    }
    assertThat(released).containsExactly(2L, 3L);
    assertThat(key.lastSeq).isEqualTo(3);
    assertThat(key.pending).isZero();
    assertThat(key.gapDeadline).as("no gap left").isZero();
    assertThat(parked.map).isEmpty();
    assertThat(metrics.buffered()).isZero();
  }

  @Test
  void shouldGiveUpAGapAtItsDeadlineWithEveryParkedEventInOrder() throws Exception {
    SequenceOrder order = order(GapPolicy.CONTINUE, 10);
    order.place(seq(0), key, 0, timers);
    order.place(seq(4), key, 0, timers);
    order.place(seq(2), key, 0, timers);
    assertThat(order.gapExpired(key, 499)).isFalse();
    assertThat(order.gapExpired(key, 500)).isTrue();
    assertThat(order.skipGap(key)).extracting(e -> e.seq).containsExactly(2L, 4L);
    assertThat(key.lastSeq).isEqualTo(4);
    assertThat(key.pending).isZero();
    assertThat(key.gapDeadline).isZero();
    assertThat(order.gapExpired(key, 1000)).isFalse();
    assertThat(metrics.gapsSkipped.getCount()).isEqualTo(1);
    assertThat(metrics.buffered()).isZero();
  }

  @Test
  void shouldSayWhenMoreThanTheLimitAreParked() throws Exception {
    SequenceOrder order = order(GapPolicy.CONTINUE, 2);
    order.place(seq(0), key, 0, timers);
    assertThat(order.place(seq(2), key, 0, timers)).isEqualTo(Place.PARKED);
    assertThat(order.place(seq(3), key, 0, timers)).isEqualTo(Place.PARKED);
    assertThat(order.place(seq(4), key, 0, timers)).isEqualTo(Place.PARKED_OVER_LIMIT);
  }

  @Test
  void resetPolicyShouldZeroEveryModelStateOfTheKey() throws Exception {
    SequenceState a = new SequenceState();
    a.segmentOpen = true;
    a.segmentSteps = 3;
    a.ringCount = 2;
    SequenceState b = new SequenceState();
    b.ringCount = 1;
    key.add("a", a);
    key.add("b", b);
    SequenceOrder order = order(GapPolicy.RESET, 10);
    order.place(seq(0), key, 0, timers);
    order.place(seq(2), key, 0, timers);
    order.skipGap(key);
    assertThat(a.segmentOpen).isFalse();
    assertThat(a.segmentSteps).isZero();
    assertThat(a.ringCount).isZero();
    assertThat(b.ringCount).isZero();
    assertThat(metrics.keysReset.getCount()).isEqualTo(2);
  }

  @Test
  void aRejectedEventShouldUseUpItsNumberOnlyWhenItIsNext() throws Exception {
    SequenceOrder order = order(GapPolicy.CONTINUE, 10);
    assertThat(order.skip(seq(7), key)).as("the first numbered event").isTrue();
    assertThat(key.lastSeq).isEqualTo(7);
    assertThat(order.skip(seq(9), key)).as("behind a gap").isFalse();
    assertThat(order.skip(seq(-1), key)).isFalse();
    assertThat(order.skip(seq(8), key)).isTrue();
    assertThat(key.lastSeq).isEqualTo(8);
  }
}
