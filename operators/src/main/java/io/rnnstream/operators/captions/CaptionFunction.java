package io.rnnstream.operators.captions;

import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.serving.DeadLetters;
import io.rnnstream.operators.serving.IdleExpiry;
import io.rnnstream.operators.serving.ModelRegistry;
import io.rnnstream.operators.serving.ServedModels;
import io.rnnstream.operators.serving.WaitingEvents;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
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
 * The keyed caption operator: audio events keyed by stream on one input, caption-model snapshots
 * broadcast on the other. Per stream, a {@link CaptionState} (own serializer) holds the feature
 * extractor's pending samples, the LSTM state, the CTC decoder state and the segment
 * bookkeeping; the work per frame is {@link CaptionStream}'s. See {@link Captioning} for the API.
 * The model broadcast, the wait for a first version, dead letters and idle expiry are the
 * inference operator's ({@link io.rnnstream.operators.serving}).
 *
 * <p>Order: events with {@code seq <= last} are duplicates, dropped and counted; a gap
 * ({@code seq > last + 1}) is counted and the audio goes on (the missing chunk is lost audio).
 * Events before the first model version wait per stream (bounded). Malformed events (both or
 * neither of pcm/frames without end of stream, frames of the wrong width or with non-finite
 * values, oversize chunks) are dead letters; the stream's state is untouched.
 *
 * <p>Models: only snapshots named {@link Captioning#modelName()} are considered; one that fails
 * validation (checksum, format, shapes, not a caption model: head, labels, alphabet) is a dead
 * letter and the serving version goes on. A stream moves to a newer version between utterances:
 * at the endpoint that ends an utterance, inside the event that reaches it (the frames after it
 * run on the new version from the zero state), or at an event that finds its open segment
 * without speech (nothing said, no caption yet). Every caption names the version that made it.
 */
public class CaptionFunction
    extends KeyedBroadcastProcessFunction<String, AudioEvent, ModelUpdate, Caption> {
  private static final long serialVersionUID = 1L;

  /** Rejected events and snapshots, with the reason. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("rnnstream-captions-dead-letters", TypeInformation.of(DeadLetter.class));

  /** Broadcast state: snapshot bytes by {@code name#version}. */
  public static final MapStateDescriptor<String, byte[]> MODELS = new MapStateDescriptor<>(
      "rnnstream-caption-models", Types.STRING,
      PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  /** Name of the keyed state holding each stream's {@link CaptionState}. */
  public static final String STREAMS = "rnnstream-caption-streams";

  private final Captioning config;

  private transient ValueState<CaptionState> streams;
  private transient CaptionMetrics metrics;
  private transient DeadLetters deadLetters;
  private transient ServedModels models;
  private transient WaitingEvents<AudioEvent> waiting;
  private transient IdleExpiry idleExpiry;
  private transient LogMelExtractor extractor;
  private transient Map<RnnModel, CaptionStream> captioners;
  private transient Emitter emitter;
  private transient SwapAtEndpoint swapAtEndpoint;

  public CaptionFunction(Captioning config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext openContext) {
    var rc = getRuntimeContext();
    streams = rc.getState(new ValueStateDescriptor<>(STREAMS, CaptionStateSerializer.INSTANCE));
    metrics = new CaptionMetrics(rc.getMetricGroup());
    deadLetters = new DeadLetters(DEAD_LETTERS, metrics.deadLetters);
    models = new ServedModels(MODELS, config.retainedVersions(), config.trustedKeys(), metrics,
        deadLetters, rc.getTaskInfo().getIndexOfThisSubtask());
    waiting = new WaitingEvents<>(
        rc.getListState(new ListStateDescriptor<>(
            "rnnstream-caption-waiting", TypeInformation.of(AudioEvent.class))),
        config.maxWaitingEvents(), config.modelWaitRetry().toMillis(), metrics,
        "no caption model '" + config.modelName() + "' yet and the stream's buffer of"
            + " waiting events is full (maxWaitingEvents=" + config.maxWaitingEvents() + ")");
    idleExpiry = new IdleExpiry(config.idleTimeout().toMillis());
    extractor = new LogMelExtractor();
    captioners = new IdentityHashMap<>();
    emitter = new Emitter();
    swapAtEndpoint = new SwapAtEndpoint();
  }

  CaptionMetrics metrics() {
    return metrics;
  }

  // ------------------------------------------------------------------ events

  @Override
  public void processElement(AudioEvent e, ReadOnlyContext ctx, Collector<Caption> out)
      throws Exception {
    long start = System.nanoTime();
    models.load(ctx);
    metrics.events.inc();
    long now = ctx.timerService().currentProcessingTime();
    CaptionState st = streams.value();
    if (st == null) {
      st = new CaptionState();
    }
    st.lastActive = now;
    Emitter emit = emitter.at(ctx, out, now);
    if (st.waiting > 0 && models.latest(config.modelName()) != null) {
      drainWaiting(st, emit);
    }
    if (st.waiting > 0) {
      hold(e, st, emit); // keep the stream's order behind the events already waiting
    } else {
      admit(e, st, emit);
    }
    st.idleTimer = idleExpiry.arm(st.idleTimer, now, ctx.timerService());
    streams.update(st);
    metrics.processingMicros.update((System.nanoTime() - start) / 1000);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Caption> out)
      throws Exception {
    models.load(ctx);
    CaptionState st = streams.value();
    if (st == null) {
      return;
    }
    Emitter emit = emitter.at(ctx, out, timestamp);
    if (st.waiting > 0 && models.latest(config.modelName()) != null) {
      drainWaiting(st, emit);
    } else if (st.waiting > 0) {
      waiting.retryLater(timestamp, ctx.timerService());
    }
    if (idleExpiry.fires(st.idleTimer, timestamp)) {
      st.idleTimer = 0;
      if (st.waiting == 0 && idleExpiry.idleSince(st.lastActive, timestamp)) {
        streams.clear();
        metrics.keysExpired.inc();
        return;
      }
      st.idleTimer = idleExpiry.arm(0, st.lastActive, ctx.timerService());
    }
    streams.update(st);
  }

  private void admit(AudioEvent e, CaptionState st, Emitter emit) throws Exception {
    RnnModel newest = models.latest(config.modelName());
    if (newest == null) {
      hold(e, st, emit);
      return;
    }
    if (e.seq >= 0 && st.lastSeq >= 0) {
      if (e.seq <= st.lastSeq) {
        metrics.duplicates.inc();
        return;
      }
      if (e.seq > st.lastSeq + 1) {
        metrics.gapsSkipped.inc(); // the missing chunks are lost audio
      }
    }
    if (e.seq >= 0) {
      st.lastSeq = e.seq; // also when the event is rejected below: its number is used up
    }
    CaptionStream captioner = captionerFor(st, newest, emit);
    String bad = validate(e, captioner);
    if (bad != null) {
      emit.dead(e, bad);
      return;
    }
    long framesBefore = st.stream.frames();
    Consumer<CaptionUpdate> sink = emit.captions(e, config.modelName(), st);
    swapAtEndpoint.stream = st;
    if (e.pcm != null) {
      captioner = captioner.acceptPcm16Le(st.stream, e.pcm, 0, e.pcm.length, sink, swapAtEndpoint);
    } else if (e.frames != null) {
      captioner = captioner.acceptFrames(st.stream, e.frames, sink, swapAtEndpoint);
    }
    swapAtEndpoint.stream = null;
    if (e.endOfStream) {
      captioner.endOfStream(st.stream, sink);
    }
    metrics.frames.inc(st.stream.frames() - framesBefore);
  }

  /**
   * The captioner of the stream's version, after moving the stream to {@code newest} if it is
   * between utterances (or its version is gone).
   */
  private CaptionStream captionerFor(CaptionState st, RnnModel newest, Emitter emit) {
    long latest = newest.info().version();
    if (st.stream == null) {
      CaptionStream c = captioner(newest);
      st.stream = c.newState();
      st.modelVersion = latest;
      metrics.activeVersion(config.modelName(), latest);
      return c;
    }
    RnnModel current = models.get(config.modelName(), st.modelVersion);
    if (current == null) {
      // Its version was evicted: end the open segment (decoding needs no model), go on with newest.
      CaptionStream c = captioner(newest);
      c.endSegment(st.stream, emit.captions(null, config.modelName(), st));
      st.modelVersion = latest;
      metrics.keysReset.inc();
      metrics.keysMigrated.inc();
      return c;
    }
    if (st.modelVersion != latest && betweenUtterances(st.stream)) {
      CaptionStream c = captioner(newest);
      c.startSegmentOnThisModel(st.stream);
      st.modelVersion = latest;
      metrics.keysMigrated.inc();
      return c;
    }
    CaptionStream c = captioner(current);
    if (c.adopt(st.stream)) {
      metrics.keysReset.inc(); // a restored state that did not fit (should not happen)
    }
    return c;
  }

  /**
   * Moves a stream to the newest version at an endpoint inside an event (the caption stream
   * calls it at each segment boundary); reused, pointed at the event's stream.
   */
  private final class SwapAtEndpoint implements CaptionStream.Handoff {
    CaptionState stream;

    @Override
    public CaptionStream next(CaptionStream.State s, CaptionStream closing) {
      RnnModel newest = models.latest(config.modelName());
      if (newest.info().version() == stream.modelVersion) {
        return closing;
      }
      stream.modelVersion = newest.info().version();
      metrics.keysMigrated.inc();
      metrics.activeVersion(config.modelName(), stream.modelVersion);
      return captioner(newest);
    }
  }

  private static boolean betweenUtterances(CaptionStream.State s) {
    return !s.said() && s.revision() == 0;
  }

  private String validate(AudioEvent e, CaptionStream captioner) {
    if (e.pcm != null && e.frames != null) {
      return "audio event carries both pcm and frames; send one of them";
    }
    if (e.pcm == null && e.frames == null && !e.endOfStream) {
      return "audio event carries no audio (pcm or frames) and does not end the stream";
    }
    if (e.pcm != null) {
      if (e.pcm.length > config.maxChunkBytes()) {
        return "oversize audio chunk: " + e.pcm.length + " bytes > maxChunkBytes="
            + config.maxChunkBytes();
      }
      if (captioner.frameWidth() != extractor.numMelBins()) {
        return "model '" + captioner.model().info().name() + "' reads "
            + captioner.frameWidth() + " features per frame but the PCM front end makes "
            + extractor.numMelBins() + "; send feature frames";
      }
    }
    if (e.frames != null) {
      if (e.frames.length > config.maxFramesPerEvent()) {
        return "oversize event: " + e.frames.length + " frames > maxFramesPerEvent="
            + config.maxFramesPerEvent();
      }
      try {
        captioner.checkFrames(e.frames);
      } catch (IllegalArgumentException bad) {
        return "malformed feature frames: " + bad.getMessage();
      }
    }
    return null;
  }

  /** Buffers an event until the model's first version arrives (bounded). */
  private void hold(AudioEvent e, CaptionState st, Emitter emit) throws Exception {
    if (waiting.add(e, st.waiting, emit.now, emit.ctx.timerService())) {
      st.waiting++;
    } else {
      emit.dead(e, waiting.fullReason());
    }
  }

  /** The model has arrived: the waiting events in arrival order. */
  private void drainWaiting(CaptionState st, Emitter emit) throws Exception {
    var held = waiting.takeAll(st.waiting);
    st.waiting = 0;
    for (AudioEvent e : held) {
      admit(e, st, emit);
    }
  }

  private CaptionStream captioner(RnnModel model) {
    return captioners.computeIfAbsent(model, m -> CaptionStream.create(m, alphabetOf(m),
        config.captionConfig(), extractor));
  }

  private CtcAlphabet alphabetOf(RnnModel m) {
    CtcAlphabet explicit = config.alphabet();
    return explicit != null ? explicit : CaptionStream.alphabetOf(m);
  }

  // ------------------------------------------------------------------ models

  @Override
  public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<Caption> out)
      throws Exception {
    if (update == null || !config.modelName().equals(update.name)) {
      return; // another pipeline's model on the shared snapshot topic
    }
    if (models.offer(update, this::unfitForCaptions, ctx) == ModelRegistry.Status.ACCEPTED) {
      captioners.keySet().removeIf(m -> !models.serves(m));
    }
  }

  /**
   * Why a snapshot that parses cannot serve captions (no labels / blank, wrong head), or null.
   * The registry asks once the snapshot passed its own checks (and its signature, with trusted
   * keys), so untrusted bytes are never parsed here.
   */
  private String unfitForCaptions(RnnModel m) {
    try {
      CaptionStream.check(m, alphabetOf(m));
      return null;
    } catch (IllegalArgumentException e) {
      return "not a caption model: " + e.getMessage();
    }
  }

  // ------------------------------------------------------------------ output

  /** Emits captions and dead letters for one call. */
  private final class Emitter {
    ReadOnlyContext ctx;
    Collector<Caption> out;
    long now;
    private final CaptionSink sink = new CaptionSink();

    Emitter at(ReadOnlyContext ctx, Collector<Caption> out, long now) {
      this.ctx = ctx;
      this.out = out;
      this.now = now;
      return this;
    }

    void dead(AudioEvent e, String reason) {
      deadLetters.event(ctx, ctx.getCurrentKey(), e.source, reason, e);
    }

    /**
     * The sink of one event's captions (event may be null: a caption not caused by audio); each
     * caption names the stream's version when it is emitted (a swap at an endpoint changes it).
     * One reused sink, re-pointed per call: no capturing lambda per event.
     */
    Consumer<CaptionUpdate> captions(AudioEvent e, String name, CaptionState st) {
      sink.key = ctx.getCurrentKey();
      sink.seq = e == null ? -1 : e.seq;
      sink.latencyMs = e != null && e.timestampMs > 0 ? Math.max(0, now - e.timestampMs) : 0;
      sink.name = name;
      sink.stream = st;
      return sink;
    }

    /** Turns a stream's caption updates into {@link Caption} records of the current call. */
    private final class CaptionSink implements Consumer<CaptionUpdate> {
      String key;
      long seq;
      long latencyMs;
      String name;
      CaptionState stream;

      @Override
      public void accept(CaptionUpdate u) {
        Caption c = Caption.of(key, u, name, stream.modelVersion);
        c.seq = seq;
        c.latencyMs = latencyMs;
        if (u.isFinal()) {
          metrics.finals.inc();
        } else {
          metrics.partials.inc();
        }
        out.collect(c);
      }
    }
  }
}
