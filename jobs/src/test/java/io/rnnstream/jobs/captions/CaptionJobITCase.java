package io.rnnstream.jobs.captions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.EmbeddedKafka;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.kafka.KafkaTestSupport;
import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.WavReader;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.captions.Captioning;
import io.rnnstream.schemas.AudioChunk;
import io.rnnstream.schemas.Caption;
import io.rnnstream.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * exactly, once each, those of the shared streaming path run offline over the same audio.
 */
class CaptionJobITCase {
  static final List<String> WAVS = List.of("four_two_seven.wav", "stop.wav", "open_the_door.wav");

  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setNumberTaskManagers(1)
          .setNumberSlotsPerTaskManager(2)
          .build());

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  static String key(String stream, long segment, int revision) {
    return stream + "/" + segment + "/" + revision;
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
      byte[] bytes = Files.readAllBytes(ToyCaptionModel.WAVS.resolve(wav));
      short[] pcm = WavReader.parse(bytes);
      byte[] le = new byte[pcm.length * 2];
      ByteBuffer.wrap(le).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(pcm);
      audio.put(stream, le);
      CaptionStream offline = CaptionStream.create(model, CaptionStream.alphabetOf(model),
          captioning.captionConfig(), new LogMelExtractor());
      CaptionStream.State s = offline.newState();
      List<CaptionUpdate> out = new ArrayList<>();
      offline.acceptPcm16Le(s, le, 0, le.length, out::add);
      offline.endOfStream(s, out::add);
      out.forEach(u -> expected.put(key(stream, u.segment(), u.revision()), u));
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
}
