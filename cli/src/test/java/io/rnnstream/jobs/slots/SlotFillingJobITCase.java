package io.rnnstream.jobs.slots;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.cli.kafka.KafkaTestSupport;
import io.rnnstream.cli.kafka.LocalKafka;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.text.SlotTagger;
import io.rnnstream.models.text.TaggedSentence;
import io.rnnstream.schemas.SlotResult;
import io.rnnstream.training.data.SlotFillingGenerator;
import io.rnnstream.training.data.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The slot-filling job end to end on a real broker and a local Flink: utterances in (JSON), one
 * committed SlotResult per utterance out, whose tags equal an offline run of the same model.
 */
class SlotFillingJobITCase {
  @Test
  // Bounds a hang only: it starts its own broker and local Flink, and as the first class of a
  // cold test JVM on a loaded 2-core machine it took 80 s of the 120 it had.
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void shouldTagEveryUtteranceOnceLikeTheOfflineModel() throws Exception {
    List<TaggedSentence> sentences = SlotFillingGenerator.generate(Split.TEST, 40, 5);
    LinkedHashSet<String> words = new LinkedHashSet<>(List.of("<unk>"));
    sentences.subList(0, 20).forEach(s -> words.addAll(s.tokens())); // the rest has unknowns
    List<String> vocab = new ArrayList<>(words);
    List<String> labels = SlotFillingGenerator.tagSet();
    ModelSpec spec = ModelSpec.builder(CellType.GRU, 8, 8).vocabSize(vocab.size())
        .bidirectional(true).head(labels.size(), Activation.SOFTMAX).build();
    RnnModel model = RnnModel.create(spec, Initializers.uniform(spec, 4, 2.0),
        new ModelInfo("slots", 1, "", "test", null, vocab, labels), "test");

    try (LocalKafka kafka = LocalKafka.start(0, null)) {
      String bootstrap = kafka.bootstrapServers();
      KafkaTestSupport.createTopics(bootstrap, Map.of("utterances", 2, "model-snapshots", 1,
          "slot-results", 2, "dead-letters", 1), "model-snapshots");
      Configuration conf = new Configuration();
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
      JobClient job = SlotFillingJob.kafka(new KafkaSettings(bootstrap, new Properties()),
          SlotFillingJob.Topics.defaults(), "itcase", "slots", DeliveryGuarantee.EXACTLY_ONCE)
          .start(env);
      try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(bootstrap)) {
        KafkaTestSupport.send(producer, "model-snapshots", "slots",
            KafkaTestSupport.snapshotRecord(model));
        for (int i = 0; i < sentences.size(); i++) {
          String key = "session-" + (i % 4);
          KafkaTestSupport.send(producer, "utterances", key, ("{\"conversationId\":\"" + key
              + "\",\"seq\":" + (i / 4) + ",\"text\":\"" + sentences.get(i).text() + "\"}")
              .getBytes());
        }
      }
      List<ConsumerRecord<byte[], byte[]>> records = KafkaTestSupport.readCommitted(bootstrap,
          "slot-results", got -> got.size() >= sentences.size(), Duration.ofSeconds(120));
      job.cancel().get();

      assertThat(records).hasSize(sentences.size());
      AvroCodec<SlotResult> codec = new AvroCodec<>(SlotResult.class);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        SlotResult s = codec.decode(r.value());
        int i = (int) s.getSeq() * 4 + Integer.parseInt(s.getKey().substring("session-".length()));
        List<String> tokens = SlotTagger.tokens(sentences.get(i).text());
        assertThat(s.getTokens()).isEqualTo(tokens);
        TaggedSentence offline = SlotTagger.tag(model, tokens);
        assertThat(s.getTags()).isEqualTo(offline.tags());
        assertThat(s.getSlots()).isEqualTo(offline.slots());
        assertThat(s.getModelVersion()).isEqualTo(1);
      }
    }
  }
}
