package io.rnnstream.benchmarks.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.torch.ImportConfig;
import io.rnnstream.models.torch.SafeTensors;
import io.rnnstream.models.torch.TorchImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three files {@code benchmarks/onnx/export_onnx.py} writes per model {@code <name>}: the
 * one-step ONNX graph, the same weights as a PyTorch safetensors state dict, and a JSON with the
 * importer config and a PyTorch reference for two chained steps.
 *
 * <p>The directory comes from the system property {@value #DIR_PROPERTY}, default
 * {@value #DEFAULT_DIR} (relative to the working directory: run from the repository root).
 */
public record OnnxModelFiles(String name, Path onnx, Path safetensors, Path json) {
  public static final String DIR_PROPERTY = "rnnstream.onnx.dir";
  public static final String DEFAULT_DIR = "benchmarks/target/onnx";
  public static final String SCRIPT = "/usr/bin/python3 benchmarks/onnx/export_onnx.py";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The files of {@code name} in the configured directory; fails naming the script if absent. */
  public static OnnxModelFiles locate(String name) {
    return in(Path.of(System.getProperty(DIR_PROPERTY, DEFAULT_DIR)), name);
  }

  /** The files of {@code name} in {@code dir}; fails naming the script if any is missing. */
  public static OnnxModelFiles in(Path dir, String name) {
    OnnxModelFiles f = new OnnxModelFiles(name, dir.resolve(name + ".onnx"),
        dir.resolve(name + ".safetensors"), dir.resolve(name + ".json"));
    for (Path p : new Path[] {f.onnx, f.safetensors, f.json}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("missing " + p.toAbsolutePath() + ": export the ONNX"
            + " models first, from the repository root: " + SCRIPT + " (Debian python3-torch;"
            + " or point -D" + DIR_PROPERTY + "=DIR at a directory it wrote with --out DIR)");
      }
    }
    return f;
  }

  public byte[] onnxBytes() {
    try {
      return Files.readAllBytes(onnx);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {"config": ..., "inputs": [...], "outputs": [...], "steps": [...]} (see the script). */
  public JsonNode reference() {
    try {
      return JSON.readTree(json.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Our model with the same weights, through the PyTorch importer. */
  public RnnModel rnnModel() {
    try {
      ImportConfig config = JSON.treeToValue(reference().get("config"), ImportConfig.class);
      return TorchImporter.importTensors(
          SafeTensors.read(safetensors), config, name, safetensors.toString()).model();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
