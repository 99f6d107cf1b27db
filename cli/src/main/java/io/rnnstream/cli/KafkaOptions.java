package io.rnnstream.cli;

import io.rnnstream.jobs.kafka.KafkaSettings;
import io.rnnstream.jobs.kafka.SnapshotPublisher;
import io.rnnstream.models.signing.ModelSigner;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The publishing options shared by {@code publish} and {@code train --publish} (a picocli mixin):
 * the Kafka connection and topic, and the key that signs what is published.
 */
final class KafkaOptions {
  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
  String bootstrap;

  @Option(names = "--topic", paramLabel = "T", defaultValue = SnapshotPublisher.DEFAULT_TOPIC,
      description = "model topic (default: ${DEFAULT-VALUE}; created compacted if missing)")
  String topic;

  @Option(names = "--kafka-config", paramLabel = "F",
      description = "Kafka client properties file (security, SASL, SSL, ...)")
  Path config;

  @Option(names = "--kafka-property", paramLabel = "K=V",
      description = "a Kafka client property (repeatable), e.g. security.protocol=SSL")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(names = "--sign-key", paramLabel = "K.pem",
      description = "sign every published snapshot with this EC private key (PEM, as for sign)"
          + " and send the signature with it, for jobs run with --trusted-keys")
  Path signKey;

  /** The signer of {@code --sign-key} (the key is read and checked now), or null without. */
  ModelSigner signer() throws Exception {
    return signKey == null ? null : ModelSigner.fromPem(signKey);
  }

  /** A publisher to the topic, signing with {@code --sign-key} when given. */
  SnapshotPublisher publisher() throws Exception {
    ModelSigner signer = signer(); // a bad key fails before anything is sent
    return new SnapshotPublisher(settings(), topic).signWith(signer);
  }

  KafkaSettings settings() throws IOException {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("--bootstrap HOST:PORT is required to publish");
    }
    Properties p = new Properties();
    if (config != null) {
      try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
        p.load(r);
      }
    }
    p.putAll(properties);
    return new KafkaSettings(bootstrap, p);
  }
}
