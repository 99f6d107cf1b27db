package io.rnnstream.cli;

import io.rnnstream.cli.run.KafkaPreflight;
import io.rnnstream.cli.run.Ports;
import io.rnnstream.cli.run.RunStatus;
import io.rnnstream.cli.run.StateDirectory;
import io.rnnstream.jobs.RunOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code run sentiment|slots|captions --bootstrap HOST:PORT [options]}: a pipeline (the options
 * of {@link RunOptions}, which the job jar shares) on a local Flink in this process.
 *
 * <p>With {@code --state-dir D} the run is durable: RocksDB state with incremental checkpoints
 * retained in D ({@link StateDirectory}); the same command started again resumes from the newest
 * complete checkpoint or savepoint in D (or from {@code --from-savepoint P}), and SIGTERM or
 * Ctrl-C stops the job with a savepoint into D and exits 0. Without it the state lives in memory
 * and is lost with the process, which the command says at start.
 */
@Command(name = "run", description = "Run a pipeline (sentiment, slots, captions) against Kafka"
    + " on a local Flink; --state-dir D keeps its state across restarts.")
final class RunCommand implements Callable<Integer> {
  /** How long a stop with savepoint may take before the command gives up and cancels. */
  private static final long STOP_TIMEOUT_SECONDS = 120;

  @Mixin
  RunOptions options;

  @Option(names = "--state-dir", paramLabel = "D",
      description = "keep RocksDB state and retained checkpoints in D; the same command again"
          + " resumes from the newest checkpoint or savepoint in D; SIGTERM stops with a"
          + " savepoint into D")
  Path stateDir;

  @Option(names = "--from-savepoint", paramLabel = "P",
      description = "resume from this savepoint or retained checkpoint instead of the newest in"
          + " --state-dir")
  Path fromSavepoint;

  @Option(names = "--web-port", defaultValue = "8081", paramLabel = "N",
      description = "port of the Flink web dashboard and REST API (default 8081; 0, or a port"
          + " in use: a free port, printed at start)")
  int webPort;

  @Option(names = "--metrics-port", defaultValue = "9249", paramLabel = "N",
      description = "port of the Prometheus endpoint with the job's metrics (default 9249; 0,"
          + " or a port in use: a free port, printed at start)")
  int metricsPort;

  @Option(names = "--status-interval", defaultValue = "PT10S", paramLabel = "D",
      description = "how often a status line is printed (ISO-8601, default PT10S)")
  Duration statusInterval;

  @Override
  public Integer call() throws Exception {
    options.validate();
    // SIGTERM and Ctrl-C stop the job (with a savepoint when the state is kept) instead of
    // killing the JVM; one that arrives while the job starts stops it as soon as it runs.
    CompletableFuture<String> stopped = new CompletableFuture<>();
    SignalHandler stop = s -> stopped.complete(s.getName());
    SignalHandler previousTerm = Signal.handle(new Signal("TERM"), stop);
    SignalHandler previousInt = Signal.handle(new Signal("INT"), stop);
    try {
      return configureAndRun(stopped);
    } finally {
      Signal.handle(new Signal("TERM"), previousTerm);
      Signal.handle(new Signal("INT"), previousInt);
    }
  }

