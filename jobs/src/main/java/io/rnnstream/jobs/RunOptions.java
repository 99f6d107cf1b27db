package io.rnnstream.jobs;

import io.rnnstream.jobs.captions.CaptionJob;
import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.sentiment.SentimentJob;
import io.rnnstream.jobs.sentiment.SentimentPipeline;
import io.rnnstream.jobs.slots.SlotFillingJob;
import io.rnnstream.operators.api.TrustedKeys;
import io.rnnstream.operators.captions.Captioning;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The options of a pipeline run against Kafka ({@code sentiment|slots|captions --bootstrap
 * HOST:PORT ...}) and the job they describe. Two commands mix them in: the job jar's entry
 * point ({@link JobCommand}: {@code flink run rnnstream-jobs.jar sentiment ...}, on that cluster)
 * and the CLI's {@code run} (a local Flink, with durable state and status lines of its own).
 */
public final class RunOptions {
  public enum Pipeline { sentiment, slots, captions }

  /** Caption decoder choice; lower-case so that picocli accepts exactly greedy|beam. */
  public enum Decoder { greedy, beam }

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Parameters(index = "0", description = "pipeline: ${COMPLETION-CANDIDATES}")
  Pipeline pipeline;

  @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers")
  String bootstrap;

  @Option(names = "--properties", paramLabel = "F",
      description = "Kafka client properties (security.protocol, sasl.*, ssl.*, ...) passed to"
          + " every source, sink and client")
  Path properties;

  @Option(names = "-D", paramLabel = "KEY=VALUE", description = "one Kafka client property")
  Map<String, String> clientProperties = Map.of();

  @Option(names = "--group-id",
      description = "consumer group and transactional-id prefix (default rnnstream-<pipeline>)")
  String groupId;

  @Option(names = "--model", description = "model name to serve (default: the pipeline's name)")
  String model;

  @Option(names = "--input-topic",
      description = "default chat-messages (sentiment), utterances (slots), audio-chunks"
          + " (captions)")
  String inputTopic;

  @Option(names = "--frames-topic", arity = "0..1", paramLabel = "TOPIC",
      fallbackValue = CaptionJob.Topics.DEFAULT_FRAMES,
      description = "captions: also read ready-made feature frames (Avro FeatureFrames, key ="
          + " stream) from TOPIC (default name " + CaptionJob.Topics.DEFAULT_FRAMES + "); the"
          + " audio topic is read as well")
  String framesTopic;

  @Option(names = "--snapshot-topic", defaultValue = "model-snapshots")
  String snapshotTopic;

  @Option(names = "--output-topic",
      description = "default sentiment-predictions (sentiment), slot-results (slots), captions"
          + " (captions)")
  String outputTopic;

  @Option(names = "--dead-letter-topic", defaultValue = "dead-letters")
  String deadLetterTopic;

  @Option(names = "--delivery", defaultValue = "EXACTLY_ONCE",
      description = "EXACTLY_ONCE (transactions, default) or AT_LEAST_ONCE")
  DeliveryGuarantee delivery;

  @Option(names = "--checkpoint-interval", defaultValue = "PT5S",
      description = "ISO-8601 duration (default PT5S); exactly-once output commits on checkpoints")
  Duration checkpointInterval;

  @Option(names = "--parallelism", description = "default: the environment's")
  Integer parallelism;

  /**
   * Bundle size of the sentiment job when --micro-batch is not given. 64, not 16: for tokenised
   * messages (waves of up to 15 tokens) bundles of 64 ran 31-42 % more messages/s on RocksDB and
   * 1-13 % more on heap (measured with the operator harness, BENCHMARKS.md); for one-step events
   * 16, 32 and 64 were within the runs' noise of each other.
   */
  public static final int DEFAULT_SENTIMENT_MICRO_BATCH = 64;

  @Option(names = "--micro-batch", paramLabel = "N",
      description = "sentiment: step up to N conversations' messages together (cross-key"
          + " micro-batching, token by token; default " + DEFAULT_SENTIMENT_MICRO_BATCH
          + "; 0 = off, each message stepped on arrival)")
  Integer microBatch;

  @Option(names = "--micro-batch-delay", defaultValue = "PT0.005S",
      description = "sentiment: longest a message waits for its bundle (default PT0.005S)")
  Duration microBatchDelay;

  @Option(names = "--decoder", defaultValue = "beam", paramLabel = "greedy|beam",
      description = "captions: CTC decoder (default beam)")
  Decoder decoder;

  @Option(names = "--beam", defaultValue = "8", paramLabel = "N",
      description = "captions: beam width (default 8)")
  int beam;

  @Option(names = "--trusted-keys", split = ",", paramLabel = "P.pem[,P2.pem]",
      description = "serve only model snapshots signed by one of these public keys (PEM,"
          + " comma-separated or repeated; several while a signing key is rotated); others are"
          + " dead letters and the serving version goes on. Default: unsigned snapshots are"
          + " served")
  List<Path> trustedKeyFiles = List.of();

  private TrustedKeys trustedKeys; // read once, by validate() or the first use

  /** The bundle size the pipeline runs with: --micro-batch, else 64 for sentiment, else 0. */
  public int microBatchSize() {
    if (microBatch != null) {
      return microBatch;
    }
    return pipeline == Pipeline.sentiment ? DEFAULT_SENTIMENT_MICRO_BATCH : 0;
  }

  private static String or(String value, String fallback) {
    return value != null ? value : fallback;
  }

  /** The pipeline this run builds. */
  public Pipeline pipeline() {
    return pipeline;
  }

