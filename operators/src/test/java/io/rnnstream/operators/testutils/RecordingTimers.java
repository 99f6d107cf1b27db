package io.rnnstream.operators.testutils;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.TimerService;

/** A TimerService that records the processing-time timers registered (unit tests). */
public final class RecordingTimers implements TimerService {
  public final List<Long> processingTimers = new ArrayList<>();
  public long now;

  @Override
  public long currentProcessingTime() {
    return now;
  }

  @Override
  public long currentWatermark() {
    return Long.MIN_VALUE;
  }

  @Override
  public void registerProcessingTimeTimer(long time) {
    processingTimers.add(time);
  }

  @Override
  public void registerEventTimeTimer(long time) {
    throw new UnsupportedOperationException("the operators use processing time only");
  }

  @Override
  public void deleteProcessingTimeTimer(long time) {
    processingTimers.remove(time);
  }

  @Override
  public void deleteEventTimeTimer(long time) {
    throw new UnsupportedOperationException("the operators use processing time only");
  }
}
