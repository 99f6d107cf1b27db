package io.rnnstream.jobs.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.cli.kafka.ActiveVersionReporter;
import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.models.encoders.ChatTokenizer;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.schemas.ChatMessage;
import io.rnnstream.schemas.DeadLetter;
import io.rnnstream.schemas.Prediction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sentiment job end to end: a real KRaft broker, a 2-TaskManager MiniCluster, Avro and JSON
 * chat messages in, committed predictions out. A TaskManager is terminated mid-stream: the
 * committed output must still hold every message's prediction exactly once, with the numbers an
 * offline run gives. Along the way a new model version is swapped in at message boundaries, a
 * corrupted snapshot is rejected to the dead-letter topic, and malformed records are dead letters.
 * The second half of the messages is sent once both inference subtasks serve version 2 (its
 * {@code activeVersion} gauge), so every conversation ends on it whatever the machine's speed.
 * Run with the plain operator and with the micro-batching one ({@code run sentiment
 * --micro-batch}), whose outputs must be the same.
 */
class SentimentJobITCase {
  static final List<String> VOCAB = List.of("<unk>", "good", "bad", "great", "awful", "phone",
      "movie", "not", "love", "hate", "the", "is", "!");
  static final int CONVERSATIONS = 8;
  static final int PER_CONVERSATION = 30;

  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setNumberTaskManagers(2)
          .setNumberSlotsPerTaskManager(1)
          .setConfiguration(clusterConfig())
          .build());

  static LocalKafka kafka;

  static Configuration clusterConfig() {
    Configuration c = new Configuration();
    c.set(JobManagerOptions.SLOT_REQUEST_TIMEOUT, Duration.ofSeconds(5));
    return ActiveVersionReporter.addTo(c);
  }

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = LocalKafka.start(0, null);
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  static RnnModel model(long version, long seed) {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 8, 12).vocabSize(VOCAB.size())
        .pooling(Pooling.MEAN).head(2, Activation.SOFTMAX).build();
    return RnnModel.create(spec, Initializers.uniform(spec, seed, 1.5),
        new ModelInfo("sentiment", version, "2026-11-29T00:00:00Z", "test", null, VOCAB,
            List.of("negative", "positive")), "test");
  }

  static String text(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    int n = 2 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ").append(r.nextInt(5) == 0 ? "zebra"
          : VOCAB.get(1 + r.nextInt(VOCAB.size() - 1)));
    }
    return b.toString();
  }

  /** {@code microBatch}: bundle size of the micro-batching operator, 0 for the plain one. */
  @ParameterizedTest(name = "microBatch={0}")
  @ValueSource(ints = {0, 8})
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void shouldScoreEveryMessageExactlyOnceThroughAFailureAndASwap(
      int microBatch, @InjectMiniCluster MiniCluster mini) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String suffix = "-" + microBatch; // each run its own topics on the shared broker
    SentimentJob.Topics topics = new SentimentJob.Topics("chat-messages" + suffix,
        "model-snapshots" + suffix, "sentiment-predictions" + suffix, "dead-letters" + suffix);
    KafkaTestSupport.createTopics(bootstrap, Map.of(topics.messages(), 2, topics.snapshots(), 1,
        topics.predictions(), 2, topics.deadLetters(), 1), topics.snapshots());
    RnnModel v1 = model(1, 1);
    RnnModel v2 = model(2, 2);
    AvroCodec<ChatMessage> chat = new AvroCodec<>(ChatMessage.class);

    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    JobClient job = SentimentJob.kafka(new KafkaSettings(bootstrap, new Properties()),
        topics, "itcase" + suffix, "sentiment", DeliveryGuarantee.EXACTLY_ONCE,
        microBatch > 0
            ? new SentimentPipeline.MicroBatch(microBatch, Duration.ofMillis(20))
            : SentimentPipeline.MicroBatch.OFF)
        .start(env);

    SplittableRandom r = new SplittableRandom(42);
    Map<String, List<String>> texts = new HashMap<>();
    Map<String, Long> swappedAt = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(bootstrap)) {
      KafkaTestSupport.send(producer, topics.snapshots(), "sentiment",
          KafkaTestSupport.snapshotRecord(v1));
      for (int i = 0; i < PER_CONVERSATION; i++) {
        if (i == PER_CONVERSATION / 3) {
          mini.terminateTaskManager(0).get(); // a TaskManager dies mid-stream
          mini.startTaskManager();
        }
        if (i == PER_CONVERSATION / 2) {
          byte[] corrupted = SnapshotFormat.toBytes(model(3, 3));
          corrupted[corrupted.length / 2] ^= 1;
          KafkaTestSupport.send(producer, topics.snapshots(), "sentiment",
              KafkaTestSupport.snapshotRecord("sentiment", 3, corrupted));
          KafkaTestSupport.send(producer, topics.snapshots(), "sentiment",
              KafkaTestSupport.snapshotRecord(v2));
          // The snapshot topic and the message topic are separate sources: without this wait,
          // a job still recovering from the lost TaskManager could read all the remaining
          // messages before v2 and end every conversation on v1.
          ActiveVersionReporter.awaitVersion(job.getJobID(), "sentiment", 2, 2,
              Duration.ofSeconds(120));
        }
        for (int c = 0; c < CONVERSATIONS; c++) {
          String key = "conversation-" + c;
          String t = text(r);
          texts.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
          byte[] value = c % 2 == 0
              ? chat.encode(ChatMessage.newBuilder().setConversationId(key).setSeq(i).setText(t)
                  .setTimestampMs(System.currentTimeMillis()).build())
              : ("{\"conversationId\":\"" + key + "\",\"seq\":" + i + ",\"text\":\"" + t + "\"}")
                  .getBytes();
          KafkaTestSupport.send(producer, topics.messages(), key, value);
        }
        if (i == 5) {
          KafkaTestSupport.send(producer, topics.messages(), "conversation-0",
              new byte[] {1, 2, 3, (byte) 0xff});
          KafkaTestSupport.send(producer, topics.messages(), "conversation-1",
              "{\"conversationId\":\"conversation-1\",\"text\":\"no seq\"}".getBytes());
        }
        Thread.sleep(60);
      }
    }

    int expected = CONVERSATIONS * PER_CONVERSATION * 2; // SEGMENT + ROLLING per message
    List<ConsumerRecord<byte[], byte[]>> records = KafkaTestSupport.readCommitted(bootstrap,
        topics.predictions(), got -> got.size() >= expected, Duration.ofSeconds(90));
    List<ConsumerRecord<byte[], byte[]>> dead = KafkaTestSupport.readCommitted(bootstrap,
        topics.deadLetters(), got -> got.size() >= 3, Duration.ofSeconds(30));
    job.cancel().get();

    AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.class);
    Map<String, Prediction> byId = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> rec : records) {
      Prediction p = codec.decode(rec.value());
      String id = p.getKey() + "/" + p.getSeq() + "/" + p.getKind();
      assertThat(byId.put(id, p)).as("duplicate output %s", id).isNull();
    }
    assertThat(byId).hasSize(expected);

    // Every committed prediction equals an offline run of the version that produced it; at
    // message boundaries the version only moves forward.
    ChatTokenizer tokenizer = new ChatTokenizer();
    for (int c = 0; c < CONVERSATIONS; c++) {
      String key = "conversation-" + c;
      List<Integer> history = new ArrayList<>();
      long lastVersion = 1;
      for (int i = 0; i < PER_CONVERSATION; i++) {
        int[] ids = tokenizer.tokenize(texts.get(key).get(i)).stream()
            .mapToInt(w -> Math.max(0, VOCAB.indexOf(w))).toArray();
        for (int id : ids) {
          history.add(id);
        }
        Prediction segment = byId.get(key + "/" + i + "/segment");
        Prediction rolling = byId.get(key + "/" + i + "/rolling");
        assertThat(segment.getModelVersion()).isGreaterThanOrEqualTo(lastVersion);
        lastVersion = segment.getModelVersion();
        RnnModel m = lastVersion == 1 ? v1 : v2;
        float[][] seg = m.forwardTokens(ids);
        assertClose(segment.getProbabilities(), seg[seg.length - 1]);
        if (lastVersion == 1) { // rolling state carries across the swap: check before it only
          float[][] all = m.forwardTokens(history.stream().mapToInt(Integer::intValue).toArray());
          assertClose(rolling.getProbabilities(), all[all.length - 1]);
        }
        swappedAt.putIfAbsent(key, lastVersion == 2 ? (long) i : null);
      }
      assertThat(lastVersion).as("%s ends on v2", key).isEqualTo(2);
    }

    AvroCodec<DeadLetter> deadCodec = new AvroCodec<>(DeadLetter.class);
    List<String> reasons = dead.stream().map(d -> {
      try {
        return deadCodec.decode(d.value()).getReason();
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }).toList();
    assertThat(reasons).anySatisfy(x -> assertThat(x).contains("checksum mismatch"));
    assertThat(reasons).anySatisfy(x -> assertThat(x).contains("malformed chat message"));
    assertThat(reasons).anySatisfy(x -> assertThat(x).contains("lacks \"seq\""));
  }

  static void assertClose(List<Float> actual, float[] expected) {
    assertThat(actual).hasSize(expected.length);
    for (int j = 0; j < expected.length; j++) {
      assertThat(actual.get(j)).isCloseTo(expected[j],
          org.assertj.core.api.Assertions.within(1e-6f));
    }
  }
}
