package io.rnnstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.jobs.kafka.SnapshotPublisher;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code publish --model M --bootstrap HOST:PORT [--topic T] [--version V] [--name N]}: sends a
 * snapshot file to the model topic (Avro {@code ModelSnapshot} keyed by the model name). With
 * {@code --version} (or {@code --name}) the model is re-stamped first (new snapshot bytes, new
 * SHA-256): a rollback publishes the old weights under a new, higher version. Prints one JSON
 * line {@code {"name", "version", "sha256", "bytes", "topic", "partition", "offset"}}, and
 * {@code "keyId"} when {@code --sign-key} signs the snapshot (its signature travels in the
 * record).
 */
@Command(
    name = "publish",
    description = "Publish a model snapshot to the model topic (Avro ModelSnapshot keyed by model"
        + " name). --version re-stamps the version: roll back by publishing old weights under a"
        + " new, higher version.")
final class PublishCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "M", description = "model snapshot")
  Path model;

  @Option(names = "--version", paramLabel = "V",
      description = "publish under this version (default: the file's own version)")
  Long version;

  @Option(names = "--name", paramLabel = "N",
      description = "publish under this model name (default: the file's own name)")
  String name;

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Override
  public Integer call() throws Exception {
    byte[] file = Files.readAllBytes(model);
    RnnModel m = SnapshotFormat.fromBytes(file, model.toString()); // validates the file
    ModelInfo i = m.info();
    boolean restamp = (version != null && version != i.version())
        || (name != null && !name.equals(i.name()));
    if (restamp) {
      if (version != null && version < 0) {
        throw new IllegalArgumentException("--version must be >= 0, got " + version);
      }
      m = m.withInfo(new ModelInfo(name == null ? i.name() : name,
          version == null ? i.version() : version, i.createdAt(), i.trainer(), i.metrics(),
          i.vocab(), i.labels()));
    }
    try (SnapshotPublisher p = kafka.publisher()) {
      SnapshotPublisher.Published r = restamp
          ? p.publish(m) // new metadata: new snapshot bytes and SHA-256
          : p.publish(i.name(), i.version(), file); // the file exactly as it is
      System.out.println(json(r));
    }
    return 0;
  }

  static String json(SnapshotPublisher.Published r) {
    ObjectNode o = TextLines.JSON.createObjectNode();
    o.put("name", r.name());
    o.put("version", r.version());
    o.put("sha256", r.sha256());
    o.put("bytes", r.bytes());
    o.put("topic", r.topic());
    o.put("partition", r.partition());
    o.put("offset", r.offset());
    if (r.keyId() != null) {
      o.put("keyId", r.keyId());
    }
    return o.toString();
  }
}
