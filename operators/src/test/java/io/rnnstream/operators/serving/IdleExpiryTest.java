package io.rnnstream.operators.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.testutils.RecordingTimers;
import org.junit.jupiter.api.Test;

/** One idle timer per key, on whole seconds, without Flink. */
class IdleExpiryTest {
  final RecordingTimers timers = new RecordingTimers();

  @Test
  void shouldArmOneTimerAWholeSecondAfterTheTimeout() {
    IdleExpiry idle = new IdleExpiry(10_000);
    long armed = idle.arm(0, 1_234, timers);
    assertThat(armed).isEqualTo(12_000);
    assertThat(idle.arm(armed, 5_000, timers)).as("one at a time").isEqualTo(armed);
    assertThat(timers.processingTimers).containsExactly(12_000L);
    assertThat(idle.fires(armed, 11_999)).isFalse();
    assertThat(idle.fires(armed, 12_000)).isTrue();
    assertThat(idle.fires(0, 12_000)).isFalse();
  }

  @Test
  void shouldTellAKeyActiveSinceFromAnIdleOne() {
    IdleExpiry idle = new IdleExpiry(10_000);
    assertThat(idle.idleSince(1_234, 11_234)).isTrue();
    assertThat(idle.idleSince(5_000, 12_000)).isFalse(); // active since: re-armed from 5 s
  }

  @Test
  void aZeroTimeoutShouldNeverArm() {
    assertThat(new IdleExpiry(0).arm(0, 1_000, timers)).isZero();
    assertThat(timers.processingTimers).isEmpty();
  }
}
