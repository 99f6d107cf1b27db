package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.serving.DeadLetters;
import io.rnnstream.operators.serving.IdleExpiry;
import io.rnnstream.operators.serving.ModelRegistry;
import io.rnnstream.operators.serving.ServedModels;
import io.rnnstream.operators.serving.WaitingEvents;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The keyed inference operator: events keyed by entity on one input, model snapshots broadcast
 * on the other. Each event advances its key's recurrent state by its steps; outputs name the
 * model version that produced them. See {@link io.rnnstream.operators.api.RnnInference} for the
 * user-facing API and the design doc ({@code docs/design.md}) for the semantics.
 *
 * <p>One event's way: wait for its model's first version ({@link WaitingEvents}) &rarr; its
 * place in the key's sequence ({@link SequenceOrder}) &rarr; its model version ({@link
 * ModelSwap}) &rarr; its steps and outputs ({@link Stepper}, {@link Outputs}), now or deferred
 * into a micro-batch ({@link DeferredSteps}) &rarr; the segment's end.
 *
 * <p>Per key: one {@link KeyState} (ordering, buffer counts, activity and a {@link SequenceState}
 * per model name; read once and written once per event), events waiting for their model's first
 * version, and out-of-order events waiting for a gap to close. Broadcast: snapshot bytes under
 * {@code name#version}, parsed once into the {@link ServedModels}.
 */
public class RnnInferenceFunction
    extends KeyedBroadcastProcessFunction<String, RnnEvent, ModelUpdate, RnnOutput> {
  private static final long serialVersionUID = 1L;

  /** Rejected events and snapshots, with the reason. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("rnnstream-dead-letters", TypeInformation.of(DeadLetter.class));

  /** Broadcast state: snapshot bytes by {@code name#version}. */
  public static final MapStateDescriptor<String, byte[]> MODELS = new MapStateDescriptor<>(
      "rnnstream-models", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  /** Name of the per-key {@link KeyState}. */
  static final String STATE = "rnnstream-state";

  private final InferenceConfig config;

  private transient ValueState<KeyState> keyState;
  private transient LegacyKeyState legacy;
  private transient InferenceMetrics metrics;
  private transient DeadLetters deadLetters;
  private transient ServedModels models;
  private transient WaitingEvents<RnnEvent> waiting;
  private transient SequenceOrder order;
  private transient EventInputs inputs;
  private transient Stepper stepper;
  private transient ModelSwap swap;
  private transient IdleExpiry idleExpiry;
  private transient DeferredSteps deferred;
  private transient Outputs outputs; // the current call's
  private transient Outputs bundleOutputs; // completions run inside other calls

  public RnnInferenceFunction(InferenceConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext openContext) {
    var rc = getRuntimeContext();
    keyState = rc.getState(new ValueStateDescriptor<>(STATE, KeyStateSerializer.INSTANCE));
    legacy = new LegacyKeyState(rc);
    metrics = new InferenceMetrics(rc.getMetricGroup());
    deadLetters = new DeadLetters(DEAD_LETTERS, metrics.deadLetters);
    models = new ServedModels(MODELS, config.retainedVersions(), config.trustedKeys(), metrics,
        deadLetters, rc.getTaskInfo().getIndexOfThisSubtask());
    waiting = new WaitingEvents<>(
        rc.getListState(new ListStateDescriptor<>(
            "rnnstream-waiting", TypeInformation.of(RnnEvent.class))),
        config.maxWaitingEvents(), config.modelWaitRetryMillis(), metrics,
        "no model yet and the key's buffer of waiting events is full"
            + " (maxWaitingEvents=" + config.maxWaitingEvents() + ")");
    order = new SequenceOrder(
        rc.getMapState(new MapStateDescriptor<>(
            "rnnstream-pending", Types.LONG, TypeInformation.of(RnnEvent.class))),
        config.gapPolicy(), config.gapTimeoutMillis(), config.maxPendingEvents(), metrics);
    inputs = new EventInputs();
    stepper = new Stepper(config, inputs);
    swap = new ModelSwap(config, models.registry(), stepper, metrics);
    idleExpiry = new IdleExpiry(config.idleTimeoutMillis());
    deferred = DeferredSteps.NONE;
    outputs = new Outputs(metrics);
    bundleOutputs = new Outputs(metrics);
  }

  /**
   * Switches to micro-batching (after {@link #open}): returns the bundle, which {@code host}
   * flushes and which from now on takes the steps of one-direction events.
   */
  MicroBatch batchSteps(MicroBatch.Host host) {
    if (config.microBatchSize() <= 0) {
      throw new IllegalStateException("micro-batching is off in this operator's config");
    }
    MicroBatch bundle = new MicroBatch(host, new BundleCompletion(), config.microBatchSize(),
        config.microBatchDelayMillis(), inputs, metrics);
    deferred = bundle;
    return bundle;
  }

  /** The live metrics (tests read counters through the harness's operator). */
  InferenceMetrics metrics() {
    return metrics;
  }

  // ------------------------------------------------------------------ events

  @Override
  public void processElement(RnnEvent e, ReadOnlyContext ctx, Collector<RnnOutput> out)
      throws Exception {
    long start = System.nanoTime();
    models.load(ctx);
    metrics.events.inc();
    String key = ctx.getCurrentKey();
    deferred.settle(key); // its completion writes the key's state
    long now = ctx.timerService().currentProcessingTime();
    KeyState m = load();
    if (m == null) {
      m = new KeyState();
    }
    m.lastActive = now;
    Outputs emit = outputs.to(key, out, now, ctx.timestamp());
    if (m.waiting > 0) {
      hold(e, m, ctx, emit); // keep the key's order behind the events already waiting
    } else {
      admit(e, m, ctx, emit);
    }
    m.idleTimer = idleExpiry.arm(m.idleTimer, now, ctx.timerService());
    if (!deferred.writesState(m)) { // else the bundle writes it when the event completes
      keyState.update(m);
    }
    metrics.processingMicros.update((System.nanoTime() - start) / 1000);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RnnOutput> out)
      throws Exception {
    models.load(ctx);
    String key = ctx.getCurrentKey();
    deferred.settle(key); // the timer may reset or expire the key
    KeyState m = load();
    if (m == null) {
      return;
    }
    Outputs emit = outputs.to(key, out, timestamp, null);
    if (m.waiting > 0) {
      List<RnnEvent> held = waiting.takeAll(m.waiting);
      m.waiting = 0;
      for (RnnEvent e : held) { // in arrival order; the first that still lacks its model stops it
        if (m.waiting > 0) {
          hold(e, m, ctx, emit);
        } else {
          admit(e, m, ctx, emit);
        }
      }
    }
    if (order.gapExpired(m, timestamp)) {
      skipGap(m, ctx, emit);
    }
    if (idleExpiry.fires(m.idleTimer, timestamp)) {
      m.idleTimer = 0;
      if (m.waiting == 0 && m.pending == 0 && idleExpiry.idleSince(m.lastActive, timestamp)) {
        keyState.clear();
        metrics.keysExpired.inc();
        return;
      }
      m.idleTimer = idleExpiry.arm(0, m.lastActive, ctx.timerService());
    }
    keyState.update(m);
  }

  /** The current key's state (migrated from the pre-KeyState layout if need be), or null. */
  private KeyState load() throws Exception {
    KeyState ks = keyState.value();
    return ks != null ? ks : legacy.take();
  }

  /** An event whose predecessors are all processed: its model, then its place in the order. */
  private void admit(RnnEvent e, KeyState m, ReadOnlyContext ctx, Outputs emit)
      throws Exception {
    String name = modelOf(e);
    if (name == null) {
      reject(e, m, ctx, emit, "the event names no model and the pipeline has no default model");
      return;
    }
    if (!config.allowedModels().isEmpty() && !config.allowedModels().contains(name)) {
      reject(e, m, ctx, emit, "unknown model name '" + name + "'; this pipeline serves "
          + config.allowedModels());
      return;
    }
    if (models.latest(name) == null) {
      hold(e, m, ctx, emit);
      return;
    }
    switch (order.place(e, m, emit.now(), ctx.timerService())) {
      case NEXT -> {
        step(e, name, m, ctx, emit);
        stepReleased(m, ctx, emit);
      }
      case PARKED_OVER_LIMIT -> skipGap(m, ctx, emit); // rather than grow without bound
      case DUPLICATE, PARKED -> {}
    }
  }

  /** Dead-letters an event; if it was the next in sequence, its number is used up. */
  private void reject(RnnEvent e, KeyState m, ReadOnlyContext ctx, Outputs emit, String reason)
      throws Exception {
    deadLetters.event(ctx, emit.key(), e.source, reason, e);
    if (order.skip(e, m)) {
      stepReleased(m, ctx, emit);
    }
  }

  /** Buffers an event until its model's first version arrives (bounded). */
  private void hold(RnnEvent e, KeyState m, ReadOnlyContext ctx, Outputs emit) throws Exception {
    if (waiting.add(e, m.waiting, emit.now(), ctx.timerService())) {
      m.waiting++;
    } else {
      deadLetters.event(ctx, emit.key(), e.source, waiting.fullReason(), e);
    }
  }

  /** Steps the parked events that the last step made consecutive. */
  private void stepReleased(KeyState m, ReadOnlyContext ctx, Outputs emit) throws Exception {
    for (RnnEvent next = order.nextParked(m); next != null; next = order.nextParked(m)) {
      step(next, modelOf(next), m, ctx, emit);
    }
  }

  /** The gap will not close: the gap policy, then every parked event in order. */
  private void skipGap(KeyState m, ReadOnlyContext ctx, Outputs emit) throws Exception {
    for (RnnEvent e : order.skipGap(m)) {
      step(e, modelOf(e), m, ctx, emit);
    }
  }

  private String modelOf(RnnEvent e) {
    return e.model != null ? e.model : config.defaultModel();
  }

  // ------------------------------------------------------------------ the step

  /** Steps an event that is next in order: its version, its inputs, its outputs. */
  private void step(RnnEvent e, String name, KeyState m, ReadOnlyContext ctx, Outputs emit)
      throws Exception {
    deferred.settle(emit.key()); // this key's previous step must be complete
    RnnModel newest = models.latest(name);
    SequenceState st = m.sequence(name);
    if (st == null) {
      st = swap.start(newest);
      m.add(name, st);
    } else if (st.version != newest.info().version()) {
      swap.toNewest(st, name, newest);
    }
    RnnModel model = models.get(name, st.version);
    int steps;
    try {
      steps = stepper.steps(e, model, st);
    } catch (EventInputs.InvalidEventException bad) {
      deadLetters.event(ctx, emit.key(), e.source, bad.getMessage(), e);
      return;
    }
    metrics.activeVersion(name, newest.info().version());
    if (e.reset) {
      st.resetAll();
    }
    if (steps > 0 && !stepper.buffersSegments(model)) {
      Stepper.openSegment(st);
      if (deferred.defer(emit.key(), e, name, m, st, model, steps, emit.timestamp())) {
        return; // the bundle completes it: BundleCompletion
      }
    }
    stepper.stepNow(e, model, st, steps, emit);
    endOfEvent(e, name, st, model, emit);
  }

  /** After an event's steps: close the segment if it ends here, swap at the boundary. */
  private void endOfEvent(RnnEvent e, String name, SequenceState st, RnnModel model,
      Outputs emit) {
    if (e.endOfSegment && st.segmentOpen) {
      stepper.closeSegment(e, st, model, emit);
      swap.atSegmentEnd(st, name);
    }
  }

  /** Completes deferred events as the bundle computes their steps. */
  private final class BundleCompletion implements MicroBatch.Completion {
    @Override
    public void step(MicroBatch.Slot s, int t, float[] y, Collector<RnnOutput> out, long now) {
      boolean ids = s.model.spec().readsTokenIds();
      stepper.afterStep(s.event, s.model, s.state, y, ids, ids ? s.ids[t] : 0,
          t * s.state.width, bundleOutputs.to(s.key, out, now, s.timestamp));
    }

    @Override
    public void finish(MicroBatch.Slot s, Collector<RnnOutput> out, long now) throws Exception {
      endOfEvent(s.event, s.name, s.state, s.model,
          bundleOutputs.to(s.key, out, now, s.timestamp));
      keyState.update(s.keyState); // the event that deferred it did not write it (current key set)
    }
  }

  // ------------------------------------------------------------------ models

  @Override
  public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<RnnOutput> out)
      throws Exception {
    if (models.offer(update, ctx) == ModelRegistry.Status.ACCEPTED) {
      stepper.retain(models::serves);
      deferred.retain(models::serves);
      inputs.retain(models::serves);
    }
  }
}
