package io.rnnstream.benchmarks.flink;

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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
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
 * Events per second through one keyed operator on one core (parallelism 1, local Flink), heap and
 * RocksDB state, side by side with the Flink floor: an identity keyed operator that reads and
 * writes a {@code float[]} state of the same size per event. The model: many-to-many LSTM,
 * H=128, D=64, one step per event, softmax head over 2 classes (the sentiment shape).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rnnstream.benchmarks.flink.OperatorThroughput
 *   [events=200000] [keys=10000]</pre>
 */
public final class OperatorThroughput {
  static final int D = 64;
  static final int H = 128;
  static final AtomicLong FIRST = new AtomicLong();
  static final AtomicLong LAST = new AtomicLong();
  static final AtomicLong COUNT = new AtomicLong();

  private OperatorThroughput() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, D, H).pooling(Pooling.NONE)
        .head(2, Activation.SOFTMAX).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
        ModelInfo.named("sentiment", 1), "bench");
    int stateFloats = model.stateSize();
    System.out.printf(Locale.ROOT, "%d events over %d keys, parallelism 1, LSTM H=%d D=%d"
        + " (state %d floats)%n%n| operator | state backend | events/s |%n|---|---|---|%n",
        events, keys, H, D, stateFloats);
    for (String backend : new String[] {"hashmap", "rocksdb"}) {
      double floor = run(backend, events, keys, env -> floor(env, events, keys, stateFloats));
      System.out.printf(Locale.ROOT, "| identity keyed operator, float[%d] state (Flink floor)"
          + " | %s | %,.0f |%n", stateFloats, backend, floor);
      double ours = run(backend, events, keys, env -> inference(env, events, keys, model));
      System.out.printf(Locale.ROOT, "| rnnstream inference (LSTM step per event) | %s |"
          + " %,.0f |%n", backend, ours);
    }
  }

  interface Pipeline {
    void build(StreamExecutionEnvironment env) throws Exception;
  }

  static double run(String backend, long events, int keys, Pipeline pipeline) throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    FIRST.set(0);
    LAST.set(0);
    COUNT.set(0);
    pipeline.build(env);
    env.execute("throughput");
    // rate over the steady part: from the 10th percentile event to the last
    return (COUNT.get() - 1) * 1e9 / (LAST.get() - FIRST.get());
  }

  static float[] x(long i) {
    float[] x = new float[D];
    for (int j = 0; j < D; j++) {
      x[j] = (float) Math.sin(i * 0.37 + j);
    }
    return x;
  }

  static DataStream<RnnEvent> events(StreamExecutionEnvironment env, long events, int keys) {
    return env.fromSource(new DataGeneratorSource<>(
        i -> RnnEvent.dense("k" + (i % keys), i / keys, x(i)), events,
        RateLimiterStrategy.noOp(), TypeInformation.of(RnnEvent.class)),
        WatermarkStrategy.noWatermarks(), "events");
  }

  static void inference(StreamExecutionEnvironment env, long events, int keys, RnnModel model) {
    DataStream<ModelUpdate> snapshots = env.fromData(ModelUpdate.of("sentiment", 1,
        SnapshotFormat.toBytes(model)));
    RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("sentiment")
        .maxWaitingEvents(1_000_000).modelWaitRetry(Duration.ofMillis(10)).build()
        .apply(events(env, events, keys), snapshots)
        .outputs().map(OperatorThroughput::count, TypeInformation.of(RnnOutput.class))
        .sinkTo(new DiscardingSink<>());
  }

  static RnnOutput count(RnnOutput o) {
    mark();
    return o;
  }

  static void mark() {
    long n = COUNT.incrementAndGet();
    long now = System.nanoTime();
    if (n == 1) {
      FIRST.set(now);
    }
    LAST.set(now);
  }

  static void floor(StreamExecutionEnvironment env, long events, int keys, int floats) {
    events(env, events, keys).keyBy(e -> e.key, Types.STRING)
        .process(new Identity(floats), TypeInformation.of(RnnEvent.class))
        .map(e -> {
          mark();
          return e;
        }, TypeInformation.of(RnnEvent.class))
        .sinkTo(new DiscardingSink<>());
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
      s[0] += e.x[0];
      state.update(s);
      out.collect(e);
    }
  }
}