  /** The Kafka bootstrap servers. */
  public String bootstrap() {
    return bootstrap;
  }

  /** The parallelism asked for, or null for the environment's. */
  public Integer parallelism() {
    return parallelism;
  }

  /** How often a checkpoint commits the outputs. */
  public Duration checkpointInterval() {
    return checkpointInterval;
  }

  /** The topics this run reads and writes, as the pipeline resolves them: input(s), output. */
  public String describeTopics() {
    return switch (pipeline) {
      case sentiment -> or(inputTopic, SentimentJob.Topics.defaults().messages()) + " -> "
          + or(outputTopic, SentimentJob.Topics.defaults().predictions());
      case slots -> or(inputTopic, SlotFillingJob.Topics.defaults().utterances()) + " -> "
          + or(outputTopic, SlotFillingJob.Topics.defaults().slots());
      case captions -> or(inputTopic, CaptionJob.Topics.defaults().audio())
          + (framesTopic != null ? " + " + framesTopic : "") + " -> "
          + or(outputTopic, CaptionJob.Topics.defaults().captions());
    } + ", models from " + snapshotTopic + ", dead letters to " + deadLetterTopic;
  }

  /** The model name this run serves. */
  public String modelName() {
    return model != null ? model : pipeline.name();
  }

  /** The keys of {@code --trusted-keys}, read and checked ({@link TrustedKeys#NONE} without). */
  public TrustedKeys trustedKeys() throws IOException {
    if (trustedKeys == null) {
      trustedKeys = trustedKeyFiles.isEmpty()
          ? TrustedKeys.NONE : TrustedKeys.read(trustedKeyFiles);
    }
    return trustedKeys;
  }

  /**
   * One line on which model snapshots the run serves: only those signed by the trusted keys (their
   * ids), or, without {@code --trusted-keys}, that it serves unsigned ones.
   */
  public String describeTrust() throws IOException {
    return "models: " + trustedKeys().describe();
  }

  /**
   * Rejects option combinations that do not apply to the pipeline (a usage error), and reads the
   * trusted keys, so that a missing or unusable key file fails the run before anything starts.
   */
  public void validate() throws IOException {
    if (framesTopic != null && pipeline != Pipeline.captions) {
      throw new ParameterException(spec.commandLine(),
          "--frames-topic applies to run captions only, not run " + pipeline);
    }
    if (microBatch != null && (microBatch < 0 || microBatch == 1)) {
      throw new ParameterException(spec.commandLine(),
          "--micro-batch must be 0 (off) or at least 2, got " + microBatch);
    }
    if (microBatch != null && microBatch != 0 && pipeline != Pipeline.sentiment) {
      throw new ParameterException(spec.commandLine(), "--micro-batch applies to run sentiment"
          + " only, not run " + pipeline + " (whose outputs are computed per segment)");
    }
    trustedKeys();
  }

  /** The Flink configuration of the run: its checkpoint interval. */
  public Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    return conf;
  }

  /** The bootstrap servers and the client properties of {@code --properties} and {@code -D}. */
  public KafkaSettings kafkaSettings() throws IOException {
    Properties client = new Properties();
    if (properties != null) {
      try (Reader r = Files.newBufferedReader(properties)) {
        client.load(r);
      }
    }
    client.putAll(clientProperties);
    return new KafkaSettings(bootstrap, client);
  }

  /** The topics the job reads (its input and the model snapshots): they must exist. */
  public List<String> inputTopics() {
    String input = or(inputTopic, switch (pipeline) {
      case sentiment -> SentimentJob.Topics.defaults().messages();
      case slots -> SlotFillingJob.Topics.defaults().utterances();
      case captions -> CaptionJob.Topics.defaults().audio();
    });
    return framesTopic != null ? List.of(input, framesTopic, snapshotTopic)
        : List.of(input, snapshotTopic);
  }

  /** The job on Kafka these options describe. */
  public KafkaJob job() throws IOException {
    KafkaSettings kafka = kafkaSettings();
    String group = groupId != null ? groupId : "rnnstream-" + pipeline;
    String modelName = modelName();
    TrustedKeys trusted = trustedKeys();
    return switch (pipeline) {
      case sentiment -> {
        SentimentJob.Topics d = SentimentJob.Topics.defaults();
        yield SentimentJob.kafka(kafka, new SentimentJob.Topics(or(inputTopic, d.messages()),
            snapshotTopic, or(outputTopic, d.predictions()), deadLetterTopic), group, modelName,
            delivery, new SentimentPipeline.MicroBatch(microBatchSize(), microBatchDelay),
            trusted);
      }
      case slots -> {
        SlotFillingJob.Topics d = SlotFillingJob.Topics.defaults();
        yield SlotFillingJob.kafka(kafka, new SlotFillingJob.Topics(
            or(inputTopic, d.utterances()), snapshotTopic, or(outputTopic, d.slots()),
            deadLetterTopic), group, modelName, delivery, trusted);
      }
      case captions -> { // captions are not RnnOutputs: a job of their own
        CaptionJob.Topics d = CaptionJob.Topics.defaults();
        Captioning.Builder c = Captioning.builder().model(modelName).trustedKeys(trusted);
        yield CaptionJob.kafka(kafka, new CaptionJob.Topics(or(inputTopic, d.audio()),
            snapshotTopic, or(outputTopic, d.captions()), deadLetterTopic).withFrames(framesTopic),
            group, (decoder == Decoder.greedy ? c.greedy() : c.beam(beam)).build(), delivery);
      }
    };
  }
}
