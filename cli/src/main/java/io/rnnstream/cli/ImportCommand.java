package io.rnnstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.models.torch.TorchImporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code import --torch F.safetensors --config C.json --out M}: PyTorch state_dict to snapshot. */
@Command(
    name = "import",
    description = "Import a PyTorch state_dict (safetensors) of nn.RNN / nn.LSTM / nn.GRU,"
        + " with optional nn.Embedding and nn.Linear head, into a model snapshot.")
final class ImportCommand implements Callable<Integer> {
  @Option(names = "--torch", required = true, paramLabel = "F.safetensors",
      description = "state_dict saved with safetensors.torch.save_file (F32, F16 or BF16)")
  Path torch;

  @Option(names = "--config", required = true, paramLabel = "C.json",
      description = "cell, input_size, hidden_size, num_layers, bidirectional, rnn_prefix,"
          + " optional head {prefix, activation}, embedding {prefix}, activations")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "M", description = "snapshot to write")
  Path out;

  @Option(names = "--name", description = "model name (default: the output file's name)")
  String name;

  @Option(names = "--version", defaultValue = "1", description = "model version (default 1)")
  long version;

  @Override
  public Integer call() throws Exception {
    String modelName = name != null ? name : out.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    TorchImporter.Result result = TorchImporter.importFile(torch, config, modelName);
    RnnModel model = result.model().withInfo(result.model().info().withVersion(version));
    SnapshotFormat.write(model, out);
    if (!result.ignoredTensors().isEmpty()) {
      System.err.println("rnnstream import: ignored tensors not part of the model: "
          + result.ignoredTensors());
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode summary = json.createObjectNode()
        .put("out", out.toString())
        .put("name", model.info().name())
        .put("version", model.info().version())
        .put("cell", model.spec().cell().id())
        .put("layers", model.spec().numLayers())
        .put("bidirectional", model.spec().bidirectional())
        .put("inputs", model.spec().readsTokenIds() ? "ids" : "x")
        .put("outputSize", model.outputSize());
    System.out.println(json.writeValueAsString(summary));
    return 0;
  }
}
