package io.rnnstream.benchmarks.flink;

import io.rnnstream.benchmarks.onnx.OnnxModelFiles;
import io.rnnstream.benchmarks.onnx.OnnxParity;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.RnnOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Events per second and per-event latency through one keyed operator (local Flink, parallelism
 * 2 by default, sources included), heap and RocksDB state, three operators side by side in one
 * run:
 *
 * <ol>
 *   <li>the Flink floor: an identity keyed operator that reads and writes a {@code float[]}
 *       state of the same size per event;
 *   <li>our {@link RnnInference} (many-to-many, one LSTM step per event), and the same with
 *       micro-batching ({@code -Drnnstream.microBatch=16}, {@code -Drnnstream.microBatchDelayMs=5};
 *       rows {@code microN} run bundles of N, e.g. {@code micro16,micro64} side by side);
 *   <li>the same step through ONNX Runtime ({@link OnnxStepFunction}, batch 1, state in keyed
 *       state as {@code float[2H]}).
 * </ol>
 *
 * The model is the sentiment shape: LSTM H=128, D=64, softmax head over 2 classes. Both models
 * hold the same PyTorch weights, exported by {@code benchmarks/onnx/export_onnx.py}
 * ({@code sentiment_h128_d64.*} in {@code -Drnnstream.onnx.dir}, default
 * {@code benchmarks/target/onnx}); they are checked against PyTorch's reference before the runs.
 *
 * <p>Latency is from the source creating an event to the sink receiving its output (see
 * {@link Recorder}); with an unthrottled source ({@code rate} 0) it is mostly time queued in
 * the network buffers behind a saturated operator, so use a {@code rate} below every operator's
 * throughput to see the latency of a step at a given load.
 *
 * <pre>java --add-modules jdk.incubator.vector [-Drnnstream.onnx.dir=DIR] \
 *   [-Drnnstream.fork=true] [-Drnnstream.warmUpSeconds=15] [-Drnnstream.warmUpPercent=10] \
 *   [-Drnnstream.microBatch=16] \
 *   [-Drnnstream.backends=hashmap,rocksdb] [-Drnnstream.rows=floor,plain,micro,ort] \
 *   [-Drnnstream.tokensPerEvent=0] [-Drnnstream.rounds=1] [-Drnnstream.managedMemory=SIZE] \
 *   -cp benchmarks/target/benchmarks.jar io.rnnstream.benchmarks.flink.OperatorThroughput
 *   [events=200000] [keys=10000] [parallelism=2] [rate=0 (events/s, 0 = unthrottled)]
 *   [bufferTimeoutMs=5]</pre>
 *
 * Each row runs on each backend in a JVM of its own ({@link ForkedRow}; {@code
 * -Drnnstream.fork=false} runs them all in this one, e.g. under a profiler): a probe job of
 * 100 000 events measures the row's (cold) rate, then one job runs {@code warmUpSeconds} worth of
 * events at that rate, unmeasured (JIT warm-up), followed by the {@code events} measured ones, of
 * which the first {@code warmUpPercent} % are left out too. A throttled run ({@code rate} > 0)
 * skips the probe.
 *
 * <p>{@code -Drnnstream.managedMemory} sets the task manager's managed memory (e.g. {@code 1g};
 * default: the local environment's), which RocksDB takes its block cache and write buffers from.
 *
 * <p>The {@code rnnstream / ORT} rows divide our figures by ORT's: above 1 is better for events/s,
 * worse for latency. The {@code JIT %} column is how long the JIT compiled during the row's
 * measured window, in percent of that window ({@link Recorder.Stats#jitShare}; summed over the
 * compiler threads, elapsed time): near 0 in a steady state. It is there because warming up was
 * found wanting twice: after 100 000 warm-up events in a job of their own, C2 compiled for about
 * half a core through the whole measured micro-batched run on 2 cores; after a fixed 500 000
 * events in the same job, 15-96 % of the rows' windows (most for the fastest row, the heap
 * floor). {@code rnnstream.backends} and {@code rnnstream.rows} pick a subset.
 *
 * <p>{@code -Drnnstream.tokensPerEvent=T} (T > 0) measures the sentiment pipeline's shape
 * instead: each event a message of token ids (1 to 2T-1 of them, mean T), one segment, through
 * an LSTM H=128 over a 64-wide embedding of 5 000 words with mean pooling and a softmax(2) head,
 * many-to-one: one output per message (random weights; the rows floor, plain and micro only: the
 * ONNX step graph takes dense inputs). The floor still reads and writes the same state per event.
 */
