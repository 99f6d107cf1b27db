package io.rnnstream.operators.inference;

import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import java.util.List;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * The inference operator with cross-key micro-batching ({@code RnnInference.Builder#microBatch}):
 * Flink's own keyed-broadcast operator running the same {@link RnnInferenceFunction}, plus what
 * a bundle needs from an operator, following Flink's mini-batch operators
 * ({@code KeyedMapBundleOperator}): setting the current key while a bundle completes, a
 * processing-time flush, and a flush in {@link #prepareSnapshotPreBarrier} so that every event
 * before a barrier is stepped, emitted and in keyed state when the snapshot is taken
 * (exactly-once). It also flushes before a model snapshot is applied (so swaps act exactly as
 * without batching) and at the end of input.
 *
 * <p>State, names and uid are those of the unbatched operator, so a job can switch between the
 * two through a savepoint.
 */
public final class MicroBatchingInferenceOperator
    extends CoBroadcastWithKeyedOperator<String, RnnEvent, ModelUpdate, RnnOutput>
    implements MicroBatch.Host {
  private static final long serialVersionUID = 1L;

  private final RnnInferenceFunction function;
  private transient TimestampedCollector<RnnOutput> bundleOutput;
  private transient MicroBatch bundle;

  public MicroBatchingInferenceOperator(RnnInferenceFunction function) {
    super(function, List.of(RnnInferenceFunction.MODELS));
    this.function = function;
  }

  @Override
  public void open() throws Exception {
    bundleOutput = new TimestampedCollector<>(output);
    super.open(); // opens the function
    bundle = function.batchSteps(this);
  }

  @Override
  public void processElement2(StreamRecord<ModelUpdate> element) throws Exception {
    bundle.flush();
    super.processElement2(element);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    bundle.flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    bundle.flush();
    super.finish();
  }

  // ------------------------------------------------------------------ MicroBatch.Host

  @Override
  public long currentProcessingTime() {
    return getProcessingTimeService().getCurrentProcessingTime();
  }

  @Override
  public void registerFlushTimer(long at) {
    getProcessingTimeService().registerTimer(at, time -> bundle.onTimer());
  }

  @Override
  public Collector<RnnOutput> collector(Long timestamp) {
    if (timestamp == null) {
      bundleOutput.eraseTimestamp();
    } else {
      bundleOutput.setAbsoluteTimestamp(timestamp);
    }
    return bundleOutput;
  }
}
