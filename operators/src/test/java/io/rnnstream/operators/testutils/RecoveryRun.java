package io.rnnstream.operators.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

/**
 * A job run for recovery ITCases: parallelism 2 on a MiniCluster, checkpoints every 100 ms, two
 * restarts 100 ms apart, generated events as one ordered stream (as a Kafka partition delivers
 * them) through {@link FailOnce}, outputs through the collect sink (exactly-once under
 * checkpointing: its buffer rolls back with the job). A run with the failure injected must then
 * emit exactly what a failure-free run emits.
 */
public final class RecoveryRun {
  private final StreamExecutionEnvironment env;
  private final boolean injectFailure;

  /** One task manager with two slots, for {@code @RegisterExtension}. */
  public static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
        .setNumberTaskManagers(1)
        .setNumberSlotsPerTaskManager(2)
        .build());
  }

  /**
   * A run on state backend {@code backend} ("hashmap", "rocksdb"), failing once when {@code
   * injectFailure}; {@code conf} may carry more settings.
   */
  public RecoveryRun(String backend, boolean injectFailure, Configuration conf) {
    FailOnce.reset(injectFailure);
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    this.env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    this.injectFailure = injectFailure;
  }

  public StreamExecutionEnvironment env() {
    return env;
  }

  /**
   * {@code count} generated events, failing after {@code failAfter}. The source emits at most
   * {@code failAfter / 2} events between two completed checkpoints, so the fail-once subtask sees
   * its event {@code failAfter + 1} only after two checkpoints completed, however slow the
   * machine: the failure is always injected, and always with a checkpoint to restore.
   */
  public <T> DataStream<T> events(GeneratorFunction<Long, T> generator, long count,
      int failAfter, TypeInformation<T> type, String name) {
    return env.fromSource(
            new DataGeneratorSource<>(generator, count,
                RateLimiterStrategy.perCheckpoint(failAfter / 2), type),
            WatermarkStrategy.noWatermarks(), name)
        .setParallelism(1) // one ordered stream per key, as a Kafka partition delivers it
        // chained to the source, so the stream stays in order up to the operator's key-by
        .map(new FailOnce<T>(failAfter), type).setParallelism(1).name("fail-once");
  }

  /** Runs the job and returns everything {@code outputs} emitted; checks the failure happened. */
  public <T> List<T> collect(DataStream<T> outputs, String jobName) throws Exception {
    List<T> out = new ArrayList<>();
    try (CloseableIterator<T> it = outputs.executeAndCollect(jobName)) {
      it.forEachRemaining(out::add);
    }
    if (injectFailure) {
      assertThat(FailOnce.FAILED).as("the failure was injected").isTrue();
    }
    return out;
  }
}
