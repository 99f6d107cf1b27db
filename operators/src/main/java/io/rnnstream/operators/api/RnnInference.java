package io.rnnstream.operators.api;

import io.rnnstream.operators.inference.MicroBatchingInferenceOperator;
import io.rnnstream.operators.inference.RnnInferenceFunction;
import io.rnnstream.operators.serving.InputOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stateful RNN inference on a Flink stream: per-key recurrent state in keyed state, models from a
 * broadcast stream of snapshots, hot-swapped while the job runs.
 *
 * <pre>{@code
 * RnnInference<ChatMessage> sentiment = RnnInference.builder()
 *     .featurizer((ChatMessage m) -> {
 *       RnnEvent e = RnnEvent.tokens(m.conversation, m.seq, tokenizer.tokenize(m.text)
 *           .toArray(String[]::new));
 *       e.endOfSegment = true;          // one message = one segment
 *       return e;
 *     })
 *     .mode(Mode.MANY_TO_ONE)
 *     .rolling(true)                    // also a conversation-level mood
 *     .defaultModel("sentiment")
 *     .swapPolicy(SwapPolicy.AT_SEGMENT_BOUNDARY)
 *     .idleTimeout(Duration.ofHours(1))
 *     .build();
 *
 * RnnInference.Result result = sentiment.apply(messages, snapshots);
 * result.outputs().sinkTo(predictionsSink);
 * result.deadLetters().sinkTo(deadLetterSink);
 * }</pre>
 *
 * @param <E> the input record type
 */
public final class RnnInference<E> {
  private final Featurizer<E> featurizer;
  private final InferenceConfig config;

  private RnnInference(Builder<E> b) {
    this.featurizer = b.featurizer;
    this.config = new InferenceConfig(b);
  }

  /** A builder for streams of {@link RnnEvent}; call {@link Builder#featurizer} for others. */
  public static Builder<RnnEvent> builder() {
    return new Builder<>(null);
  }

  public InferenceConfig config() {
    return config;
  }

  /** Predictions and dead letters of one pipeline. */
  public record Result(
      SingleOutputStreamOperator<RnnOutput> outputs, DataStream<DeadLetter> deadLetters) {}

  /**
   * Wires the operator: featurize, drop keyless events to the dead letters, key by
   * {@link RnnEvent#key}, connect with the broadcast snapshots, infer.
   */
  public Result apply(DataStream<E> events, DataStream<ModelUpdate> snapshots) {
    OutputTag<DeadLetter> keyless =
        new OutputTag<>("rnnstream-keyless", TypeInformation.of(DeadLetter.class));
    SingleOutputStreamOperator<RnnEvent> featurized = events
        // RnnEventSerializer on the edge to the operator; TypeInformation.of stays the POJO type
        .process(new Featurize<>(featurizer, keyless), RnnEventTypeInfo.INSTANCE)
        .name("rnnstream-featurize").uid("rnnstream-featurize");
    InputOrder.keep(events, featurized);
    KeyedStream<RnnEvent, String> keyed = featurized.keyBy(e -> e.key, Types.STRING);
    RnnInferenceFunction function = new RnnInferenceFunction(config);
    SingleOutputStreamOperator<RnnOutput> outputs = config.microBatchSize() > 0
        // the same function and state, in an operator that can step a bundle of keys at once
        ? keyed.connect(snapshots.broadcast())
            .transform("rnnstream-inference", TypeInformation.of(RnnOutput.class),
                new MicroBatchingInferenceOperator(function))
        : keyed.connect(snapshots.broadcast(RnnInferenceFunction.MODELS))
            .process(function, TypeInformation.of(RnnOutput.class));
    outputs.name("rnnstream-inference").uid("rnnstream-inference");
    DataStream<DeadLetter> dead = outputs.getSideOutput(RnnInferenceFunction.DEAD_LETTERS)
        .union(featurized.getSideOutput(keyless));
    return new Result(outputs, dead);
  }

  /** Applies the featurizer; events it cannot key go to the dead letters instead of failing. */
  private static final class Featurize<E> extends ProcessFunction<E, RnnEvent> {
    private static final long serialVersionUID = 1L;
    private final Featurizer<E> featurizer;
    private final OutputTag<DeadLetter> keyless;

