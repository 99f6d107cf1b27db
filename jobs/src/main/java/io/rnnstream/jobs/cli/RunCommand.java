package io.rnnstream.jobs.cli;

import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.sentiment.SentimentJob;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run sentiment --bootstrap HOST:PORT}: runs a pipeline against a real Kafka. Started with
 * {@code java -jar} (or {@code ./rnnstream}) it runs on a local Flink; submitted with
 * {@code flink run -c io.rnnstream.jobs.cli.RnnstreamCli rnnstream.jar run ...} it runs on that
 * cluster.
 */
@Command(name = "run", description = "Run a pipeline against Kafka (local Flink, or the cluster"
    + " when submitted with 'flink run').")
final class RunCommand implements Callable<Integer> {
  enum Pipeline { sentiment }

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

  @Option(names = "--model", defaultValue = "sentiment", description = "model name to serve")
  String model;

  @Option(names = "--input-topic", defaultValue = "chat-messages")
  String inputTopic;

  @Option(names = "--snapshot-topic", defaultValue = "model-snapshots")
  String snapshotTopic;

  @Option(names = "--output-topic", defaultValue = "sentiment-predictions")
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

  @Override
  public Integer call() throws Exception {
    Properties client = new Properties();
    if (properties != null) {
      try (Reader r = Files.newBufferedReader(properties)) {
        client.load(r);
      }
    }
    client.putAll(clientProperties);
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    if (parallelism != null) {
      env.setParallelism(parallelism);
    }
    SentimentJob job = SentimentJob.kafka(new KafkaSettings(bootstrap, client),
        new SentimentJob.Topics(inputTopic, snapshotTopic, outputTopic, deadLetterTopic),
        groupId != null ? groupId : "rnnstream-" + pipeline, model, delivery);
    job.build(env);
    env.execute("rnnstream " + pipeline);
    return 0;
  }
}