public final class OperatorThroughput {
  static final int D = 64;
  static final int H = 128;
  static final String MODEL = "sentiment_h128_d64";
  /** The micro-batched row's bundle size ({@code -Drnnstream.microBatch}, 0 = no such row). */
  static final int MICRO_BATCH = Integer.getInteger("rnnstream.microBatch", 16);
  static final long MICRO_BATCH_DELAY_MS = Long.getLong("rnnstream.microBatchDelayMs", 5);
  static final List<String> BACKENDS =
      List.of(System.getProperty("rnnstream.backends", "hashmap,rocksdb").split(","));
  static final List<String> ROWS =
      List.of(System.getProperty("rnnstream.rows", "floor,plain,micro,ort").split(","));
  /** Mean tokens per message, or 0 for dense one-step events. */
  static final int TOKENS = Integer.getInteger("rnnstream.tokensPerEvent", 0);
  static final int VOCAB = 5000;
  /**
   * Seconds of unmeasured events at the start of each row's measured job
   * ({@code -Drnnstream.warmUpSeconds}; 0: none): {@value #PROBE_EVENTS} events through the row
   * first give its rate, which sets how many. A fixed count did not do: 500 000 events pass the
   * heap floor in about 1.5 s, and C2 then compiled through most of its measured window.
   */
  static final double WARM_UP_SECONDS =
      Double.parseDouble(System.getProperty("rnnstream.warmUpSeconds", "15"));
  /**
   * Rounds per backend ({@code -Drnnstream.rounds}, default 1): every selected row once per
   * round, in order, so the rows of one round are measured minutes apart, not tens of minutes.
   * With more than one round a summary follows: each row's median events/s and, per ratio, the
   * median of the per-round ratios and in how many rounds it reached the aim. On this 2-vCPU VM
   * the host's speed drifts by 20-36 % between runs, more than a change to the operator
   * usually moves it, so one round's ratio says little on its own.
   */
  static final int ROUNDS = Integer.getInteger("rnnstream.rounds", 1);
  /**
   * The aims for the micro-batched rows (BENCHMARKS.md, "Operator"): this many times ORT, this
   * share of the floor.
   */
  static final double AIM_ORT = 2.0;
  static final double AIM_FLOOR = 0.6;
  /** Events of the job that measures a row's rate before its measured job. */
  static final long PROBE_EVENTS = 100_000;
  /**
   * Each (backend, row) in a JVM of its own ({@code -Drnnstream.fork}, default true), as JMH
   * forks: rows run in one JVM share Flink's code, whose JIT profiles each row's types
   * invalidate for the next (with warm-up rounds alternating between the floor and the
   * micro-batched row, C2 was still recompiling after 8 rounds).
   */
  static final boolean FORK = Boolean.parseBoolean(System.getProperty("rnnstream.fork", "true"));
  /** Set in a forked child (see {@link ForkedRow}). */
  static final boolean FORKED_ROW = Boolean.getBoolean(ForkedRow.CHILD_PROPERTY);

