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
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
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
 *       micro-batching ({@code -Drnnstream.microBatch=16}, {@code -Drnnstream.microBatchDelayMs=5});
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
 *   [-Drnnstream.warmUpEvents=50000] [-Drnnstream.warmUpPercent=10] \
 *   [-Drnnstream.microBatch=16] \
 *   [-Drnnstream.backends=hashmap,rocksdb] [-Drnnstream.rows=floor,plain,micro,ort] \
 *   [-Drnnstream.tokensPerEvent=0] \
 *   -cp benchmarks/target/benchmarks.jar io.rnnstream.benchmarks.flink.OperatorThroughput
 *   [events=200000] [keys=10000] [parallelism=2] [rate=0 (events/s, 0 = unthrottled)]
 *   [bufferTimeoutMs=5]</pre>
 *
 * Before measuring, each row runs once with {@code warmUpEvents} events on the first backend
 * (JIT warm-up, see {@link #warmUp}); each measured run then also leaves its first
 * {@code warmUpPercent} % of arrivals out of its figures.
 *
 * <p>The {@code rnnstream / ORT} rows divide our figures by ORT's: above 1 is better for events/s,
 * worse for latency. {@code rnnstream.backends} and {@code rnnstream.rows} pick a subset (e.g.
 * one row under a profiler).
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
  /** Events through each row before any is measured ({@code -Drnnstream.warmUpEvents}; 0: none). */
  static final long WARM_UP_EVENTS = Long.getLong("rnnstream.warmUpEvents", 50_000);

  private OperatorThroughput() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    double rate = args.length > 3 ? Double.parseDouble(args[3]) : 0;
    long bufferTimeoutMs = args.length > 4 ? Long.parseLong(args[4]) : 5;
    OnnxModelFiles files = OnnxModelFiles.locate(MODEL);
    System.out.println(MODEL + ": " + OnnxParity.check(files)
        .requireWithin(MODEL, OnnxParity.TOLERANCE));
    RnnModel model = TOKENS > 0 ? tokenModel()
        : files.rnnModel().withInfo(ModelInfo.named("sentiment", 1));
    if (model.inputSize() != D || model.spec().hiddenSize() != H) {
      throw new IllegalStateException(files.safetensors() + ": expected D=" + D + ", H=" + H);
    }
    byte[] onnx = files.onnxBytes();
    int stateFloats = model.stateSize();
    Settings run = new Settings(events, keys, parallelism, rate, bufferTimeoutMs);
    warmUp(new Settings(WARM_UP_EVENTS, keys, parallelism, 0, bufferTimeoutMs), model, onnx,
        stateFloats);
    System.out.printf(Locale.ROOT, "%d events over %d keys, parallelism %d, %s, buffer timeout"
        + " %d ms, LSTM H=%d D=%d + softmax(2) (state %d floats)%n%n"
        + "| operator | state backend | events/s | p50 latency ms | p99 latency ms |%n"
        + "|---|---|---|---|---|%n", events, keys, parallelism,
        rate > 0 ? String.format(Locale.ROOT, "source throttled to %.0f events/s", rate)
            : "unthrottled source", bufferTimeoutMs, H, D, stateFloats);
    if (TOKENS > 0) {
      System.out.printf(Locale.ROOT, "Messages of 1-%d token ids (mean %d), embedding %d x %d,"
          + " mean pooling, many-to-one: one output per message%n%n", 2 * TOKENS - 1, TOKENS,
          VOCAB, D);
    }
    for (String backend : BACKENDS) {
      if (ROWS.contains("floor")) {
        row("identity keyed operator, float[" + stateFloats + "] state (Flink floor)", backend,
            run.measure(backend, env -> floor(env, run, stateFloats)));
      }
      Recorder.Stats ours = null;
      if (ROWS.contains("plain")) {
        ours = run.measure(backend, env -> inference(env, run, model, 0));
        row(TOKENS > 0 ? "rnnstream RnnInference (one message per event)"
            : "rnnstream RnnInference (LSTM step per event)", backend, ours);
      }
      if (MICRO_BATCH > 0 && ROWS.contains("micro")) {
        row("rnnstream RnnInference, microBatch(" + MICRO_BATCH + ", " + MICRO_BATCH_DELAY_MS
            + " ms)", backend, run.measure(backend, env -> inference(env, run, model,
                MICRO_BATCH)));
      }
      Recorder.Stats ort = null;
      if (ROWS.contains("ort") && TOKENS == 0) {
        ort = run.measure(backend, env -> onnx(env, run, onnx));
        row("ONNX Runtime 1.29 step graph (OnnxStepFunction)", backend, ort);
      }
      if (ours != null && ort != null) {
        System.out.printf(Locale.ROOT, "| rnnstream / ORT | %s | %.2f | %.2f | %.2f |%n",
            backend, ours.eventsPerSecond() / ort.eventsPerSecond(), ours.p50Ms() / ort.p50Ms(),
            ours.p99Ms() / ort.p99Ms());
      }
    }
  }

  /**
   * Runs every selected row once, unmeasured, on the first backend, so that the JIT has compiled
   * each row's code before any row is measured (the Vector API kernels need about a second of
   * steps, more on a loaded machine, and ran 100-1000x slower until then: without this the first
   * row using them paid for it).
   */
  static void warmUp(Settings warm, RnnModel model, byte[] onnx, int stateFloats)
      throws Exception {
    if (warm.events() <= 0) {
      return;
    }
    String backend = BACKENDS.get(0);
    System.out.printf(Locale.ROOT, "(warm-up, not measured: %d events through each row on %s)%n%n",
        warm.events(), backend);
    if (ROWS.contains("floor")) {
      warm.measure(backend, env -> floor(env, warm, stateFloats));
    }
    if (ROWS.contains("plain")) {
      warm.measure(backend, env -> inference(env, warm, model, 0));
    }
    if (MICRO_BATCH > 0 && ROWS.contains("micro")) {
      warm.measure(backend, env -> inference(env, warm, model, MICRO_BATCH));
    }
    if (ROWS.contains("ort") && TOKENS == 0) {
      warm.measure(backend, env -> onnx(env, warm, onnx));
    }
  }

  /** The sentiment pipeline's model shape, random weights: embedding, LSTM, mean, softmax. */
  static RnnModel tokenModel() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, H).vocabSize(VOCAB)
        .pooling(Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    return RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
        ModelInfo.named("sentiment", 1), "bench");
  }

  static void row(String operator, String backend, Recorder.Stats s) {
    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f |%n", operator, backend,
        s.eventsPerSecond(), s.p50Ms(), s.p99Ms());
  }

  interface Pipeline {
    void build(StreamExecutionEnvironment env) throws Exception;
  }

  /** One run's settings; {@link #measure} builds a local Flink and runs one pipeline. */
  record Settings(long events, int keys, int parallelism, double rate, long bufferTimeoutMs) {
    Recorder.Stats measure(String backend, Pipeline pipeline) throws Exception {
      Configuration conf = new Configuration();
      conf.set(StateBackendOptions.STATE_BACKEND, backend);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
      env.setBufferTimeout(bufferTimeoutMs);
      Recorder.reset(events, keys, parallelism);
      pipeline.build(env);
      env.execute("throughput");
      return Recorder.stats();
    }

    /** The events ({@link KeyedEvents}) from a source at the operators' parallelism. */
    DataStream<RnnEvent> source(StreamExecutionEnvironment env) {
      return env.fromSource(new DataGeneratorSource<>(new KeyedEvents(keys, D, TOKENS, VOCAB),
          events,
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
