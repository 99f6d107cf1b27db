package io.rnnstream.benchmarks.flink;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput and memory of the inference operator as the number of keys grows (1K, 100K, 1M by
 * default), RocksDB state, full (non-incremental) checkpoints every 5 s to a local directory.
 * Per key count: events/s over the steady part, the largest completed checkpoint divided by the
 * keys (RocksDB's on-disk bytes per key, compressed), and the process's resident memory growth
 * (RocksDB's native memory is inside Flink's managed-memory budget, so it should stay flat).
 * Events come from {@link KeyedEvents} (each source subtask owns a set of keys and numbers their
 * events in order) and are timed by {@link Recorder}, as in {@link OperatorThroughput}.
 * The model is the sentiment shape of {@link OperatorThroughput}: LSTM H=128, D=64, one step per
 * event; each key gets {@code max(2, events/keys)} events.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *   io.rnnstream.benchmarks.flink.ScalingReport [keys=1000,100000,1000000] [minEvents=200000]
 *   [parallelism=2]</pre>
 */
public final class ScalingReport {
  static final int D = 64;
  static final int H = 128;

  private ScalingReport() {}

  public static void main(String[] args) throws Exception {
    String[] keyCounts = (args.length > 0 ? args[0] : "1000,100000,1000000").split(",");
    long minEvents = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, H).head(2, Activation.SOFTMAX).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
        ModelInfo.named("sentiment", 1), "bench");
    System.out.printf(Locale.ROOT, "LSTM H=%d D=%d, many-to-many, RocksDB, parallelism %d,"
        + " kernels %s%n%n| keys | events | events/s | p99 ms | checkpoint bytes/key |"
        + " RSS growth MB |%n|---|---|---|---|---|---|%n", H, D, parallelism,
        io.rnnstream.models.kernels.Kernels.backend().name());
    for (String k : keyCounts) {
      int keys = Integer.parseInt(k.trim());
      long events = Math.max(minEvents, 2L * keys);
      Result r = run(model, keys, events, parallelism);
      System.out.printf(Locale.ROOT, "| %,d | %,d | %,.0f | %.1f | %,.0f | %,.0f |%n", keys,
          events, r.eventsPerSecond, r.p99Ms, r.checkpointBytes / (double) keys,
          r.rssGrowthBytes / 1e6);
    }
  }

  record Result(double eventsPerSecond, double p99Ms, long checkpointBytes, long rssGrowthBytes) {}

  static Result run(RnnModel model, int keys, long events, int parallelism) throws Exception {
    Path dir = Files.createTempDirectory("rnnstream-scaling-");
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(5));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    Recorder.reset(events, keys, parallelism);
    DataStream<RnnEvent> input = env.fromSource(new DataGeneratorSource<>(
            new KeyedEvents(keys, D), events, RateLimiterStrategy.noOp(),
            TypeInformation.of(RnnEvent.class)),
        WatermarkStrategy.noWatermarks(), "events");
    DataStream<ModelUpdate> snapshots = env.fromData(ModelUpdate.of("sentiment", 1,
        SnapshotFormat.toBytes(model)));
    RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("sentiment")
        .maxWaitingEvents(1_000_000).modelWaitRetry(Duration.ofMillis(10)).build()
        .apply(input, snapshots)
        .outputs().map(OperatorThroughput::arrived, TypeInformation.of(RnnOutput.class))
        .sinkTo(new DiscardingSink<>());

    long rssBefore = rss();
    AtomicLong maxRss = new AtomicLong(rssBefore);
    AtomicLong maxCheckpoint = new AtomicLong();
    ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
    probe.scheduleAtFixedRate(() -> {
      maxRss.accumulateAndGet(rss(), Math::max);
      latestCheckpointBytes(dir).ifPresent(b -> maxCheckpoint.accumulateAndGet(b, Math::max));
    }, 0, 500, TimeUnit.MILLISECONDS);
    try {
      env.execute("scaling-" + keys);
    } finally {
      probe.shutdownNow();
      probe.awaitTermination(5, TimeUnit.SECONDS);
    }
    Recorder.Stats stats = Recorder.stats();
    return new Result(stats.eventsPerSecond(), stats.p99Ms(), maxCheckpoint.get(),
        maxRss.get() - rssBefore);
  }

  /** Bytes of the newest completed checkpoint ({@code chk-N} with its {@code _metadata}). */
  static Optional<Long> latestCheckpointBytes(Path root) {
    try (Stream<Path> all = Files.walk(root, 2)) {
      return all.filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()
              .substring(4))))
          .map(ScalingReport::bytes);
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty(); // a checkpoint was subsumed while we walked: next probe
    }
  }

  private static long bytes(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resident set size of this JVM (Linux), in bytes; 0 elsewhere. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }
}
