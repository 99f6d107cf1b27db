package io.rnnstream.jobs;

import picocli.CommandLine;

/**
 * The job jar's entry point: {@code flink run rnnstream-jobs.jar sentiment|slots|captions
 * --bootstrap HOST:PORT [options]} runs {@link JobCommand} (the options of {@link RunOptions},
 * which the CLI's {@code run} shares) on the cluster the jar was submitted to.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int rc = new CommandLine(new JobCommand())
        .setExecutionExceptionHandler((ex, cmd, parsed) -> {
          cmd.getErr().println("rnnstream-jobs: "
              + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          return 1;
        })
        .execute(args);
    if (rc != 0) {
      System.exit(rc);
    }
  }
}