  /** The run's Flink configuration: state, recovery point and working directory. */
  private int configureAndRun(CompletableFuture<String> stopped) throws Exception {
    PrintStream out = System.out;
    Configuration conf = options.configuration();
    StateDirectory state = stateDir == null ? null : new StateDirectory(stateDir);
    Optional<Path> resumeFrom = Optional.ofNullable(fromSavepoint);
    if (state != null) {
      state.create();
      state.configure(conf);
      if (resumeFrom.isEmpty()) {
        resumeFrom = state.latest(skipped -> out.println("  state: passing over " + skipped));
      }
    }
    resumeFrom.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH,
        p.toAbsolutePath().toUri().toString()));
    // without a state directory the local cluster's working files go to a directory of this
    // run, deleted when it ends, so that nothing is left behind in /tmp
    Path scratch = state == null ? Files.createTempDirectory("rnnstream-run-") : null;
    if (scratch != null) {
      StateDirectory.workingFilesIn(conf, scratch);
    }
    try {
      return runJob(stopped, conf, state, resumeFrom, out);
    } finally {
      if (scratch != null) {
        deleteQuietly(scratch);
      }
    }
  }

  /** Says what runs, checks Kafka, starts the job and prints its status until it ends. */
  private int runJob(CompletableFuture<String> stopped, Configuration conf, StateDirectory state,
      Optional<Path> resumeFrom, PrintStream out) throws Exception {
    int web = Ports.preferred(webPort);
    int metrics = Ports.preferred(metricsPort);
    conf.set(RestOptions.BIND_PORT, String.valueOf(web));
    conf.set(RestOptions.PORT, web);
    conf.setString("metrics.reporter.prometheus.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    conf.setString("metrics.reporter.prometheus.port", String.valueOf(metrics));
    RunStatus.configure(conf);

    out.println("rnnstream run " + options.pipeline() + ": " + options.describeTopics());
    out.println("  kafka: " + options.bootstrap() + "; serving model '" + options.modelName()
        + "' as published on the snapshot topic");
    out.println("  " + options.describeTrust());
    out.println("  checkpoints: every " + options.checkpointInterval().toMillis() + " ms"
        + " (outputs are committed on checkpoints)");
    if (state == null) {
      out.println("  state: in memory only: lost when this process ends"
          + " (--state-dir D keeps it across restarts)");
    } else {
      out.println("  state: RocksDB in " + state.root() + ", incremental checkpoints retained;"
          + resumeFrom.map(p -> " resuming from " + p).orElse(" starting fresh"));
    }
    out.println("  web UI: http://localhost:" + web + "; Prometheus metrics:"
        + " http://localhost:" + metrics + "/metrics");
    out.flush();
    KafkaPreflight.check(options.kafkaSettings(), options.inputTopics());

    if (stopped.isDone()) {
      out.println("rnnstream run: SIG" + stopped.get() + " received before the job started");
      return 0;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    if (options.parallelism() != null) {
      env.setParallelism(options.parallelism());
    }
    JobClient job = options.job().start(env);
    CompletableFuture<?> result = job.getJobExecutionResult();
    RunStatus status = new RunStatus();
    ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rnnstream-status");
      t.setDaemon(true);
      return t;
    });
    printer.scheduleAtFixedRate(() -> out.println("rnnstream run: " + status.line()),
        statusInterval.toMillis(), statusInterval.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return await(job, result, stopped, state, out);
    } finally {
      printer.shutdownNow();
    }
  }

  /** Waits for the job to end, or for a signal, and then stops it. */
  private static int await(JobClient job, CompletableFuture<?> result,
      CompletableFuture<String> stopped, StateDirectory state, PrintStream out) throws Exception {
    CompletableFuture.anyOf(result, stopped).join();
    if (!stopped.isDone()) { // the job ended by itself: a bounded input, or a failure
      try {
        result.get();
      } catch (ExecutionException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        throw new IllegalStateException("the job failed: " + root, e);
      }
      return 0;
    }
    out.println("rnnstream run: SIG" + stopped.get() + " received, stopping");
    if (state != null) {
      out.println("rnnstream run: stopped with a savepoint at "
          + stopWithSavepoint(job, state));
    } else {
      job.cancel().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      out.println("rnnstream run: cancelled (state was in memory only)");
    }
    try {
      result.get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException expected) {
      // a cancelled job ends its result exceptionally; the stop itself was asked for
    }
    return 0;
  }

  private static void deleteQuietly(Path dir) {
    try {
      StateDirectory.deleteRecursively(dir);
    } catch (java.io.IOException e) {
      System.err.println("rnnstream run: could not delete " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Stops the job with a savepoint into the state directory. A job still deploying its tasks
   * cannot take one yet, so the stop is retried until {@value #STOP_TIMEOUT_SECONDS} s have
   * passed.
   */
  private static String stopWithSavepoint(JobClient job, StateDirectory state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
    while (true) {
      try {
        return job.stopWithSavepoint(false, state.savepoints().toUri().toString(),
            SavepointFormatType.CANONICAL).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not stop with a savepoint within "
              + STOP_TIMEOUT_SECONDS + " s: " + e.getCause().getMessage(), e);
        }
        Thread.sleep(500);
      }
    }
  }
}
