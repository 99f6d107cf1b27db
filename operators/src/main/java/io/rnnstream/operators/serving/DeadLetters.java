package io.rnnstream.operators.serving;

import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;
import org.apache.flink.util.OutputTag;

/** An operator's dead-letter side output: events and snapshots it cannot use, with the reason. */
public final class DeadLetters {
  private final OutputTag<DeadLetter> tag;
  private final Counter counter;

  public DeadLetters(OutputTag<DeadLetter> tag, Counter counter) {
    this.tag = tag;
    this.counter = counter;
  }

  /** An event of {@code key} (its {@code toString} is the record kept). */
  public void event(BaseBroadcastProcessFunction.ReadOnlyContext ctx, String key, String source,
      String reason, Object event) {
    counter.inc();
    ctx.output(tag, DeadLetter.of("event", key, source, reason, event.toString()));
  }

  /**
   * A model snapshot that was refused: the dead letter carries the record the snapshot came in
   * exactly as received ({@link ModelUpdate#recordKey}, {@link ModelUpdate#recordValue}), when
   * it came in one.
   */
  public void snapshot(BaseBroadcastProcessFunction.Context ctx, ModelUpdate u, String reason) {
    counter.inc();
    DeadLetter d = DeadLetter.of("snapshot", u.name, u.source, reason, u.toString());
    d.payload = u.recordValue;
    d.recordKey = u.recordKey;
    ctx.output(tag, d);
  }
}
