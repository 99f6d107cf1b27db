package io.rnnstream.cli;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infer --model M [--input F]}: JSON lines {@code {"key", "x" | "ids", "reset"?}} in, one
 * {@code {"key", "y"}} line out per line; state carries across lines of the same key.
 */
@Command(
    name = "infer",
    description = "Run a model over JSON lines {\"key\": k, \"x\": [[...]] | \"ids\": [...],"
        + " \"reset\": bool}; prints {\"key\": k, \"y\": [[...]]} per line. State carries across"
        + " lines of the same key (bidirectional models: each line is a whole segment).")
final class InferCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "M", description = "model snapshot")
  Path model;

  @Option(names = "--input", paramLabel = "F", description = "JSON lines file (default: stdin)")
  Path input;

  @Override
  public Integer call() throws Exception {
    RnnModel m = SnapshotFormat.read(model);
    InferSession session = new InferSession(m);
    return JsonLines.run("infer", input, session::process);
  }
}
