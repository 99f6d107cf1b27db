package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.testutils.RecoveryRun;
import io.rnnstream.operators.testutils.TestModels;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
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

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = RecoveryRun.miniCluster();

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
    RecoveryRun run = new RecoveryRun(backend, injectFailure, new Configuration());
    RnnModel model = TestModels.classifier("sentiment", 1, 5, 8);
    DataStream<ModelUpdate> snapshots =
        run.env().fromData(TestModels.update(model)).name("snapshots");
    DataStream<RnnEvent> events = run.events(RnnInferenceITCase::event, EVENTS, 100,
        TypeInformation.of(RnnEvent.class), "events");

    RnnInference.Builder<RnnEvent> builder = RnnInference.builder()
        .mode(Mode.MANY_TO_ONE).rolling(true).defaultModel("sentiment");
    if (microBatch > 0) {
      builder.microBatch(microBatch, Duration.ofMillis(20));
    }
    RnnInference.Result result = builder.build().apply(events, snapshots);

    List<RnnOutput> out = run.collect(result.outputs(), "itcase");
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
