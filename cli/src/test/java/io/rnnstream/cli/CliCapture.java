package io.rnnstream.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs CLI commands with stdin, stdout and stderr redirected (tests only). Either per test, as
 * a field {@code @RegisterExtension final CliCapture cli = new CliCapture();}, or for a block,
 * {@code try (CliCapture cli = CliCapture.open()) { ... }}.
 */
final class CliCapture implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;
  private InputStream oldIn;

  /** A capture already redirecting the streams, for try-with-resources. */
  static CliCapture open() {
    CliCapture c = new CliCapture();
    c.redirect();
    return c;
  }

  private void redirect() {
    oldOut = System.out;
    oldErr = System.err;
    oldIn = System.in;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    redirect();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
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
