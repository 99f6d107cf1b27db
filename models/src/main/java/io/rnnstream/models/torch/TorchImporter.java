package io.rnnstream.models.torch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.HeadSpec;
import io.rnnstream.models.model.ModelFormatException;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Parameters;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.TensorNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Imports a PyTorch {@code state_dict} (saved as safetensors) of {@code nn.RNN}, {@code nn.LSTM}
 * or {@code nn.GRU}, with an optional {@code nn.Embedding} in front and {@code nn.Linear} head on
 * top. PyTorch's weight layout is ours, so tensors are only renamed and checked, never reshuffled.
 * Errors name the file's tensor, the expected shape and what the file holds.
 */
public final class TorchImporter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The imported model and the file's tensors that it did not use (reported, not fatal). */
  public record Result(RnnModel model, List<String> ignoredTensors) {}

  private TorchImporter() {}

  /** Config keys, per object, so that a typo is reported as such instead of being ignored. */
  private static final Map<String, Set<String>> KNOWN_KEYS = Map.of(
      "", Set.of("cell", "input_size", "hidden_size", "num_layers", "bidirectional", "rnn_prefix",
          "head", "embedding", "activations"),
      "head", Set.of("prefix", "activation"),
      "embedding", Set.of("prefix"),
      "activations", Set.of("candidate", "cell"));

  public static ImportConfig readConfig(Path file) throws IOException {
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": malformed JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException(file + ": the config must be a JSON object");
    }
    checkKeys(file, "", tree);
    for (String nested : List.of("head", "embedding", "activations")) {
      if (tree.has(nested)) {
        checkKeys(file, nested, tree.get(nested));
      }
    }
    for (String required : List.of("cell", "input_size", "hidden_size")) {
      if (!tree.has(required)) {
        throw new IllegalArgumentException(file + ": missing config key '" + required + "'");
      }
    }
    try {
      return JSON.treeToValue(tree, ImportConfig.class);
    } catch (MismatchedInputException e) {
      throw new IllegalArgumentException(file + ": " + e.getOriginalMessage());
    }
  }

  private static void checkKeys(Path file, String object, JsonNode node) {
    Set<String> known = KNOWN_KEYS.get(object);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        String where = object.isEmpty() ? "" : " in '" + object + "'";
        throw new IllegalArgumentException(file + ": unknown config key '" + key + "'" + where
            + "; known keys: " + new java.util.TreeSet<>(known));
      }
    }
  }

  public static Result importFile(Path safetensors, Path config, String name) throws IOException {
    return importTensors(
        SafeTensors.read(safetensors), readConfig(config), name, safetensors.toString());
  }

  public static Result importTensors(
      Map<String, Tensor> file, ImportConfig c, String name, String origin) {
    String rnnPrefix = c.rnnPrefix();
    if (file.keySet().stream().noneMatch(k -> k.startsWith(rnnPrefix + "weight_ih_l0"))) {
      throw new ModelFormatException(
          origin + ": no tensor '" + rnnPrefix + "weight_ih_l0' (rnn_prefix is '" + rnnPrefix
              + "'); the file holds: " + describe(file));
    }
    boolean bias = file.containsKey(rnnPrefix + "bias_ih_l0");
    ModelSpec.Builder b = ModelSpec.builder(c.cellType(), c.inputSize(), c.hiddenSize())
        .numLayers(c.numLayers())
        .bidirectional(c.bidirectional())
        .bias(bias);
    if (c.cellType() == CellType.RNN) {
      b.activation(c.elmanActivation());
    }
    if (c.activations() != null) {
      if (c.cellType() != CellType.LSTM) {
        throw new IllegalArgumentException("config 'activations' applies to lstm only");
      }
      b.candidateActivation(ImportConfig.activation(
          "activations.candidate", c.activations().candidate(), Activation.TANH));
      b.cellActivation(
          ImportConfig.activation("activations.cell", c.activations().cell(), Activation.TANH));
    }
    // canonical name -> name in the file
    Map<String, String> sources = new LinkedHashMap<>();
    if (c.embedding() != null) {
      String src = c.embedding().prefix() + "weight";
      Tensor e = requirePresent(file, src, "[vocab, " + c.inputSize() + "]", origin);
      b.vocabSize(e.dim(0));
      sources.put(TensorNames.EMBEDDING, src);
    }
    if (c.head() != null) {
      String w = c.head().prefix() + "weight";
      Tensor hw = requirePresent(file, w, "[outputs, top width]", origin);
      boolean headBias = file.containsKey(c.head().prefix() + "bias");
      b.head(new HeadSpec(hw.dim(0),
          ImportConfig.activation("head.activation", c.head().activation(), Activation.IDENTITY),
          headBias));
      sources.put(TensorNames.HEAD_WEIGHT, w);
      if (headBias) {
        sources.put(TensorNames.HEAD_BIAS, c.head().prefix() + "bias");
      }
    }
    ModelSpec spec = b.build();
    Map<String, Tensor> canonical = new LinkedHashMap<>();
    TreeSet<String> ignored = new TreeSet<>(file.keySet());
    for (Parameters.Param p : Parameters.of(spec)) {
      String src = sources.getOrDefault(
          p.name(), rnnPrefix + p.name().substring(TensorNames.RNN.length()));
      Tensor t = file.get(src);
      if (t == null) {
        throw new ModelFormatException(
            origin + ": missing tensor '" + src + "' of shape " + Arrays.toString(p.shape())
                + " for " + spec.cell().id() + " num_layers=" + spec.numLayers()
                + (spec.bidirectional() ? " bidirectional" : "") + "; the file holds: "
                + describe(file));
      }
      if (!t.hasShape(p.shape())) {
        throw new ModelFormatException(
            origin + ": tensor '" + src + "' has shape " + t.shapeString() + ", expected "
                + Arrays.toString(p.shape()) + " (check input_size, hidden_size, num_layers and"
                + " cell in the config)");
      }
      canonical.put(p.name(), t);
      ignored.remove(src);
    }
    ModelInfo info = new ModelInfo(name, 1, java.time.Instant.now().toString(),
        "torch-import", null, null, null);
    return new Result(RnnModel.create(spec, canonical, info, origin), List.copyOf(ignored));
  }

  private static Tensor requirePresent(
      Map<String, Tensor> file, String name, String shape, String origin) {
    Tensor t = file.get(name);
    if (t == null || t.rank() != 2) {
      throw new ModelFormatException(
          origin + ": " + (t == null ? "missing tensor '" : "tensor is not 2-d: '") + name
              + "' of shape " + shape + "; the file holds: " + describe(file));
    }
    return t;
  }

  private static String describe(Map<String, Tensor> file) {
    if (file.isEmpty()) {
      return "no tensors";
    }
    return new java.util.TreeMap<>(file).entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().shapeString())
        .collect(Collectors.joining(", "));
  }
}
