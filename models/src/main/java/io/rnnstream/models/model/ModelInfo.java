package io.rnnstream.models.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Identity and provenance of a model, stored in its snapshot.
 *
 * @param name model name (several models run side by side, one version each)
 * @param version monotonically increasing version under that name
 * @param createdAt ISO-8601 instant
 * @param trainer who or what produced the weights ("torch-import", "rnnstream-train 0.1")
 * @param metrics evaluation figures (accuracy, slot F1, CER ...)
 * @param vocab input vocabulary (token ids index it), may be empty
 * @param labels output labels (head rows index it), may be empty
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ModelInfo(
    @JsonProperty("name") String name,
    @JsonProperty("version") long version,
    @JsonProperty("createdAt") String createdAt,
    @JsonProperty("trainer") String trainer,
    @JsonProperty("metrics") Map<String, Double> metrics,
    @JsonProperty("vocab") List<String> vocab,
    @JsonProperty("labels") List<String> labels) {

  public ModelInfo {
    name = name == null ? "unnamed" : name;
    createdAt = createdAt == null ? "" : createdAt;
    trainer = trainer == null ? "" : trainer;
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    vocab = vocab == null ? List.of() : List.copyOf(vocab);
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  public static ModelInfo named(String name, long version) {
    return new ModelInfo(name, version, java.time.Instant.now().toString(), "", null, null, null);
  }

  public ModelInfo withVersion(long v) {
    return new ModelInfo(name, v, createdAt, trainer, metrics, vocab, labels);
  }
}
