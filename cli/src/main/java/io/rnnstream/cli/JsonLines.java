package io.rnnstream.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The JSON-lines loop of the streaming commands ({@code infer}, {@code ctc}, ...): one answer line
 * per non-blank input line, in order; a rejected line answers with its error object and is
 * reported on stderr as {@code rnnstream <command>: line N: reason}. Interactive input (stdin)
 * is answered line by line.
 */
final class JsonLines {
  /** The answer to one line, and the reason when the line was rejected. */
  record Outcome(String json, String error) {}

  private JsonLines() {}

  /** Runs the loop; returns the exit code: 0 when every line was accepted, else 1. */
  static int run(String command, Path input, Function<String, Outcome> process)
      throws IOException {
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
        Outcome o = process.apply(line);
        if (o.error() != null) {
          bad++;
          System.err.println("rnnstream " + command + ": line " + number + ": " + o.error());
        }
        out.write(o.json());
        out.newLine();
        if (input == null) {
          out.flush();
        }
      }
    }
    return bad == 0 ? 0 : 1;
  }
}
