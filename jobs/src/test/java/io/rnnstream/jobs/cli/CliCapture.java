package io.rnnstream.jobs.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs CLI commands with stdin, stdout and stderr redirected (tests only). */
final class CliCapture implements AutoCloseable {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream oldOut = System.out;
  private final PrintStream oldErr = System.err;
  private final InputStream oldIn = System.in;

  CliCapture() {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  int run(String stdin, String... args) {
    out.reset();
    err.reset();
    System.setIn(new ByteArrayInputStream(
        (stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
    return RnnstreamCli.run(args);
  }

  List<String> stdout() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    System.setOut(oldOut);
    System.setErr(oldErr);
    System.setIn(oldIn);
  }
}
