package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.api.SwapPolicy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
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
 * user-facing API and DESIGN.md section 4 for the semantics.
 *
 * <p>Per key: one {@link KeyState} (ordering, buffer counts, activity and a {@link SequenceState}
 * per model name; read once and written once per event), events waiting for their model's first
 * version, and out-of-order events waiting for a gap to close. Broadcast: snapshot bytes under
 * {@code name#version}, parsed once into the {@link ModelRegistry} cache.
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
  private transient ListState<RnnEvent> waiting;
  private transient MapState<Long, RnnEvent> pending;
  private transient ModelRegistry registry;
  private transient boolean registryLoaded;
  private transient InferenceMetrics metrics;
  private transient EventInputs inputs;
  private transient Map<RnnModel, Workspace[]> workspaces;
  private transient Emitter emitter;
  private transient Emitter bundleEmitter; // completions run inside other calls' emitters
  private transient MicroBatch.Host bundleHost; // set by MicroBatchingInferenceOperator
  private transient MicroBatch bundle; // null unless micro-batching

  public RnnInferenceFunction(InferenceConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext openContext) {
    keyState = getRuntimeContext().getState(
        new ValueStateDescriptor<>(STATE, KeyStateSerializer.INSTANCE));
    legacy = new LegacyKeyState(getRuntimeContext());
    waiting = getRuntimeContext().getListState(
        new ListStateDescriptor<>("rnnstream-waiting", TypeInformation.of(RnnEvent.class)));
    pending = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "rnnstream-pending", Types.LONG, TypeInformation.of(RnnEvent.class)));
    registry = new ModelRegistry(config.retainedVersions());
    metrics = new InferenceMetrics(getRuntimeContext().getMetricGroup());
    inputs = new EventInputs();
    workspaces = new IdentityHashMap<>();
    emitter = new Emitter();
    bundleEmitter = new Emitter();
    bundle = bundleHost != null && config.microBatchSize() > 0
        ? new MicroBatch(bundleHost, new BundleCompletion(), config.microBatchSize(),
            config.microBatchDelayMillis(), metrics)
        : null;
  }

  /** Called by {@link MicroBatchingInferenceOperator} before {@link #open}. */
  void attach(MicroBatch.Host host) {
    this.bundleHost = host;
  }

  /** Steps and completes every deferred event (no-op without micro-batching). */
  void flushBundle() throws Exception {
    if (bundle != null) {
      bundle.flush();
    }
  }

  void onBundleTimer() throws Exception {
    if (bundle != null) {
      bundle.onTimer();
    }
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
    if (!registryLoaded) { // after the first event a field read, not a state lookup
      ensureRegistry(ctx.getBroadcastState(MODELS));
    }
    metrics.events.inc();
    if (bundle != null) {
      bundle.flushIfPending(ctx.getCurrentKey()); // its completion writes the key's state
    }
    long now = ctx.timerService().currentProcessingTime();
    KeyState m = load();
    if (m == null) {
      m = new KeyState();
    }
    m.lastActive = now;
    Emitter emit = emitter.at(ctx, out, now);
    emit.timestamp = ctx.timestamp();
    if (m.waiting > 0) {
      hold(e, m, emit); // keep the key's order behind the events already waiting
    } else {
      admit(e, m, emit);
    }
    scheduleIdleExpiry(m, ctx, now);
    if (!m.deferred) { // else the bundle writes it when the deferred event completes
      keyState.update(m);
    }
    metrics.processingMicros.update((System.nanoTime() - start) / 1000);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RnnOutput> out)
      throws Exception {
    if (!registryLoaded) {
      ensureRegistry(ctx.getBroadcastState(MODELS));
    }
    if (bundle != null) {
      bundle.flushIfPending(ctx.getCurrentKey()); // the timer may reset or expire the key
    }
    KeyState m = load();
    if (m == null) {
      return;
    }
    Emitter emit = emitter.at(ctx, out, timestamp);
    if (m.waiting > 0) {
      drainWaiting(m, emit);
    }
    if (m.pending > 0 && m.gapDeadline > 0 && timestamp >= m.gapDeadline) {
      flushGap(m, emit);
    }
    if (m.idleTimer != 0 && timestamp >= m.idleTimer) {
      m.idleTimer = 0;
      if (m.waiting == 0 && m.pending == 0
          && timestamp >= m.lastActive + config.idleTimeoutMillis()) {
        keyState.clear();
        metrics.keysExpired.inc();
        return;
      }
      scheduleIdleExpiry(m, ctx, m.lastActive);
    }
    keyState.update(m);
  }

  /** The current key's state (migrated from the pre-KeyState layout if need be), or null. */
  private KeyState load() throws Exception {
    KeyState ks = keyState.value();
    return ks != null ? ks : legacy.take();
  }

  /** Routes an event whose predecessors are all processed: model check, then order check. */
  private void admit(RnnEvent e, KeyState m, Emitter emit) throws Exception {
    String name = e.model != null ? e.model : config.defaultModel();
    if (name == null) {
      reject(e, m, emit, "the event names no model and the pipeline has no default model");
      return;
    }
    if (!config.allowedModels().isEmpty() && !config.allowedModels().contains(name)) {
      reject(e, m, emit, "unknown model name '" + name + "'; this pipeline serves "
          + config.allowedModels());
      return;
    }
    if (registry.latest(name) == null) {
      hold(e, m, emit);
      return;
    }
    if (e.seq >= 0 && m.lastSeq >= 0) {
      if (e.seq <= m.lastSeq || (m.pending > 0 && pending.contains(e.seq))) {
        metrics.duplicates.inc();
        return;
      }
      if (e.seq > m.lastSeq + 1) {
        park(e, m, emit);
        return;
      }
    }
    process(e, name, m, emit);
    drainPending(m, emit);
  }

  /** Dead-letters an event; if it was the next in sequence, its number is used up. */
  private void reject(RnnEvent e, KeyState m, Emitter emit, String reason) throws Exception {
    emit.dead(e, reason);
    if (e.seq >= 0 && (m.lastSeq < 0 || e.seq == m.lastSeq + 1)) {
      m.lastSeq = e.seq;
      drainPending(m, emit);
    }
  }

  /** Buffers an event until its model's first version arrives (bounded). */
  private void hold(RnnEvent e, KeyState m, Emitter emit) throws Exception {
    if (m.waiting >= config.maxWaitingEvents()) {
      emit.dead(e, "no model yet and the key's buffer of waiting events is full"
          + " (maxWaitingEvents=" + config.maxWaitingEvents() + ")");
      return;
    }
    waiting.add(e);
    m.waiting++;
    metrics.buffered(1);
    emit.ctx.timerService().registerProcessingTimeTimer(
        emit.now + config.modelWaitRetryMillis());
  }

  /** Replays waiting events in arrival order; the first that still lacks its model stops it. */
  private void drainWaiting(KeyState m, Emitter emit) throws Exception {
    List<RnnEvent> held = new ArrayList<>();
    for (RnnEvent e : waiting.get()) {
      held.add(e);
    }
    waiting.clear();
    metrics.buffered(-m.waiting);
    m.waiting = 0;
    for (RnnEvent e : held) {
      if (m.waiting > 0) {
        hold(e, m, emit);
      } else {
        admit(e, m, emit);
      }
    }
  }

  /** Holds an event that arrived ahead of a gap in the key's sequence numbers. */
  private void park(RnnEvent e, KeyState m, Emitter emit) throws Exception {
    pending.put(e.seq, e);
    m.pending++;
    metrics.buffered(1);
    if (m.gapDeadline == 0) {
      m.gapDeadline = emit.now + config.gapTimeoutMillis();
      emit.ctx.timerService().registerProcessingTimeTimer(m.gapDeadline);
    }
    if (m.pending > config.maxPendingEvents()) {
      flushGap(m, emit); // give up waiting rather than grow without bound
    }
  }

  /** Processes parked events that have become consecutive. */
  private void drainPending(KeyState m, Emitter emit) throws Exception {
    while (m.pending > 0) {
      RnnEvent next = pending.get(m.lastSeq + 1);
      if (next == null) {
        break;
      }
      pending.remove(next.seq);
      m.pending--;
      metrics.buffered(-1);
      process(next, modelOf(next), m, emit);
    }
    if (m.pending == 0) {
      m.gapDeadline = 0;
    }
  }

  /** The gap did not close in time: apply the gap policy and process what is parked, in order. */
  private void flushGap(KeyState m, Emitter emit) throws Exception {
    TreeMap<Long, RnnEvent> parked = new TreeMap<>();
    for (Map.Entry<Long, RnnEvent> en : pending.entries()) {
      parked.put(en.getKey(), en.getValue());
    }
    pending.clear();
    metrics.buffered(-m.pending);
    m.pending = 0;
    m.gapDeadline = 0;
    metrics.gapsSkipped.inc();
    if (config.gapPolicy() == io.rnnstream.operators.api.GapPolicy.RESET) {
      for (int i = 0; i < m.models(); i++) {
        m.sequence(i).resetAll();
        metrics.keysReset.inc();
      }
    }
    for (RnnEvent e : parked.values()) {
      process(e, modelOf(e), m, emit);
    }
  }

  private String modelOf(RnnEvent e) {
    return e.model != null ? e.model : config.defaultModel();
  }

  // ------------------------------------------------------------------ the step

  private void process(RnnEvent e, String name, KeyState m, Emitter emit) throws Exception {
    if (bundle != null) {
      bundle.flushIfPending(emit.key); // this key's previous step must be complete
    }
    if (e.seq >= 0) {
      m.lastSeq = Math.max(m.lastSeq, e.seq);
    }
    RnnModel newest = registry.latest(name);
    SequenceState st = m.sequence(name);
    if (st == null) {
      st = fresh(newest);
      m.add(name, st);
    } else if (st.version != newest.info().version()) {
      swap(st, name, newest);
    }
    RnnModel model = registry.get(name, st.version);
    int steps;
    try {
      steps = inputs.validate(e, model);
      if (steps > config.maxStepsPerEvent()) {
        throw new EventInputs.InvalidEventException("event has " + steps + " steps, more than"
            + " maxStepsPerEvent=" + config.maxStepsPerEvent());
      }
      if ((model.spec().bidirectional() || config.segmentOutputs())
          && st.openRows + steps > config.maxSegmentSteps()) {
        throw new EventInputs.InvalidEventException("the open segment would exceed"
            + " maxSegmentSteps=" + config.maxSegmentSteps() + "; close segments with"
            + " endOfSegment");
      }
    } catch (EventInputs.InvalidEventException bad) {
      emit.dead(e, bad.getMessage());
      return;
    }
    metrics.activeVersion(name, newest.info().version());
    if (e.reset) {
      st.resetAll();
    }
    boolean buffered = model.spec().bidirectional() || config.segmentOutputs(); // segment end
    boolean ids = model.spec().readsTokenIds();
    if (bundle != null && !buffered && steps > 0) {
      openSegment(st);
      // The steps join the bundle; afterStep and finishEvent run as they are computed.
      MicroBatch.Slot slot =
          bundle.slot(emit.key, e, name, m, st, model, steps, emit.timestamp);
      for (int t = 0; ids && t < steps; t++) {
        slot.ids[t] = inputs.id(e, t, model);
      }
      m.deferred = true;
      bundle.defer();
      return;
    }
    Workspace[] ws = workspaces(model);
    for (int t = 0; t < steps; t++) {
      openSegment(st);
      int id = ids ? inputs.id(e, t, model) : 0;
      int off = t * st.width;
      float[] y = null;
      if (buffered) {
        if (ids) {
          st.appendOpenId(id);
        } else {
          st.appendOpen(e.x, off);
        }
      } else {
        y = ids ? model.stepToken(st.segment, id, ws[0]) : model.step(st.segment, e.x, off, ws[0]);
        if (st.rolling != null) {
          if (ids) {
            model.stepToken(st.rolling, id, ws[1]);
          } else {
            model.step(st.rolling, e.x, off, ws[1]);
          }
        }
      }
      afterStep(e, model, st, y, ids, id, off, emit);
    }
    finishEvent(e, name, st, model, emit);
  }

  /** Completes deferred events as the bundle computes their steps. */
  private final class BundleCompletion implements MicroBatch.Completion {
    @Override
    public void step(MicroBatch.Slot s, int t, float[] y, long now) {
      Emitter emit = bundleEmitter.atBundle(s.key, bundleHost.collector(s.timestamp), now);
      boolean ids = s.model.spec().readsTokenIds();
      afterStep(s.event, s.model, s.state, y, ids, ids ? s.ids[t] : 0, t * s.state.width, emit);
    }

    @Override
    public void finish(MicroBatch.Slot s, long now) throws Exception {
      Emitter emit = bundleEmitter.atBundle(s.key, bundleHost.collector(s.timestamp), now);
      finishEvent(s.event, s.name, s.state, s.model, emit);
      s.keyState.deferred = false;
      keyState.update(s.keyState); // the event that deferred it did not write it (current key set)
    }
  }

  private static void openSegment(SequenceState st) {
    if (!st.segmentOpen) {
      st.clearSegment();
      st.segmentOpen = true;
    }
  }

  /** After one step ({@code y}: its output, null when buffered): emit, remember the input. */
  private void afterStep(RnnEvent e, RnnModel model, SequenceState st, float[] y, boolean ids,
      int id, int off, Emitter emit) {
    if (y != null && config.mode() == Mode.MANY_TO_MANY) {
      emit.output(e, model, st, RnnOutput.Kind.STEP, st.segmentSteps, y);
    }
    if (ids) {
      st.rememberId(id);
    } else {
      st.remember(e.x, off, st.width);
    }
    st.segmentSteps++;
  }

  /** After an event's steps: close the segment if it ends here, swap at the boundary. */
  private void finishEvent(RnnEvent e, String name, SequenceState st, RnnModel model,
      Emitter emit) throws Exception {
    if (e.endOfSegment && st.segmentOpen) {
      closeSegment(e, st, model, workspaces(model), emit);
      RnnModel newest = registry.latest(name);
      if (config.swapPolicy() == SwapPolicy.AT_SEGMENT_BOUNDARY
          && st.version != newest.info().version()) {
        swap(st, name, newest);
      }
    }
  }

  private void closeSegment(
      RnnEvent e, SequenceState st, RnnModel model, Workspace[] ws, Emitter emit) {
    if (model.spec().bidirectional() || config.segmentOutputs()) {
      float[][] xs = segmentInputs(st, model);
      float[][] ys = model.forward(xs); // the segment from zero state (both directions if bi)
      if (config.segmentOutputs()) {
        if (ys.length > 0) {
          int o = ys[0].length;
          float[] all = new float[ys.length * o];
          for (int t = 0; t < ys.length; t++) {
            System.arraycopy(ys[t], 0, all, t * o, o);
          }
          emit.output(e, model, st, RnnOutput.Kind.STEPS, ys.length, all,
              e.tokens != null && e.tokens.length == ys.length ? e.tokens.clone() : null);
        }
      } else if (config.mode() == Mode.MANY_TO_MANY) {
        for (int t = 0; t < ys.length; t++) {
          emit.output(e, model, st, RnnOutput.Kind.STEP, t, ys[t]);
        }
      } else if (ys.length > 0) {
        emit.output(e, model, st, RnnOutput.Kind.SEGMENT, ys.length, ys[ys.length - 1]);
      }
    } else if (config.mode() == Mode.MANY_TO_ONE && st.segmentSteps > 0) {
      emit.output(e, model, st, RnnOutput.Kind.SEGMENT, st.segmentSteps,
          model.currentOutput(st.segment, ws[0]));
      if (st.rolling != null) {
        emit.output(e, model, st, RnnOutput.Kind.ROLLING, st.segmentSteps,
            model.currentOutput(st.rolling, ws[1]));
      }
    }
    st.segments++;
    st.clearSegment();
  }

  private static float[][] segmentInputs(SequenceState st, RnnModel model) {
    if (model.spec().readsTokenIds()) {
      int[] ids = new int[st.openRows];
      for (int t = 0; t < ids.length; t++) {
        ids[t] = (int) st.open[t];
      }
      return model.embed(ids);
    }
    float[][] xs = new float[st.openRows][st.width];
    for (int t = 0; t < xs.length; t++) {
      System.arraycopy(st.open, t * st.width, xs[t], 0, st.width);
    }
    return xs;
  }

  // ------------------------------------------------------------------ versions

  private SequenceState fresh(RnnModel model) {
    SequenceState st = new SequenceState();
    init(st, model);
    return st;
  }

  /** Points the state at {@code model} with zero recurrent state (keeps the segment counter). */
  private void init(SequenceState st, RnnModel model) {
    boolean uni = !model.spec().bidirectional();
    st.version = model.info().version();
    st.layout = model.stateLayout().hashCode();
    st.width = inputWidth(model);
    st.segmentOpen = false;
    st.segmentSteps = 0;
    st.openRows = 0;
    st.open = null;
    st.segment = uni ? model.newState() : null;
    st.rolling = uni && config.rolling() ? model.newState() : null;
    st.ring = config.swapPolicy() == SwapPolicy.REPLAY_LAST_N
        ? new float[config.replayLastN() * st.width]
        : null;
    st.ringCount = 0;
    st.ringNext = 0;
  }

  private static int inputWidth(RnnModel model) {
    return model.spec().readsTokenIds() ? 1 : model.inputSize();
  }

  /** Moves a key's state from its version to {@code newest} according to the swap policy. */
  private void swap(SequenceState st, String name, RnnModel newest) {
    RnnModel old = registry.get(name, st.version);
    boolean compatible = st.layout == newest.stateLayout().hashCode()
        && st.width == inputWidth(newest);
    switch (config.swapPolicy()) {
      case AT_SEGMENT_BOUNDARY -> {
        if (st.segmentOpen && old != null) {
          return; // the open segment finishes on the version it started with
        }
        if (st.segmentOpen) {
          st.clearSegment(); // its version was evicted: cannot finish it faithfully
        }
        carryOrReset(st, newest, compatible, false);
      }
      case IMMEDIATE_CARRY -> carryOrReset(st, newest, compatible, true);
      case IMMEDIATE_RESET -> {
        reinit(st, newest);
        metrics.keysReset.inc();
      }
      case REPLAY_LAST_N -> {
        if (st.width != inputWidth(newest)) {
          reinit(st, newest);
          metrics.keysReset.inc();
          metrics.carryFallbacks.inc();
        } else {
          replay(st, newest);
          metrics.keysMigrated.inc();
        }
      }
    }
  }

  private void carryOrReset(
      SequenceState st, RnnModel newest, boolean compatible, boolean countFallback) {
    if (compatible) {
      st.version = newest.info().version();
      metrics.keysMigrated.inc();
    } else {
      reinit(st, newest);
      metrics.keysReset.inc();
      if (countFallback) {
        metrics.carryFallbacks.inc();
      }
    }
  }

  private void reinit(SequenceState st, RnnModel model) {
    init(st, model);
  }

  /**
   * Re-warms the key on {@code model}: the rolling state from the last N inputs, the open
   * segment's state from its last min(N, segment length) inputs, both from zero.
   */
  private void replay(SequenceState st, RnnModel model) {
    boolean open = st.segmentOpen;
    int segmentSteps = st.segmentSteps;
    int n = st.ringCount;
    float[] ring = st.ring;
    int ringNext = st.ringNext;
    int rows = ring.length / st.width;
    int width = st.width;
    init(st, model);
    st.ring = ring;
    st.ringCount = n;
    st.ringNext = ringNext;
    if (model.spec().bidirectional()) {
      return;
    }
    Workspace[] ws = workspaces(model);
    int segmentReplay = open ? Math.min(segmentSteps, n) : 0;
    for (int i = 0; i < n; i++) {
      int off = SequenceState.ringRow(ringNext, rows, i, n) * width;
      if (st.rolling != null) {
        stepRow(model, st.rolling, ring, off, ws[1]);
      }
      if (i >= n - segmentReplay) {
        stepRow(model, st.segment, ring, off, ws[0]);
      }
    }
    st.segmentOpen = open;
    st.segmentSteps = open ? segmentSteps : 0;
  }

  private static void stepRow(RnnModel model, RnnState state, float[] ring, int off, Workspace ws) {
    if (model.spec().readsTokenIds()) {
      model.stepToken(state, (int) ring[off], ws);
    } else {
      model.step(state, ring, off, ws);
    }
  }

  private Workspace[] workspaces(RnnModel model) {
    return workspaces.computeIfAbsent(model,
        m -> new Workspace[] {m.newWorkspace(), m.newWorkspace()});
  }

  // ------------------------------------------------------------------ models

  @Override
  public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<RnnOutput> out)
      throws Exception {
    BroadcastState<String, byte[]> state = ctx.getBroadcastState(MODELS);
    ensureRegistry(state);
    ModelRegistry.Offer offer = registry.offer(update);
    switch (offer.status()) {
      case ACCEPTED -> {
        state.put(ModelRegistry.stateKey(update.name, update.version), update.snapshot);
        for (String evicted : offer.evictedKeys()) {
          state.remove(evicted);
        }
        workspaces.keySet().removeIf(m -> registry.get(m.info().name(), m.info().version()) != m);
        if (bundle != null) {
          bundle.retain(m -> registry.get(m.info().name(), m.info().version()) == m);
        }
        inputs.retain(m -> registry.get(m.info().name(), m.info().version()) == m);
        metrics.snapshotsAccepted.inc();
        metrics.activeVersion(update.name, update.version);
      }
      case DUPLICATE -> {}
      case REJECTED -> {
        metrics.snapshotsRejected.inc();
        // Every parallel instance sees every snapshot; one dead letter is enough.
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
          metrics.deadLetters.inc();
          ctx.output(DEAD_LETTERS, DeadLetter.of("snapshot", update.name, update.source,
              offer.reason(), update.toString()));
        }
      }
    }
  }

  private void ensureRegistry(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
    if (!registryLoaded) {
      registry.load(state.immutableEntries());
      registry.activeVersions().forEach(metrics::activeVersion);
      registryLoaded = true;
    }
  }

  /**
   * Keeps one idle-expiry timer per key, due a whole second after {@code from + idleTimeout};
   * when it fires early (the key was active since), it re-arms from the last activity.
   */
  private void scheduleIdleExpiry(KeyState m, ReadOnlyContext ctx, long from) {
    long idle = config.idleTimeoutMillis();
    if (idle <= 0 || m.idleTimer != 0) {
      return;
    }
    m.idleTimer = (from + idle + 999) / 1000 * 1000;
    ctx.timerService().registerProcessingTimeTimer(m.idleTimer);
  }

  // ------------------------------------------------------------------ output

  /** Emits outputs and dead letters for one call; knows the time and the key. */
  private final class Emitter {
    ReadOnlyContext ctx; // null while completing a bundle (no timers, no dead letters there)
    String key;
    Collector<RnnOutput> out;
    long now;
    Long timestamp; // the input record's, for a deferred step

    /** Reused for every call: no allocation per event. */
    Emitter at(ReadOnlyContext ctx, Collector<RnnOutput> out, long now) {
      this.ctx = ctx;
      this.key = ctx.getCurrentKey();
      this.out = out;
      this.now = now;
      this.timestamp = null;
      return this;
    }

    /** For the completion of a deferred step of {@code key}. */
    Emitter atBundle(String key, Collector<RnnOutput> out, long now) {
      this.ctx = null;
      this.key = key;
      this.out = out;
      this.now = now;
      this.timestamp = null;
      return this;
    }

    void dead(RnnEvent e, String reason) {
      metrics.deadLetters.inc();
      ctx.output(DEAD_LETTERS, DeadLetter.of("event", key, e.source, reason,
          e.toString()));
    }

    void output(RnnEvent e, RnnModel model, SequenceState st, RnnOutput.Kind kind, int step,
        float[] y) {
      output(e, model, st, kind, step, y, null);
    }

    /** Emits one output; everything is set before collect (which may copy or serialize it). */
    void output(RnnEvent e, RnnModel model, SequenceState st, RnnOutput.Kind kind, int step,
        float[] y, String[] tokens) {
      RnnOutput o = new RnnOutput();
      o.key = key;
      o.seq = e.seq;
      o.model = model.info().name();
      o.modelVersion = model.info().version();
      o.kind = kind;
      o.segment = st.segments;
      o.step = step;
      o.y = y.clone();
      Labels.decide(model.info().labels(), o);
      o.tokens = tokens;
      o.latencyMs = e.timestampMs > 0 ? Math.max(0, now - e.timestampMs) : 0;
      metrics.outputs.inc();
      out.collect(o);
    }
  }
}