    Featurize(Featurizer<E> featurizer, OutputTag<DeadLetter> keyless) {
      this.featurizer = featurizer;
      this.keyless = keyless;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement(E record, Context ctx, Collector<RnnEvent> out) throws Exception {
      RnnEvent e;
      try {
        e = featurizer == null ? (RnnEvent) record : featurizer.map(record);
      } catch (RuntimeException ex) {
        ctx.output(keyless, DeadLetter.of("event", null, null,
            "featurizer failed: " + ex.getMessage(), String.valueOf(record)));
        return;
      }
      if (e == null || e.key == null) {
        ctx.output(keyless, DeadLetter.of("event", null, e == null ? null : e.source,
            "event has no key", String.valueOf(record)));
        return;
      }
      out.collect(e);
    }
  }

  /** Immutable-result builder; every setting has a safe default except where noted. */
  public static final class Builder<E> {
    Featurizer<E> featurizer;
    Mode mode = Mode.MANY_TO_ONE;
    SwapPolicy swapPolicy = SwapPolicy.AT_SEGMENT_BOUNDARY;
    int replayLastN;
    GapPolicy gapPolicy = GapPolicy.CONTINUE;
    Duration gapTimeout = Duration.ofSeconds(5);
    boolean rolling;
    String defaultModel;
    Set<String> allowedModels = new TreeSet<>();
    int maxWaitingEvents = 1000;
    Duration modelWaitRetry = Duration.ofMillis(200);
    int maxPendingEvents = 1000;
    int maxStepsPerEvent = 10_000;
    int maxSegmentSteps = 100_000;
    Duration idleTimeout = Duration.ZERO;
    int retainedVersions = 3;
    boolean segmentOutputs;
    int microBatchSize;
    Duration microBatchDelay = Duration.ofMillis(10);
    TrustedKeys trustedKeys = TrustedKeys.NONE;

    private Builder(Featurizer<E> featurizer) {
      this.featurizer = featurizer;
    }

    /** Maps the pipeline's own records to {@link RnnEvent}s. */
    public <T> Builder<T> featurizer(Featurizer<T> f) {
      Builder<T> b = new Builder<>(f);
      b.mode = mode;
      b.swapPolicy = swapPolicy;
      b.replayLastN = replayLastN;
      b.gapPolicy = gapPolicy;
      b.gapTimeout = gapTimeout;
      b.rolling = rolling;
      b.defaultModel = defaultModel;
      b.allowedModels = allowedModels;
      b.maxWaitingEvents = maxWaitingEvents;
      b.modelWaitRetry = modelWaitRetry;
      b.maxPendingEvents = maxPendingEvents;
      b.maxStepsPerEvent = maxStepsPerEvent;
      b.maxSegmentSteps = maxSegmentSteps;
      b.idleTimeout = idleTimeout;
      b.retainedVersions = retainedVersions;
      b.segmentOutputs = segmentOutputs;
      b.microBatchSize = microBatchSize;
      b.microBatchDelay = microBatchDelay;
      b.trustedKeys = trustedKeys;
      return b;
    }

    /** MANY_TO_ONE (default) or MANY_TO_MANY. */
    public Builder<E> mode(Mode v) {
      mode = v;
      return this;
    }

    /** How keys move to a new model version (default AT_SEGMENT_BOUNDARY). */
    public Builder<E> swapPolicy(SwapPolicy v) {
      swapPolicy = v;
      return this;
    }

    /** REPLAY_LAST_N with the number of inputs each key remembers for re-warming. */
    public Builder<E> replayLastN(int n) {
      swapPolicy = SwapPolicy.REPLAY_LAST_N;
      replayLastN = n;
      return this;
    }

    /** What to do when a sequence gap does not close within {@code timeout} (default 5 s). */
    public Builder<E> gapPolicy(GapPolicy policy, Duration timeout) {
      gapPolicy = policy;
      gapTimeout = timeout;
      return this;
    }

    /** Many-to-one: also emit a ROLLING prediction carried across segments (conversation). */
    public Builder<E> rolling(boolean v) {
      rolling = v;
      return this;
    }

