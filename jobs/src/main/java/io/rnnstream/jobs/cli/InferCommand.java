package io.rnnstream.jobs.cli;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    PrintStream err = System.err;
    int bad = 0;
    try (BufferedReader in = input == null
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedWriter out = new BufferedWriter(
            new OutputStreamWriter(System.out, StandardCharsets.UTF_8))) {
      String line;
      long number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        InferSession.Outcome o = session.process(line);
        if (o.error() != null) {
          bad++;
          err.println("rnnstream infer: line " + number + ": " + o.error());
        }
        out.write(o.json());
        out.newLine();
        if (input == null) {
          out.flush(); // interactive use: answer each line as it arrives
        }
      }
    }
    return bad == 0 ? 0 : 1;
  }
}
