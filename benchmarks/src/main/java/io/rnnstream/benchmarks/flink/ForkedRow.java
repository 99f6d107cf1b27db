package io.rnnstream.benchmarks.flink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures one {@link OperatorThroughput} row in a JVM of its own, as JMH forks per benchmark.
 * The parent starts {@code java} with its own JVM options and class path, one backend and one
 * row ({@code -Drnnstream.backends=B -Drnnstream.rows=R}) and {@value #CHILD_PROPERTY}; the
 * child runs that row once (warm-up events first, in the same job) and prints one
 * {@value #RESULT} line, which the parent parses; the rest of its output (Flink's log) is
 * dropped, or shown (its last 40 lines) if the child fails.
 */
final class ForkedRow {
  static final String CHILD_PROPERTY = "rnnstream.forkedRow";
  static final String RESULT = "@row-result";

  private ForkedRow() {}

  /** In the child: prints the measured row for the parent. */
  static void report(Recorder.Stats s) {
    System.out.printf(Locale.ROOT, "%s %d %s %s %s %s%n", RESULT, s.events(),
        Double.toString(s.eventsPerSecond()), Double.toString(s.p50Ms()),
        Double.toString(s.p99Ms()), Double.toString(s.jitShare()));
  }

  /**
   * Options that attach a recorder, profiler or debugger to the parent, which the children must
   * not start again (a second JFR file, agent or debug port of the same name).
   */
  private static boolean isAgent(String jvmOption) {
    return jvmOption.startsWith("-XX:StartFlightRecording") || jvmOption.startsWith("-agentlib")
        || jvmOption.startsWith("-agentpath") || jvmOption.startsWith("-javaagent")
        || jvmOption.startsWith("-Xrunjdwp");
  }

  /** In the parent: runs one row on one backend in a child JVM and returns its figures. */
  static Recorder.Stats run(String backend, String row, String[] args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Drnnstream.rows=") && !a.startsWith("-Drnnstream.backends=")
          && !isAgent(a)) {
        cmd.add(a);
      }
    }
    cmd.add("-Drnnstream.backends=" + backend);
    cmd.add("-Drnnstream.rows=" + row);
    cmd.add("-D" + CHILD_PROPERTY + "=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(OperatorThroughput.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Recorder.Stats result = null;
    List<String> tail = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(RESULT + " ")) {
          String[] f = line.split(" ");
          result = new Recorder.Stats(Long.parseLong(f[1]), Double.parseDouble(f[2]),
              Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
        } else {
          tail.add(line);
          if (tail.size() > 40) {
            tail.remove(0);
          }
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0 || result == null) {
      throw new IllegalStateException("the forked run of row '" + row + "' on " + backend
          + " failed (exit " + exit + "); its last lines:\n" + String.join("\n", tail));
    }
    return result;
  }
}
