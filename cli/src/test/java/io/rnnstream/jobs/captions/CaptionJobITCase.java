package io.rnnstream.jobs.captions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.WavReader;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.operators.captions.Captioning;
import io.rnnstream.schemas.AudioChunk;
import io.rnnstream.schemas.Caption;
import io.rnnstream.schemas.DeadLetter;
import io.rnnstream.schemas.FeatureFrames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The caption job end to end on a real KRaft broker and a MiniCluster (parallelism 2): the three
 * committed espeak-ng WAVs stream as 100 ms PCM chunks (interleaved, one stream per WAV), a
 * malformed record goes to the dead letters, and the committed captions (read_committed) are
 * exactly, once each, those of the shared streaming path run offline over the same audio. The
 * optional feature-frames input (with the shipped caption model): each WAV sent both as PCM and as
 * {@code FeatureFrames} made by {@code LogMelExtractor} gets the same captions both ways.
 */
class CaptionJobITCase {
  static final List<String> WAVS = List.of("four_two_seven.wav", "stop.wav", "open_the_door.wav");
  static final Path SHIPPED_MODEL = Path.of("../models/pretrained/captions.rnn");
  static final int FRAMES_PER_RECORD = 10;
  static final int PCM_BYTES_PER_CHUNK = 3200; // 100 ms of 16 kHz PCM16

  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setNumberTaskManagers(1)
          .setNumberSlotsPerTaskManager(2)
          .build());

  static LocalKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = LocalKafka.start(0, null);
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  static String key(String stream, long segment, int revision) {
    return stream + "/" + segment + "/" + revision;
  }

  static byte[] pcm16Le(short[] samples) {
    byte[] le = new byte[samples.length * 2];
    ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(samples);
    return le;
  }

  /** The captions of the shared streaming path run offline over one whole stream of PCM. */
  static List<CaptionUpdate> offline(RnnModel model, Captioning captioning, byte[] pcm16Le) {
    CaptionStream offline = CaptionStream.create(model, CaptionStream.alphabetOf(model),
        captioning.captionConfig(), new LogMelExtractor());
    CaptionStream.State s = offline.newState();
    List<CaptionUpdate> out = new ArrayList<>();
    offline.acceptPcm16Le(s, pcm16Le, 0, pcm16Le.length, out::add);
    offline.endOfStream(s, out::add);
    return out;
  }

  /** A caption's content, "segment/revision [final] "stable|unstable" start-end [words]". */
  static String content(long segment, int revision, String stable, String unstable,
      boolean isFinal, long startMs, long endMs, List<String> words) {
    return segment + "/" + revision + (isFinal ? " final " : " ") + "\"" + stable + "|"
        + unstable + "\" " + startMs + "-" + endMs + " " + words;
  }

  static String content(CaptionUpdate u) {
    return content(u.segment(), u.revision(), u.stable(), u.unstable(), u.isFinal(), u.startMs(),
        u.endMs(), u.words().stream().map(w -> w.text() + "@" + w.startMs() + "-" + w.endMs())
            .toList());
  }

  static String content(Caption c) {
    return content(c.getSegment(), c.getRevision(), c.getStable(), c.getUnstable(),
        c.getFinal$(), c.getStartMs(), c.getEndMs(), c.getWords().stream()
            .map(w -> w.getText() + "@" + w.getStartMs() + "-" + w.getEndMs()).toList());
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void shouldCaptionPcmChunksExactlyOnce() throws Exception {
    String bootstrap = kafka.bootstrapServers();
    KafkaTestSupport.createTopics(bootstrap, Map.of("audio-chunks", 2, "model-snapshots", 1,
        "captions", 2, "dead-letters", 1), "model-snapshots");
    RnnModel model = ToyCaptionModel.create("captions", 1, 3);
    Captioning captioning = Captioning.builder().model("captions").beam(8).build();

    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    JobClient job = CaptionJob.kafka(new KafkaSettings(bootstrap, new Properties()),
        CaptionJob.Topics.defaults(), "captions-itcase", captioning,
        DeliveryGuarantee.EXACTLY_ONCE).start(env);

    // Expected: the shared path run offline over each WAV.
    Map<String, byte[]> audio = new LinkedHashMap<>();
    Map<String, CaptionUpdate> expected = new HashMap<>();
    for (String wav : WAVS) {
      String stream = wav.replace(".wav", "");
      byte[] le = pcm16Le(WavReader.read(ToyCaptionModel.WAVS.resolve(wav)));
      audio.put(stream, le);
      offline(model, captioning, le)
          .forEach(u -> expected.put(key(stream, u.segment(), u.revision()), u));
    }
    assertThat(expected.values().stream().filter(CaptionUpdate::isFinal).count())
        .as("every WAV ends in at least one final caption").isGreaterThanOrEqualTo(WAVS.size());

    AvroCodec<AudioChunk> chunks = new AvroCodec<>(AudioChunk.class);
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(bootstrap)) {
      KafkaTestSupport.send(producer, "model-snapshots", "captions",
          KafkaTestSupport.snapshotRecord(model));
      int longest = audio.values().stream().mapToInt(b -> b.length).max().orElse(0);
      for (int at = 0, seq = 0; at < longest; at += 3200, seq++) {
        for (Map.Entry<String, byte[]> e : audio.entrySet()) {
          byte[] all = e.getValue();
          if (at >= all.length) {
            continue;
          }
          int end = Math.min(all.length, at + 3200);
          AudioChunk c = AudioChunk.newBuilder().setStream(e.getKey()).setSeq(seq)
              .setPcm(ByteBuffer.wrap(Arrays.copyOfRange(all, at, end)))
              .setEndOfStream(end == all.length).setTimestampMs(System.currentTimeMillis())
              .build();
          KafkaTestSupport.send(producer, "audio-chunks", e.getKey(), chunks.encode(c));
        }
        if (seq == 3) {
          KafkaTestSupport.send(producer, "audio-chunks", "stop", new byte[] {7, 7, 7});
        }
      }
    }

    List<ConsumerRecord<byte[], byte[]>> records = KafkaTestSupport.readCommitted(bootstrap,
        "captions", got -> got.size() >= expected.size(), Duration.ofSeconds(90));
    List<ConsumerRecord<byte[], byte[]>> dead = KafkaTestSupport.readCommitted(bootstrap,
        "dead-letters", got -> !got.isEmpty(), Duration.ofSeconds(30));
    job.cancel().get();

    AvroCodec<Caption> codec = new AvroCodec<>(Caption.class);
    Map<String, Caption> got = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Caption c = codec.decode(r.value());
      String k = key(c.getStream(), c.getSegment(), c.getRevision());
      assertThat(got.put(k, c)).as("duplicate caption %s", k).isNull();
      assertThat(new String(r.key())).isEqualTo(c.getStream());
    }
    assertThat(got.keySet()).isEqualTo(expected.keySet());
    expected.forEach((k, u) -> {
      Caption c = got.get(k);
      assertThat(c.getStable()).as(k).isEqualTo(u.stable());
      assertThat(c.getUnstable()).as(k).isEqualTo(u.unstable());
      assertThat(c.getFinal$()).as(k).isEqualTo(u.isFinal());
      assertThat(c.getStartMs()).as(k).isEqualTo(u.startMs());
      assertThat(c.getEndMs()).as(k).isEqualTo(u.endMs());
      assertThat(c.getModelName()).isEqualTo("captions");
      assertThat(c.getModelVersion()).isEqualTo(1);
      assertThat(c.getWords()).extracting(w -> w.getText() + "@" + w.getStartMs() + "-"
          + w.getEndMs()).containsExactlyElementsOf(u.words().stream()
          .map(w -> w.text() + "@" + w.startMs() + "-" + w.endMs()).toList());
    });

    AvroCodec<DeadLetter> deadCodec = new AvroCodec<>(DeadLetter.class);
    assertThat(deadCodec.decode(dead.get(0).value()).getReason())
        .contains("malformed audio chunk");
  }

  /**
   * Each WAV twice: as 100 ms PCM chunks on the audio topic (stream {@code pcm-<wav>}) and as
   * 10-frame {@code FeatureFrames} records made by {@code LogMelExtractor} on the frames topic
   * (stream {@code frames-<wav>}). Both streams get exactly the captions of the shared path run
   * offline over the PCM, once each; an undecodable frames record and frames of the wrong width
   * become dead letters.
   */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void shouldCaptionFeatureFramesLikeTheSameAudio() throws Exception {
    String bootstrap = kafka.bootstrapServers();
    CaptionJob.Topics topics = new CaptionJob.Topics("frames-test-audio", "frames-test-models",
        "frames-test-captions", "frames-test-dead-letters", "frames-test-frames");
    KafkaTestSupport.createTopics(bootstrap, Map.of(topics.audio(), 2, topics.frames(), 2,
        topics.snapshots(), 1, topics.captions(), 2, topics.deadLetters(), 1), topics.snapshots());
    RnnModel model = SnapshotFormat.read(SHIPPED_MODEL);
    Captioning captioning = Captioning.builder().model(model.info().name()).beam(8).build();

    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    JobClient job = CaptionJob.kafka(new KafkaSettings(bootstrap, new Properties()), topics,
        "frames-itcase", captioning, DeliveryGuarantee.EXACTLY_ONCE).start(env);

    // Expected, per WAV: the shared path run offline over its PCM.
    Map<String, List<String>> expected = new TreeMap<>();
    Map<String, byte[]> pcm = new TreeMap<>();
    Map<String, float[][]> frames = new TreeMap<>();
    LogMelExtractor extractor = new LogMelExtractor();
    for (String wav : WAVS) {
      String name = wav.replace(".wav", "");
      short[] samples = WavReader.read(ToyCaptionModel.WAVS.resolve(wav));
      pcm.put(name, pcm16Le(samples));
      frames.put(name, extractor.extract(samples)); // (frames, 40) log-mel, 10 ms hop
      expected.put(name, offline(model, captioning, pcm.get(name)).stream()
          .map(CaptionJobITCase::content).toList());
    }
    int total = expected.values().stream().mapToInt(List::size).sum();
    assertThat(expected.values()).allSatisfy(c -> assertThat(c).anyMatch(s -> s.contains("final")));

    AvroCodec<AudioChunk> chunkCodec = new AvroCodec<>(AudioChunk.class);
    AvroCodec<FeatureFrames> framesCodec = new AvroCodec<>(FeatureFrames.class);
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(bootstrap)) {
      KafkaTestSupport.send(producer, topics.snapshots(), model.info().name(),
          KafkaTestSupport.snapshotRecord(model));
      for (String name : pcm.keySet()) {
        byte[] all = pcm.get(name);
        for (int at = 0, seq = 0; at < all.length; at += PCM_BYTES_PER_CHUNK, seq++) {
          int end = Math.min(all.length, at + PCM_BYTES_PER_CHUNK);
          KafkaTestSupport.send(producer, topics.audio(), "pcm-" + name, chunkCodec.encode(
              AudioChunk.newBuilder().setStream("pcm-" + name).setSeq(seq)
                  .setPcm(ByteBuffer.wrap(Arrays.copyOfRange(all, at, end)))
                  .setEndOfStream(end == all.length).build()));
        }
        float[][] f = frames.get(name);
        for (int at = 0, seq = 0; at < f.length; at += FRAMES_PER_RECORD, seq++) {
          int end = Math.min(f.length, at + FRAMES_PER_RECORD);
          KafkaTestSupport.send(producer, topics.frames(), "frames-" + name, framesCodec.encode(
              framesRecord("frames-" + name, seq, Arrays.copyOfRange(f, at, end),
                  end == f.length)));
        }
      }
      KafkaTestSupport.send(producer, topics.frames(), "garbage", new byte[] {1, 2, 3});
      KafkaTestSupport.send(producer, topics.frames(), "narrow", framesCodec.encode(
          framesRecord("narrow", 0, new float[][] {{0f, 1f, 2f}}, true)));
    }

    List<ConsumerRecord<byte[], byte[]>> records = KafkaTestSupport.readCommitted(bootstrap,
        topics.captions(), got -> got.size() >= 2 * total, Duration.ofSeconds(90));
    List<ConsumerRecord<byte[], byte[]>> dead = KafkaTestSupport.readCommitted(bootstrap,
        topics.deadLetters(), got -> got.size() >= 2, Duration.ofSeconds(30));
    job.cancel().get();

    AvroCodec<Caption> codec = new AvroCodec<>(Caption.class);
    Map<String, List<String>> got = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Caption c = codec.decode(r.value());
      got.computeIfAbsent(c.getStream(), k -> new ArrayList<>()).add(content(c));
    }
    expected.forEach((name, captions) -> {
      assertThat(got.get("pcm-" + name)).as("audio path, " + name)
          .containsExactlyElementsOf(captions);
      assertThat(got.get("frames-" + name)).as("frames path, " + name)
          .containsExactlyElementsOf(captions);
    });
    assertThat(got).hasSize(2 * expected.size());

    AvroCodec<DeadLetter> deadCodec = new AvroCodec<>(DeadLetter.class);
    Map<String, DeadLetter> byKey = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      DeadLetter d = deadCodec.decode(r.value());
      byKey.put(d.getKey(), d);
    }
    assertThat(byKey).containsOnlyKeys("garbage", "narrow");
    DeadLetter garbage = byKey.get("garbage"); // the decoder's: not a FeatureFrames record
    assertThat(garbage.getReason()).contains("malformed feature frames: ");
    assertThat(garbage.getSourceTopic()).isEqualTo(topics.frames());
    byte[] payload = new byte[garbage.getPayload().remaining()];
    garbage.getPayload().duplicate().get(payload);
    assertThat(payload).containsExactly(1, 2, 3);
    assertThat(byKey.get("narrow").getReason()) // the operator's: checked against the model
        .contains("malformed feature frames: frame 0 has 3 values, the model expects 40");
  }

  static FeatureFrames framesRecord(String key, long seq, float[][] frames, boolean end) {
    List<List<Float>> rows = new ArrayList<>(frames.length);
    for (float[] f : frames) {
      List<Float> row = new ArrayList<>(f.length);
      for (float v : f) {
        row.add(v);
      }
      rows.add(row);
    }
    return FeatureFrames.newBuilder().setKey(key).setSeq(seq).setFrames(rows)
        .setEndOfStream(end).build();
  }
}