  private OperatorThroughput() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    double rate = args.length > 3 ? Double.parseDouble(args[3]) : 0;
    long bufferTimeoutMs = args.length > 4 ? Long.parseLong(args[4]) : 5;
    OnnxModelFiles files = OnnxModelFiles.locate(MODEL);
    if (!FORKED_ROW) {
      System.out.println(MODEL + ": " + OnnxParity.check(files)
          .requireWithin(MODEL, OnnxParity.TOLERANCE));
    }
    RnnModel model = TOKENS > 0 ? tokenModel()
        : files.rnnModel().withInfo(ModelInfo.named("sentiment", 1));
    if (model.inputSize() != D || model.spec().hiddenSize() != H) {
      throw new IllegalStateException(files.safetensors() + ": expected D=" + D + ", H=" + H);
    }
    Rows rows = new Rows(new Settings(events, 0, keys, parallelism, rate, bufferTimeoutMs),
        model, files.onnxBytes());
    if (FORKED_ROW) {
      // a child of a forking run: one row on one backend (see ForkedRow)
      ForkedRow.report(rows.measure(BACKENDS.get(0), ROWS.get(0)));
      return;
    }
    System.out.printf(Locale.ROOT, "%d events over %d keys, parallelism %d, %s, buffer timeout"
        + " %d ms, LSTM H=%d D=%d + softmax(2) (state %d floats), %s, after %s s of"
        + " unmeasured warm-up events in the same job%n%n"
        + "| operator | state backend | events/s | p50 latency ms | p99 latency ms | JIT %% |%n"
        + "|---|---|---|---|---|---|%n", events, keys, parallelism,
        rate > 0 ? String.format(Locale.ROOT, "source throttled to %.0f events/s", rate)
            : "unthrottled source", bufferTimeoutMs, H, D, rows.stateFloats(),
        FORK ? "each row in a JVM of its own"
            : "all rows in this JVM", WARM_UP_SECONDS);
    if (TOKENS > 0) {
      System.out.printf(Locale.ROOT, "Messages of 1-%d token ids (mean %d), embedding %d x %d,"
          + " mean pooling, many-to-one: one output per message%n%n", 2 * TOKENS - 1, TOKENS,
          VOCAB, D);
    }
    for (String backend : BACKENDS) {
      List<Map<String, Recorder.Stats>> rounds = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        if (ROUNDS > 1) {
          System.out.printf(Locale.ROOT, "| round %d of %d | %s | | | | |%n", round, ROUNDS,
              backend);
        }
        Map<String, Recorder.Stats> measured = new LinkedHashMap<>();
        for (String row : rows.selected()) {
          Recorder.Stats stats = FORK ? ForkedRow.run(backend, row, args)
              : rows.measure(backend, row);
          measured.put(row, stats);
          row(rows.label(row), backend, stats);
        }
        ratio("rnnstream / ORT", backend, measured.get("plain"), measured.get("ort"), true);
        for (String row : measured.keySet()) {
          if (bundleSize(row) > 0) {
            String name = "rnnstream micro-batched (" + bundleSize(row) + ")";
            ratio(name + " / ORT", backend, measured.get(row), measured.get("ort"), true);
            ratio(name + " / floor", backend, measured.get(row), measured.get("floor"), false);
          }
        }
        rounds.add(measured);
      }
      if (ROUNDS > 1) {
        summary(backend, rows, rounds);
      }
    }
  }

  /**
   * After several rounds: each row's median events/s, then for each micro-batched row the
   * median of its per-round ratios to ORT and to the floor, with the rounds that reached the aim
   * ({@value #AIM_ORT}x ORT, {@value #AIM_FLOOR} of the floor). Ratios are taken within a round,
   * whose rows ran back to back, before the median.
   */
  static void summary(String backend, Rows rows, List<Map<String, Recorder.Stats>> rounds) {
    System.out.printf(Locale.ROOT, "%nMedians over %d rounds, %s:%n%n"
        + "| row | median events/s | range | median ratio | aim met in |%n"
        + "|---|---|---|---|---|%n", rounds.size(), backend);
    for (String row : rows.selected()) {
      double[] rates = rounds.stream().mapToDouble(m -> m.get(row).eventsPerSecond()).toArray();
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f-%,.0f | | |%n", rows.label(row),
          median(rates), min(rates), max(rates));
    }
    for (String row : rows.selected()) {
      if (bundleSize(row) <= 0) {
        continue;
      }
      String name = "rnnstream micro-batched (" + bundleSize(row) + ")";
      summaryRatio(name + " / ORT", rounds, row, "ort", AIM_ORT);
      summaryRatio(name + " / floor", rounds, row, "floor", AIM_FLOOR);
    }
    System.out.println();
  }

  private static void summaryRatio(String name, List<Map<String, Recorder.Stats>> rounds,
      String row, String baseline, double aim) {
    if (!rounds.get(0).containsKey(baseline)) {
      return;
    }
    double[] ratios = rounds.stream().mapToDouble(m -> m.get(row).eventsPerSecond()
        / m.get(baseline).eventsPerSecond()).toArray();
    long met = Arrays.stream(ratios).filter(r -> r >= aim).count();
    System.out.printf(Locale.ROOT, "| %s | | %.2f-%.2f | **%.2f** | %d of %d (aim %.2f) |%n",
        name, min(ratios), max(ratios), median(ratios), met, ratios.length, aim);
  }

  /** The median (the mean of the middle two for an even count). */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  /** The rows this run measures, and how to build each one's pipeline. */
  record Rows(Settings run, RnnModel model, byte[] onnxModel) {
    int stateFloats() {
      return model.stateSize();
    }

    /** {@code rnnstream.rows}, less those this configuration has no such row for. */
    List<String> selected() {
      return ROWS.stream()
          .filter(r -> !(r.equals("micro") && MICRO_BATCH <= 0))
          .filter(r -> !(r.equals("ort") && TOKENS > 0))
          .toList();
    }

    String label(String row) {
      if (bundleSize(row) > 0) {
        return "rnnstream RnnInference, microBatch(" + bundleSize(row) + ", "
            + MICRO_BATCH_DELAY_MS + " ms)";
      }
      return switch (row) {
        case "floor" -> "identity keyed operator, float[" + stateFloats()
            + "] state (Flink floor)";
        case "plain" -> TOKENS > 0 ? "rnnstream RnnInference (one message per event)"
            : "rnnstream RnnInference (LSTM step per event)";
        case "ort" -> "ONNX Runtime 1.29 step graph (OnnxStepFunction)";
        default -> throw new IllegalArgumentException("unknown row '" + row
            + "' (rnnstream.rows: floor, plain, micro, microN, ort)");
      };
    }

    /**
     * Measures a row: a probe job of {@value #PROBE_EVENTS} events gives its rate (a throttled
     * run's rate is known), then one job runs {@code rate * warmUpSeconds} unmeasured events
     * followed by the measured ones. The probe runs cold, so a row that speeds up once compiled
     * passes its warm-up events in less than {@code warmUpSeconds}.
     */
    Recorder.Stats measure(String backend, String row) throws Exception {
      if (WARM_UP_SECONDS <= 0) {
        return measure(run, backend, row);
      }
      double rate = run.rate() > 0 ? run.rate()
          : measure(run.withEvents(PROBE_EVENTS, 0), backend, row).eventsPerSecond();
      return measure(run.withEvents(run.events(), (long) (rate * WARM_UP_SECONDS)), backend, row);
    }

    private Recorder.Stats measure(Settings s, String backend, String row) throws Exception {
      int bundle = bundleSize(row);
      if (bundle > 0) {
        return s.measure(backend, env -> inference(env, s, model, bundle));
      }
      return switch (row) {
        case "floor" -> s.measure(backend, env -> floor(env, s, stateFloats()));
        case "plain" -> s.measure(backend, env -> inference(env, s, model, 0));
        case "ort" -> s.measure(backend, env -> onnx(env, s, onnxModel));
        default -> throw new IllegalArgumentException(label(row));
      };
    }
  }

  /**
   * The bundle size of a micro-batched row: {@code micro} is {@link #MICRO_BATCH}, {@code microN}
   * is N (so {@code -Drnnstream.rows=floor,micro16,micro64,ort} compares bundle sizes in one
   * run); 0 for every other row.
   */
  static int bundleSize(String row) {
    if (row.equals("micro")) {
      return MICRO_BATCH;
    }
    return row.matches("micro[0-9]{1,6}") ? Integer.parseInt(row.substring(5)) : 0;
  }

  /** The sentiment pipeline's model shape, random weights: embedding, LSTM, mean, softmax. */
  static RnnModel tokenModel() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, H).vocabSize(VOCAB)
        .pooling(Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    return RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
        ModelInfo.named("sentiment", 1), "bench");
  }

  static void row(String operator, String backend, Recorder.Stats s) {
    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f | %.0f |%n", operator,
        backend, s.eventsPerSecond(), s.p50Ms(), s.p99Ms(), 100 * s.jitShare());
  }

  /** A ratio line (when both rows ran): events/s, and with {@code latency} p50 and p99. */
  static void ratio(String name, String backend, Recorder.Stats a, Recorder.Stats b,
      boolean latency) {
    if (a == null || b == null) {
      return;
    }
    System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %s | %s | |%n", name, backend,
        a.eventsPerSecond() / b.eventsPerSecond(),
        latency ? String.format(Locale.ROOT, "%.2f", a.p50Ms() / b.p50Ms()) : "",
        latency ? String.format(Locale.ROOT, "%.2f", a.p99Ms() / b.p99Ms()) : "");
  }

  interface Pipeline {
    void build(StreamExecutionEnvironment env) throws Exception;
  }

  /** One run's settings; {@link #measure} builds a local Flink and runs one pipeline. */
  record Settings(long events, long warmUpEvents, int keys, int parallelism, double rate,
      long bufferTimeoutMs) {
    Settings withEvents(long measured, long warmUp) {
      return new Settings(measured, warmUp, keys, parallelism, rate, bufferTimeoutMs);
    }

    Recorder.Stats measure(String backend, Pipeline pipeline) throws Exception {
      Configuration conf = new Configuration();
      conf.set(StateBackendOptions.STATE_BACKEND, backend);
      String managed = System.getProperty("rnnstream.managedMemory");
      if (managed != null) {
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(managed));
      }
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
      env.setBufferTimeout(bufferTimeoutMs);
      Recorder.reset(events, warmUpEvents, keys, parallelism);
      pipeline.build(env);
      env.execute("throughput");
      return Recorder.stats();
    }

    /** The events ({@link KeyedEvents}) from a source at the operators' parallelism. */
    DataStream<RnnEvent> source(StreamExecutionEnvironment env) {
      return env.fromSource(new DataGeneratorSource<>(new KeyedEvents(keys, D, TOKENS, VOCAB),
          warmUpEvents + events,
          rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
          TypeInformation.of(RnnEvent.class)), WatermarkStrategy.noWatermarks(), "events");
    }
  }

  static void inference(StreamExecutionEnvironment env, Settings run, RnnModel model,
      int microBatch) {
    DataStream<ModelUpdate> snapshots = env.fromData(ModelUpdate.of("sentiment", 1,
        SnapshotFormat.toBytes(model)));
    RnnInference.Builder<RnnEvent> builder = RnnInference.builder()
        .mode(TOKENS > 0 ? Mode.MANY_TO_ONE : Mode.MANY_TO_MANY).defaultModel("sentiment")
        .maxWaitingEvents(1_000_000).modelWaitRetry(Duration.ofMillis(10));
    if (microBatch > 0) {
      builder.microBatch(microBatch, Duration.ofMillis(MICRO_BATCH_DELAY_MS));
    }
    builder.build()
        .apply(run.source(env), snapshots)
        .outputs().map(OperatorThroughput::arrived, TypeInformation.of(RnnOutput.class))
        .sinkTo(new DiscardingSink<>());
  }

  static void onnx(StreamExecutionEnvironment env, Settings run, byte[] onnx) {
    run.source(env).keyBy(e -> e.key, Types.STRING)
        .process(new OnnxStepFunction(onnx, "sentiment-onnx"),
            TypeInformation.of(RnnOutput.class))
        .map(OperatorThroughput::arrived, TypeInformation.of(RnnOutput.class))
        .sinkTo(new DiscardingSink<>());
  }

  static void floor(StreamExecutionEnvironment env, Settings run, int floats) {
    run.source(env).keyBy(e -> e.key, Types.STRING)
        .process(new Identity(floats), TypeInformation.of(RnnEvent.class))
        .map(e -> {
          Recorder.arrived(e.key, e.seq);
          return e;
        }, TypeInformation.of(RnnEvent.class))
        .sinkTo(new DiscardingSink<>());
  }

  static RnnOutput arrived(RnnOutput o) {
    Recorder.arrived(o.key, o.seq);
    return o;
  }

  /** Reads, touches and writes a float[] per event: the cost of keyed state alone. */
  static final class Identity extends KeyedProcessFunction<String, RnnEvent, RnnEvent> {
    private final int floats;
    private transient ValueState<float[]> state;

    Identity(int floats) {
      this.floats = floats;
    }

    @Override
    public void open(OpenContext ctx) {
      state = getRuntimeContext().getState(new ValueStateDescriptor<>("s",
          PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(RnnEvent e, Context ctx, Collector<RnnEvent> out)
        throws Exception {
      float[] s = state.value();
      if (s == null) {
        s = new float[floats];
      }
      s[0] += e.x != null ? e.x[0] : e.ids.length;
      state.update(s);
      out.collect(e);
    }
  }
}
