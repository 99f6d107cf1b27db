package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.testutils.FailOnce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recovery on a real MiniCluster (parallelism 2, checkpoints every 100 ms): a failure injected
 * mid-stream, after a completed checkpoint, must not change a single output. The collect sink is
 * exactly-once under checkpointing (its buffer rolls back with the job), so the restarted run's
 * outputs must equal those of a failure-free run: nothing lost, nothing twice, same numbers.
 */
class RnnInferenceITCase {
  static final int KEYS = 6;
  static final int EVENTS = 600;
  static final int FAIL_AFTER = 100;
  /**
   * The source emits at most this many events between two completed checkpoints, so a fail-once
   * subtask sees its event {@code FAIL_AFTER + 1} only after two checkpoints completed, however
   * slow the machine: the failure is always injected, and always after a checkpoint to restore.
   */
  static final int RECORDS_PER_CHECKPOINT = FAIL_AFTER / 2;

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setNumberTaskManagers(1)
          .setNumberSlotsPerTaskManager(2)
          .build());

  /** Event i: key i % KEYS, its (i / KEYS)-th step, a message ends every 5 steps. */
  static RnnEvent event(long i) {
    int key = (int) (i % KEYS);
    long seq = i / KEYS;
    float[] x = new float[TestModels.D];
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) Math.sin(0.7 * i + 1.3 * j);
    }
    RnnEvent e = RnnEvent.dense("conversation-" + key, seq, x);
    e.endOfSegment = seq % 5 == 4;
    return e;
  }

  static List<RnnOutput> run(String backend, boolean injectFailure) throws Exception {
    return run(backend, injectFailure, 0);
  }

  /** {@code microBatch}: bundle size of the micro-batching operator, 0 for the plain one. */
  static List<RnnOutput> run(String backend, boolean injectFailure, int microBatch)
      throws Exception {
    FailOnce.reset(injectFailure);
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);

    RnnModel model = TestModels.classifier("sentiment", 1, 5, 8);
    DataStream<ModelUpdate> snapshots = env.fromData(TestModels.update(model)).name("snapshots");
    DataStream<RnnEvent> events = env.fromSource(
            new DataGeneratorSource<>(RnnInferenceITCase::event, EVENTS,
                RateLimiterStrategy.perCheckpoint(RECORDS_PER_CHECKPOINT),
                TypeInformation.of(RnnEvent.class)),
            WatermarkStrategy.noWatermarks(), "events")
        .setParallelism(1) // one ordered stream per key, as a Kafka partition delivers it
        .map(new FailOnce<RnnEvent>(FAIL_AFTER), TypeInformation.of(RnnEvent.class))
        .name("fail-once");

    RnnInference.Builder<RnnEvent> builder = RnnInference.builder()
        .mode(Mode.MANY_TO_ONE).rolling(true).defaultModel("sentiment");
    if (microBatch > 0) {
      builder.microBatch(microBatch, Duration.ofMillis(20));
    }
    RnnInference.Result result = builder.build().apply(events, snapshots);

    List<RnnOutput> out = new ArrayList<>();
    try (CloseableIterator<RnnOutput> it = result.outputs().executeAndCollect("itcase")) {
      it.forEachRemaining(out::add);
    }
    if (injectFailure) {
      assertThat(FailOnce.FAILED).as("the failure was injected").isTrue();
    }
    out.sort(Comparator.comparing((RnnOutput o) -> o.key).thenComparingLong(o -> o.seq)
        .thenComparing(o -> o.kind));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void shouldProduceExactlyTheOutputsOfAFailureFreeRun(String backend) throws Exception {
    List<RnnOutput> clean = run(backend, false);
    List<RnnOutput> recovered = run(backend, true);

    // 100 steps per key, a segment every 5: 20 segments x (SEGMENT + ROLLING) per key
    assertThat(clean).hasSize(KEYS * 20 * 2);
    assertThat(recovered).isEqualTo(clean);
  }

  /**
   * The micro-batching operator, failing and recovering, against the plain operator's
   * failure-free run: bundles are stepped before each checkpoint barrier, so a restore neither
   * loses nor repeats a step, and batching changes no number.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void microBatchingShouldRecoverToTheOutputsOfTheUnbatchedOperator() throws Exception {
    List<RnnOutput> clean = run("rocksdb", false, 0);
    List<RnnOutput> recovered = run("rocksdb", true, 4);

    assertThat(recovered).isEqualTo(clean);
  }
}
