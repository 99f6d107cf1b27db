package io.rnnstream.cli.demo;

import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.captions.CaptionJob;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.captions.Captioning;
import io.rnnstream.schemas.Caption;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The live-captions demo: the vendored test-voice utterances (voices the caption model never
 * heard in training) spoken on several concurrent audio streams, sent as 16 kHz PCM chunks paced
 * like microphones (one turn per utterance, see {@link AudioFeed}), captioned by the caption job
 * on a local Flink; partial and final captions printed as a read_committed consumer sees them.
 * Part-way, version 2 is published and each stream moves to it at its next turn. Ends with CER
 * per version, real-time factor and latency.
 */
public final class CaptionsDemo {
  /**
   * Demo settings.
   *
   * @param model version 1 (a caption model snapshot)
   * @param utterances manifest of the utterances to speak ({@code data/speech/demo})
   * @param streams concurrent speakers
   * @param perStream utterances each speaker says
   * @param chunkMs audio per AudioChunk record
   * @param speed pace: 1 = real time, 0 = as fast as possible
   * @param drainTimeout how long to wait for the last captions after the audio is sent
   */
  public record Settings(Path model, Path utterances, int streams, int perStream, int chunkMs,
      double speed, Duration drainTimeout) {
    public Settings {
      if (streams < 1 || perStream < 1) {
        throw new IllegalArgumentException("streams and utterances per stream must be >= 1, got "
            + streams + " and " + perStream);
      }
    }

    /** The shipped model and utterances: 4 speakers x 6 utterances, 100 ms chunks, real time. */
    public static Settings defaults(Path model) {
      return new Settings(model, DemoSpeech.defaultManifest(), 4, 6, 100, 1.0,
          Duration.ofSeconds(30));
    }
  }

  private static final String AUDIO = CaptionJob.Topics.defaults().audio();
  private static final String CAPTIONS = CaptionJob.Topics.defaults().captions();
  private static final String WARM_UP = "warm-up";

  private final Settings settings;
  private final PrintStream out;

  public CaptionsDemo(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs the demo; returns the exit code (0: every caption once, none lost, all utterances). */
  public int run() throws Exception {
    long t0 = System.currentTimeMillis();
    RnnModel shipped = SnapshotFormat.read(settings.model());
    RnnModel v1 = shipped.withInfo(shipped.info().withVersion(1));
    List<DemoSpeech.Utterance> utterances = DemoSpeech.load(settings.utterances());
    List<DemoSpeech.Stream> streams = DemoSpeech.layout(utterances, settings.streams(),
        settings.perStream(), DemoSpeech.Timing.DEFAULT);
    AudioFeed feed = new AudioFeed(streams, settings.chunkMs(), settings.speed());
    CaptionTally tally = new CaptionTally(streams, feed);
    out.printf(Locale.ROOT, "rnnstream demo captions: %d speakers x %d utterances (%d recordings"
        + " of espeak-ng test voices the model never heard in training), %d ms PCM chunks at"
        + " %s%n", streams.size(), settings.perStream(), utterances.size(), settings.chunkMs(),
        settings.speed() == 0 ? "full speed" : settings.speed() + "x real time");

    try (LocalKafka kafka = LocalKafka.start(0, null)) {
      String bootstrap = kafka.bootstrapServers();
      out.printf(Locale.ROOT, "  Kafka (embedded KRaft broker) at %s, up in %.1f s%n", bootstrap,
          (System.currentTimeMillis() - t0) / 1000.0);
      DemoKafka.createTopics(bootstrap, Map.of(AUDIO, 2, CAPTIONS, 2));
      try (KafkaProducer<byte[], byte[]> producer = DemoKafka.producer(bootstrap)) {
        DemoKafka.publish(producer, v1);
        out.printf("  published %s v1 to %s%n", v1.info().name(), DemoKafka.SNAPSHOTS);
        StreamExecutionEnvironment env = DemoKafka.localFlink();
        JobClient job = CaptionJob.kafka(new KafkaSettings(bootstrap, new Properties()),
            CaptionJob.Topics.defaults(), DemoKafka.GROUP,
            Captioning.builder().model(v1.info().name()).beam(8).build(),
            DeliveryGuarantee.EXACTLY_ONCE).start(env);
        out.printf("  Flink job %s running (parallelism 2, exactly-once, checkpoints every"
            + " 500 ms, beam search 8)%n", job.getJobID());

        CountDownLatch warm = new CountDownLatch(1);
        read(bootstrap, tally, warm);
        long warmStart = System.currentTimeMillis();
        feed.sendAll(producer, AUDIO, DemoSpeech.stream(WARM_UP, utterances.subList(0, 1), 0,
            DemoSpeech.Timing.DEFAULT));
        if (!warm.await(90, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no caption of the warm-up utterance within 90 s:"
              + " the job did not start (see its log above)");
        }
        out.printf(Locale.ROOT, "  pipeline warm: the warm-up utterance was captioned after"
            + " %.1f s (not counted below)%n%n", (System.currentTimeMillis() - warmStart) / 1000.0);

        long start = System.currentTimeMillis();
        AtomicBoolean published = new AtomicBoolean();
        feed.run(producer, AUDIO, () -> {
          if (!published.get() && tally.captioned() * 2 >= streams.size() * settings.perStream()) {
            publishVersion2(producer, v1);
            published.set(true);
          }
        });
        if (!published.get()) {
          publishVersion2(producer, v1);
        }
        long sentAll = System.currentTimeMillis();
        long deadline = sentAll + settings.drainTimeout().toMillis();
        while (!tally.complete() && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);
        }
        long end = System.currentTimeMillis();
        job.cancel().get();
        CaptionTally.Figures f = tally.figures();
        summary(f, feed, start, sentAll, end, v1.info().metrics().get("test_cer"));
        return f.lost() == 0 && f.twice() == 0 && tally.complete() ? 0 : 1;
      }
    }
  }

