package io.rnnstream.operators.captions;

import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.TrustedKeys;
import io.rnnstream.operators.serving.InputOrder;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Live captions on a Flink stream: audio chunks (PCM16 or feature frames) keyed by stream id in,
 * partial and final captions out; the caption model arrives on a broadcast stream of snapshots
 * and is swapped between utterances while the job runs.
 *
 * <pre>{@code
 * Captioning.Result r = Captioning.builder()
 *     .model("captions")               // the model name served (others on the topic are ignored)
 *     .beam(8)                          // or .greedy()
 *     .endpointBlankFrames(60)          // final caption after 0.6 s of blank once something was said
 *     .maxSegmentFrames(3000)           // or after 30 s
 *     .build()
 *     .apply(audioEvents, snapshots);   // DataStream<AudioEvent>, DataStream<ModelUpdate>
 * r.captions();      // Caption: stream, segment, revision, stable, unstable, isFinal, words, ...
 * r.deadLetters();   // malformed audio, rejected snapshots
 * }</pre>
 *
 * The per-frame path is {@link io.rnnstream.models.captions.CaptionStream}, the same code the
 * {@code rnnstream transcribe} CLI runs. Immutable and serializable.
 */
public final class Captioning implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String modelName;
  private final CaptionConfig captionConfig;
  private final String labels;
  private final int blank;
  private final int maxChunkBytes;
  private final int maxFramesPerEvent;
  private final int maxWaitingEvents;
  private final Duration modelWaitRetry;
  private final int retainedVersions;
  private final Duration idleTimeout;
  private final TrustedKeys trustedKeys;

  private Captioning(Builder b) {
    this.modelName = b.modelName;
    this.captionConfig = b.config.build();
    this.labels = b.labels;
    this.blank = b.blank;
    this.maxChunkBytes = b.maxChunkBytes;
    this.maxFramesPerEvent = b.maxFramesPerEvent;
    this.maxWaitingEvents = b.maxWaitingEvents;
    this.modelWaitRetry = b.modelWaitRetry;
    this.retainedVersions = b.retainedVersions;
    this.idleTimeout = b.idleTimeout;
    this.trustedKeys = b.trustedKeys;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Captions and dead letters of one pipeline. */
  public record Result(
      SingleOutputStreamOperator<Caption> captions, DataStream<DeadLetter> deadLetters) {}

  /**
   * Wires the operator: events without a stream id go to the dead letters, the rest are keyed by
   * stream and connected with the broadcast snapshots.
   */
  public Result apply(DataStream<AudioEvent> audio, DataStream<ModelUpdate> snapshots) {
    OutputTag<DeadLetter> keyless =
        new OutputTag<>("rnnstream-captions-keyless", TypeInformation.of(DeadLetter.class));
    SingleOutputStreamOperator<AudioEvent> keyed = audio
        .process(new RequireStream(keyless), TypeInformation.of(AudioEvent.class))
        .name("rnnstream-captions-admit").uid("rnnstream-captions-admit");
    InputOrder.keep(audio, keyed);
    SingleOutputStreamOperator<Caption> captions = keyed
        .keyBy(e -> e.stream, Types.STRING)
        .connect(snapshots.broadcast(CaptionFunction.MODELS))
        .process(new CaptionFunction(this), TypeInformation.of(Caption.class))
        .name("rnnstream-captions").uid("rnnstream-captions");
    DataStream<DeadLetter> dead = captions.getSideOutput(CaptionFunction.DEAD_LETTERS)
        .union(keyed.getSideOutput(keyless));
    return new Result(captions, dead);
  }

  public String modelName() {
    return modelName;
  }

  public CaptionConfig captionConfig() {
    return captionConfig;
  }

  /** The explicit alphabet, or null to read it from each model's labels. */
  public CtcAlphabet alphabet() {
    return labels == null ? null : CtcAlphabet.of(labels, blank);
  }

  public int maxChunkBytes() {
    return maxChunkBytes;
  }

  public int maxFramesPerEvent() {
    return maxFramesPerEvent;
  }

  public int maxWaitingEvents() {
    return maxWaitingEvents;
  }

  public Duration modelWaitRetry() {
    return modelWaitRetry;
  }

  public int retainedVersions() {
    return retainedVersions;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** The keys a snapshot must be signed by to be served; {@link TrustedKeys#NONE}: any. */
  public TrustedKeys trustedKeys() {
    return trustedKeys;
  }

  @Override
  public String toString() {
    return "Captioning{model=" + modelName + ", " + captionConfig + ", labels="
        + (labels == null ? "from model" : "\"" + labels + "\" blank " + blank)
        + ", maxChunkBytes=" + maxChunkBytes + ", maxFramesPerEvent=" + maxFramesPerEvent
        + ", maxWaitingEvents=" + maxWaitingEvents + ", retainedVersions=" + retainedVersions
        + ", idleTimeout=" + idleTimeout
        + (trustedKeys.isEmpty() ? "" : ", trustedKeys=" + trustedKeys.keyIds().size()) + "}";
  }

  /** Events without a stream id cannot be keyed: dead letters instead of a failed job. */
  private static final class RequireStream extends ProcessFunction<AudioEvent, AudioEvent> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<DeadLetter> keyless;

    RequireStream(OutputTag<DeadLetter> keyless) {
      this.keyless = keyless;
    }

    @Override
    public void processElement(AudioEvent e, Context ctx, Collector<AudioEvent> out) {
      if (e == null || e.stream == null) {
        ctx.output(keyless, DeadLetter.of("event", null, e == null ? null : e.source,
            "audio event has no stream id", String.valueOf(e)));
        return;
      }
      out.collect(e);
    }
  }

  /** Builder with safe defaults; checks name the field. */
  public static final class Builder {
    private String modelName = "captions";
    private final CaptionConfig.Builder config = CaptionConfig.builder();
    private String labels;
    private int blank;
    private int maxChunkBytes = 320_000;
    private int maxFramesPerEvent = 1000;
    private int maxWaitingEvents = 1000;
    private Duration modelWaitRetry = Duration.ofMillis(200);
    private int retainedVersions = 3;
    private Duration idleTimeout = Duration.ZERO;
    private TrustedKeys trustedKeys = TrustedKeys.NONE;

    private Builder() {}

    /** The model name served (default "captions"); snapshots of other names are ignored. */
    public Builder model(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("model must be a non-empty name");
      }
      modelName = name;
      return this;
    }

    /** All decoder and endpointing settings at once (replaces the ones set so far). */
    public Builder captionConfig(CaptionConfig c) {
      config.decoder(c.decoder()).beamWidth(c.beamWidth()).pruneBelow(c.pruneBelow())
          .commitAfterFrames(c.commitAfterFrames()).endpointBlankFrames(c.endpointBlankFrames())
          .maxSegmentFrames(c.maxSegmentFrames()).partialIntervalFrames(c.partialIntervalFrames())
          .partials(c.partials());
      return this;
    }

    /** Greedy (best-path) decoding: every caption is all stable. */
    public Builder greedy() {
      config.decoder(CaptionConfig.Decoder.GREEDY);
      return this;
    }

    /** Prefix beam search of this width (the default, width 8). */
    public Builder beam(int width) {
      config.beam(width);
      return this;
    }

    /** See {@link CaptionConfig.Builder#pruneBelow}. */
    public Builder pruneBelow(double logp) {
      config.pruneBelow(logp);
      return this;
    }

    /** See {@link CaptionConfig.Builder#commitAfterFrames} (default 100 = 1 s). */
    public Builder commitAfterFrames(int frames) {
      config.commitAfterFrames(frames);
      return this;
    }

    /** See {@link CaptionConfig.Builder#endpointBlankFrames} (default 60 = 0.6 s). */
    public Builder endpointBlankFrames(int frames) {
      config.endpointBlankFrames(frames);
      return this;
    }

    /** See {@link CaptionConfig.Builder#maxSegmentFrames} (default 3000 = 30 s). */
    public Builder maxSegmentFrames(int frames) {
      config.maxSegmentFrames(frames);
      return this;
    }

    /** See {@link CaptionConfig.Builder#partialIntervalFrames} (default 10 = 100 ms). */
    public Builder partialIntervalFrames(int frames) {
      config.partialIntervalFrames(frames);
      return this;
    }

    /** Whether partial captions are emitted (default true); final captions always are. */
    public Builder partials(boolean v) {
      config.partials(v);
      return this;
    }

    /**
     * The CTC classes explicitly (see {@code CtcAlphabet.of}), instead of each model's labels.
     */
    public Builder alphabet(String labels, int blank) {
      CtcAlphabet.of(labels, blank); // checks
      this.labels = labels;
      this.blank = blank;
      return this;
    }

    /** Largest PCM chunk (default 320 000 bytes = 10 s); larger ones are dead letters. */
    public Builder maxChunkBytes(int v) {
      if (v < 2) {
        throw new IllegalArgumentException("maxChunkBytes must be >= 2, got " + v);
      }
      maxChunkBytes = v;
      return this;
    }

    /** Largest number of feature frames in one event (default 1000); more are dead letters. */
    public Builder maxFramesPerEvent(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxFramesPerEvent must be >= 1, got " + v);
      }
      maxFramesPerEvent = v;
      return this;
    }

    /** Events per stream held while no model has arrived yet (default 1000). */
    public Builder maxWaitingEvents(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("maxWaitingEvents must be >= 0, got " + v);
      }
      maxWaitingEvents = v;
      return this;
    }

    /** How often waiting streams look for their model (default 200 ms). */
    public Builder modelWaitRetry(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("modelWaitRetry must be positive, got " + v);
      }
      modelWaitRetry = v;
      return this;
    }

    /** Versions kept per model (default 3, at least 2). */
    public Builder retainedVersions(int v) {
      if (v < 2) {
        throw new IllegalArgumentException("retainedVersions must be >= 2, got " + v);
      }
      retainedVersions = v;
      return this;
    }

    /** Streams without events for this long lose their state (default: never). */
    public Builder idleTimeout(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must be >= 0, got " + v);
      }
      idleTimeout = v;
      return this;
    }

    /**
     * Serve only caption models signed by one of these keys (default: none, any valid snapshot
     * is served); see {@code RnnInference.Builder#trustedKeys}.
     */
    public Builder trustedKeys(TrustedKeys keys) {
      trustedKeys = keys == null ? TrustedKeys.NONE : keys;
      return this;
    }

    /** {@link #trustedKeys(TrustedKeys)} of public keys as PEM text ({@code BEGIN PUBLIC KEY}). */
    public Builder trustedKeys(String... pems) {
      return trustedKeys(TrustedKeys.pem(pems));
    }

    /** {@link #trustedKeys(TrustedKeys)} of EC public keys (P-256, P-384, P-521). */
    public Builder trustedKeys(java.security.PublicKey... keys) {
      return trustedKeys(TrustedKeys.of(keys));
    }

    public Captioning build() {
      return new Captioning(this);
    }
  }
}
