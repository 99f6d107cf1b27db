package io.rnnstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code ./rnnstream <command>}: the command-line contract of {@code docs/cli.md}. Commands read
 * JSON lines on stdin (or {@code --input}) and print one JSON line per input line on stdout;
 * diagnostics go to stderr so that stdout stays machine-readable.
 */
@Command(
    name = "rnnstream",
    mixinStandardHelpOptions = true,
    versionProvider = RnnstreamCli.Version.class,
    description = "Stateful RNN inference for Apache Flink: import, inspect and run models.",
    subcommands = {
      ImportCommand.class,
      InferCommand.class,
      CtcCommand.class,
      TranscribeCommand.class,
      RunCommand.class,
      DemoCommand.class,
      TrainCommand.class,
      PublishCommand.class,
      SignCommand.class,
      VerifyCommand.class,
      ClassifyCommand.class,
      TagCommand.class,
      KafkaCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RnnstreamCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and returns its exit code (0 ok, 1 bad input, 2 usage error). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new RnnstreamCli());
    addHelpOptions(cli);
    return cli
        .setExecutionExceptionHandler((ex, cmd, parsed) -> {
          cmd.getErr().println("rnnstream " + cmd.getCommandName() + ": " + message(ex));
          return 1;
        })
        .execute(args);
  }

  /**
   * {@code -h/--help} on every command ({@code rnnstream demo --help}). Not through the root's
   * standard options: their {@code --version} would clash with the {@code --version} of
   * {@code import} and {@code publish}, and {@code help} has its own {@code -h}.
   */
  private static void addHelpOptions(CommandLine cli) {
    cli.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().optionsMap().containsKey("--help")) {
        sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
            .usageHelp(true).description("Show this help message and exit.").build());
      }
    });
  }

  static String message(Throwable ex) {
    if (ex instanceof java.nio.file.NoSuchFileException nf) {
      return "no such file: " + nf.getFile();
    }
    return ex.getMessage() == null ? ex.toString() : ex.getMessage();
  }

  /** Version from the jar manifest, or "dev". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RnnstreamCli.class.getPackage().getImplementationVersion();
      return new String[] {"rnnstream " + (v == null ? "dev" : v)};
    }
  }
}