    /**
     * Many-to-many: one {@code STEPS} output per segment with all its steps (a tag sequence per
     * utterance) instead of one {@code STEP} output per step. The segment's inputs are kept in
     * state until it ends.
     */
    public Builder<E> segmentOutputs(boolean v) {
      segmentOutputs = v;
      return this;
    }

    /**
     * Cross-key micro-batching (off by default): events of different keys are buffered in a
     * bundle of up to {@code maxEvents} and stepped together by the batched kernels
     * ({@code RnnModel.stepBatch}), reading the weights once per group of keys instead of once
     * per key; multi-step events (sentences) go in waves, the t-th step of every event at once.
     * A bundle is stepped when it is full, {@code maxDelay} after its first event, before every
     * checkpoint barrier (so exactly-once holds), before a snapshot is applied, at the end of
     * input, and as soon as a key with an event in the bundle has more work (so each key's
     * events stay successive steps, in order). Outputs are the same as without batching;
     * latency grows by at most {@code maxDelay}. Segment-buffered outputs
     * ({@link #segmentOutputs}) and bidirectional models are processed at once, as without
     * batching.
     */
    public Builder<E> microBatch(int maxEvents, Duration maxDelay) {
      microBatchSize = maxEvents;
      microBatchDelay = maxDelay;
      return this;
    }

    /** The model for events that name none. */
    public Builder<E> defaultModel(String name) {
      defaultModel = name;
      return this;
    }

    /**
     * The model names this pipeline serves; events naming others are dead letters. By default
     * any name is accepted and events wait (bounded) until its first version arrives.
     */
    public Builder<E> models(String... names) {
      allowedModels = new TreeSet<>(Arrays.asList(names));
      return this;
    }

    /** Bound of events per key waiting for their model's first version (default 1000). */
    public Builder<E> maxWaitingEvents(int v) {
      maxWaitingEvents = v;
      return this;
    }

    /** How often waiting keys look for their model (default 200 ms). */
    public Builder<E> modelWaitRetry(Duration v) {
      modelWaitRetry = v;
      return this;
    }

    /** Bound of out-of-order events per key held for a gap (default 1000). */
    public Builder<E> maxPendingEvents(int v) {
      maxPendingEvents = v;
      return this;
    }

    /** Largest number of steps one event may carry (default 10 000); larger is oversize. */
    public Builder<E> maxStepsPerEvent(int v) {
      maxStepsPerEvent = v;
      return this;
    }

    /** Largest bidirectional segment (default 100 000 steps). */
    public Builder<E> maxSegmentSteps(int v) {
      maxSegmentSteps = v;
      return this;
    }

    /** Keys without events for this long lose their state (default: never). */
    public Builder<E> idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    /** Versions kept per model name (default 3, at least 2). */
    public Builder<E> retainedVersions(int v) {
      retainedVersions = v;
      return this;
    }

    /**
     * Serve only model snapshots signed by one of these keys (OpenSSF model signing bundles in
     * {@link ModelUpdate#signature}); default: none, every valid snapshot is served, signed or
     * not. A snapshot without a signature that verifies is refused: a dead letter, counted in
     * {@code modelsRejected}, and the serving version goes on. Several keys allow rotation.
     */
    public Builder<E> trustedKeys(TrustedKeys keys) {
      trustedKeys = keys == null ? TrustedKeys.NONE : keys;
      return this;
    }

    /** {@link #trustedKeys(TrustedKeys)} of public keys as PEM text ({@code BEGIN PUBLIC KEY}). */
    public Builder<E> trustedKeys(String... pems) {
      return trustedKeys(TrustedKeys.pem(pems));
    }

    /** {@link #trustedKeys(TrustedKeys)} of EC public keys (P-256, P-384, P-521). */
    public Builder<E> trustedKeys(java.security.PublicKey... keys) {
      return trustedKeys(TrustedKeys.of(keys));
    }

    public RnnInference<E> build() {
      if (rolling && mode != Mode.MANY_TO_ONE) {
        throw new IllegalArgumentException("rolling predictions need mode MANY_TO_ONE");
      }
      if (segmentOutputs && mode != Mode.MANY_TO_MANY) {
        throw new IllegalArgumentException("segmentOutputs needs mode MANY_TO_MANY");
      }
      return new RnnInference<>(this);
    }
  }
}