  /**
   * Version 2 = version 1's weights under a new version: fine-tuning a caption model needs the
   * synthesized training corpus (not in a fresh clone) and minutes of CPU, and the swap is the
   * point here.
   */
  private void publishVersion2(KafkaProducer<byte[], byte[]> producer, RnnModel v1) {
    ModelInfo i = v1.info();
    RnnModel v2 = v1.withInfo(new ModelInfo(i.name(), 2, Instant.now().toString(),
        "rnnstream demo: version 1's weights re-versioned", i.metrics(), i.vocab(), i.labels()));
    try {
      DemoKafka.publish(producer, v2);
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish version 2: " + e.getMessage(), e);
    }
    out.printf("%n  >>> published %s v2 (the same weights re-versioned: fine-tuning a caption"
        + " model takes minutes and the training corpus); each stream finishes its turn on v1"
        + " and says the next utterance to v2%n%n", v2.info().name());
  }

  /** Prints every committed caption as a downstream consumer sees it. */
  private void read(String bootstrap, CaptionTally tally, CountDownLatch warm) {
    AvroCodec<Caption> codec = new AvroCodec<>(Caption.class);
    DemoKafka.readCommitted(bootstrap, CAPTIONS, value -> {
      Caption c = codec.decode(value);
      if (c.getStream().equals(WARM_UP)) {
        if (c.getFinal$()) {
          warm.countDown();
        }
        return;
      }
      CaptionTally.Seen seen = tally.accept(c, System.currentTimeMillis());
      if (seen != null) {
        printLine(seen);
      }
    }, out);
  }

  private synchronized void printLine(CaptionTally.Seen s) {
    Caption c = s.caption();
    if (s.twice()) {
      out.printf(Locale.ROOT, "  %-6s seg %d rev %d received TWICE%n", c.getStream(),
          c.getSegment(), c.getRevision());
    } else if (c.getFinal$()) {
      out.printf(Locale.ROOT, "  %-6s seg %-2d final  v%d %5d ms  = %-22s %s%n",
          c.getStream(), c.getSegment(), c.getModelVersion(), s.latencyMs(),
          "\"" + c.getStable() + "\"", s.said() == null ? "(in a pause: stray)"
              : "said \"" + s.said().text() + "\"");
    } else {
      out.printf(Locale.ROOT, "  %-6s seg %-2d rev %-2d v%d %5d ms  ~ \"%s[%s]\"%n",
          c.getStream(), c.getSegment(), c.getRevision(), c.getModelVersion(), s.latencyMs(),
          c.getStable(), c.getUnstable());
    }
  }

  private void summary(CaptionTally.Figures f, AudioFeed feed, long start, long sentAll,
      long end, Double testCer) {
    double audioS = feed.audioMs() / 1000.0;
    double wallS = (end - start) / 1000.0;
    out.printf(Locale.ROOT, "%nsummary%n");
    out.printf(Locale.ROOT, "  utterances %d on %d streams, captioned %d; captions %d partial +"
        + " %d final, lost %d, received twice %d%n", f.utterances(), settings.streams(),
        f.captioned(), f.partials(), f.finals(), f.lost(), f.twice());
    f.perVersion().forEach((v, s) -> out.printf(Locale.ROOT,
        "  model v%d: %d utterances, CER %.3f (%d edits / %d characters of the known"
        + " transcripts)%n", v, s.utterances(), s.cer(), s.edits(), s.chars()));
    out.printf(Locale.ROOT, "  stray final captions in pauses: %d (finals matched to no"
        + " utterance)%n", f.strayFinals());
    out.printf(Locale.ROOT, "  all utterances: CER %.3f (v2 = v1's weights: the versions"
        + " captioned different utterances; the model's test CER %s)%n", f.all().cer(),
        testCer == null ? "not recorded" : String.format(Locale.ROOT, "%.3f", testCer));
    out.printf(Locale.ROOT, "  audio %.1f s (%d streams) sent in %.1f s and captioned by %.1f s:"
        + " %.1fx real time, %.0f frames/s (each stream paced at %s)%n", audioS,
        settings.streams(), (sentAll - start) / 1000.0, wallS, audioS / wallS,
        feed.audioMs() / 10 / wallS, settings.speed() == 0 ? "full speed"
            : settings.speed() + "x real time");
    out.printf(Locale.ROOT, "  latency audio sent -> caption visible (read_committed, includes"
        + " the 500 ms checkpoint that commits it): partial p50 %d ms, p99 %d ms; final p50 %d"
        + " ms, p99 %d ms%n", DemoKafka.pct(f.partialLatencies(), 50),
        DemoKafka.pct(f.partialLatencies(), 99), DemoKafka.pct(f.finalLatencies(), 50),
        DemoKafka.pct(f.finalLatencies(), 99));
    out.printf(Locale.ROOT, "  final caption after the utterance's audio was sent (adds the"
        + " 0.6 s endpoint): p50 %d ms, p99 %d ms%n", DemoKafka.pct(f.afterSpeechLatencies(), 50),
        DemoKafka.pct(f.afterSpeechLatencies(), 99));
  }
}
