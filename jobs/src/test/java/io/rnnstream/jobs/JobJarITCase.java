package io.rnnstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jar users submit to a cluster ({@code jobs/target/rnnstream-jobs.jar}, built by the
 * {@code package} phase before this runs): the pipelines and their Kafka wiring, small, with no
 * Flink runtime (the cluster has its own), no Kafka broker or test kit, and no CLI or trainer.
 */
class JobJarITCase {
  static final Path JAR = Path.of("target", "rnnstream-jobs.jar");
  static final long MAX_BYTES = 40L << 20;
  /** Class prefixes the job jar must not contain. */
  static final List<String> FORBIDDEN = List.of(
      "org/apache/flink/runtime/", "org/apache/flink/streaming/api/", "org/apache/flink/api/",
      "org/apache/flink/configuration/", "org/apache/flink/client/", "kafka/server/",
      "org/apache/kafka/common/test/", "org/apache/kafka/server/config/", "scala/",
      "io/rnnstream/cli/", "io/rnnstream/training/", "org/apache/logging/log4j/core/");

  @Test
  void shouldHoldThePipelinesAndNoRuntimeBrokerOrCli() throws Exception {
    assertThat(JAR).exists();
    assertThat(Files.size(JAR)).as("job jar size").isLessThanOrEqualTo(MAX_BYTES);
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> classes = jar.stream().map(e -> e.getName())
          .filter(n -> n.endsWith(".class")).collect(Collectors.toList());
      assertThat(classes).contains("io/rnnstream/jobs/Main.class",
          "io/rnnstream/operators/api/RnnInference.class",
          "io/rnnstream/models/model/RnnModel.class",
          "org/apache/flink/connector/kafka/source/KafkaSource.class");
      for (String prefix : FORBIDDEN) {
        assertThat(classes).as("classes under " + prefix)
            .noneMatch(n -> n.startsWith(prefix));
      }
      Manifest manifest = jar.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Main-Class"))
          .isEqualTo(Main.class.getName());
    }
  }
}
