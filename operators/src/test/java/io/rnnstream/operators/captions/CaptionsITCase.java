package io.rnnstream.operators.captions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.testutils.RecoveryRun;
import io.rnnstream.operators.testutils.TestModels;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Captions survive a failure: a MiniCluster (parallelism 2, checkpoints every 100 ms, generic
 * types disabled so any Kryo fallback fails the job), four audio streams in 100 ms PCM chunks, a
 * failure injected mid-stream after completed checkpoints. The collect sink is exactly-once under
 * checkpointing, so the recovered run must emit exactly the captions of a failure-free run.
 */
class CaptionsITCase {
  static final int STREAMS = 4;
  static final int CHUNKS = 40; // 4 s per stream
  static final int EVENTS = STREAMS * (CHUNKS + 1); // + an end-of-stream event each

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = RecoveryRun.miniCluster();

  private static final byte[][] AUDIO = new byte[STREAMS][];

  static synchronized byte[] audio(int stream) {
    if (AUDIO[stream] == null) {
      AUDIO[stream] = CaptionTestModels.le(CaptionTestModels.bursts(4.0, 2.0, 10 + stream));
    }
    return AUDIO[stream];
  }

  /** Event i: stream i % STREAMS, its (i / STREAMS)-th 100 ms chunk, or its end. */
  static AudioEvent event(long i) {
    int stream = (int) (i % STREAMS);
    int chunk = (int) (i / STREAMS);
    if (chunk == CHUNKS) {
      return AudioEvent.end("stream-" + stream, chunk);
    }
    byte[] all = audio(stream);
    return AudioEvent.pcm("stream-" + stream, chunk,
        java.util.Arrays.copyOfRange(all, chunk * 3200, (chunk + 1) * 3200));
  }

  static List<Caption> run(String backend, boolean injectFailure) throws Exception {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    RecoveryRun run = new RecoveryRun(backend, injectFailure, conf);
    RnnModel model = CaptionTestModels.model("captions", 1, 3);
    DataStream<ModelUpdate> snapshots =
        run.env().fromData(TestModels.update(model)).name("snapshots");
    DataStream<AudioEvent> audio = run.events(CaptionsITCase::event, EVENTS, EVENTS / 3,
        TypeInformation.of(AudioEvent.class), "audio");

    Captioning.Result result = Captioning.builder().model("captions").beam(8).build()
        .apply(audio, snapshots);

    List<Caption> out = run.collect(result.captions(), "captions-itcase");
    out.sort(Comparator.comparing((Caption c) -> c.stream).thenComparingLong(c -> c.segment)
        .thenComparingInt(c -> c.revision));
    return out;
  }

  /**
   * RocksDB: every state access goes through {@link CaptionStateSerializer} (the heap backend's
   * copy-on-snapshot path is covered by the harness snapshot tests).
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void shouldEmitExactlyTheCaptionsOfAFailureFreeRun() throws Exception {
    List<Caption> clean = run("rocksdb", false);
    List<Caption> recovered = run("rocksdb", true);

    // two utterances per stream, each ending in a final caption
    assertThat(clean.stream().filter(c -> c.isFinal)).hasSize(STREAMS * 2);
    assertThat(clean.size()).isGreaterThan(STREAMS * 2 * 5);
    assertThat(recovered).isEqualTo(clean);
  }
}
