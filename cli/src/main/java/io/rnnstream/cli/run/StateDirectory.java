package io.rnnstream.cli.run;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.checkpoint.Checkpoints;

/**
 * The directory of a durable local run ({@code run ... --state-dir D}): RocksDB state with
 * incremental checkpoints, retained when the process ends, so that the same command started
 * again resumes where the last one left off.
 *
 * <pre>
 * D/checkpoints/&lt;job id&gt;/chk-N/_metadata   retained checkpoints (the newest {@value #RETAINED})
 * D/checkpoints/&lt;job id&gt;/shared/           files incremental checkpoints share
 * D/savepoints/savepoint-.../_metadata      savepoints (SIGTERM writes one)
 * D/tmp/                                    the local cluster's working files
 * </pre>
 *
 * A checkpoint or savepoint is complete once its {@code _metadata} file exists (Flink writes it
 * last); a run resumes from the newest one, by that file's modification time, whose metadata
 * Flink can read. A newer one whose metadata is corrupt or truncated is passed over, and said so.
 */
public final class StateDirectory {
  /** How many completed checkpoints Flink keeps (older ones are deleted as new ones complete). */
  static final int RETAINED = 3;
  private static final String METADATA = "_metadata";

  private final Path root;

  public StateDirectory(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  Path checkpoints() {
    return root.resolve("checkpoints");
  }

  public Path savepoints() {
    return root.resolve("savepoints");
  }

  Path tmp() {
    return root.resolve("tmp");
  }

  /**
   * Creates the directories, and empties {@code tmp}: what a run killed earlier left there is of
   * no use to the next. A path that exists but is not a directory is refused.
   */
  public void create() throws IOException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IllegalArgumentException("--state-dir " + root + " is not a directory");
    }
    Files.createDirectories(checkpoints());
    Files.createDirectories(savepoints());
    if (Files.exists(tmp())) {
      deleteRecursively(tmp());
    }
    Files.createDirectories(tmp());
  }

  /** Deletes {@code dir} and everything in it. */
  public static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** Puts every working file of the local cluster (web uploads included) under {@code dir}. */
  public static void workingFilesIn(Configuration conf, Path dir) {
    conf.set(CoreOptions.TMP_DIRS, dir.toString());
    conf.set(WebOptions.TMP_DIR, dir.toString());
    conf.set(WebOptions.UPLOAD_DIR, dir.toString());
  }

  /** Flink settings that keep the run's state here: RocksDB, incremental, retained. */
  public void configure(Configuration conf) {
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints().toUri().toString());
    conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints().toUri().toString());
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, RETAINED);
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    workingFilesIn(conf, tmp());
  }

  /** The newest complete checkpoint or savepoint in this directory that can be read, if any. */
  public Optional<Path> latest() {
    return latest(skipped -> {});
  }

  /**
   * The newest complete checkpoint or savepoint whose metadata reads; every newer one that does
   * not is reported to {@code skipped} with the reason.
   */
  public Optional<Path> latest(Consumer<String> skipped) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    List<Path> complete;
    try (Stream<Path> files = Files.find(root, 4, (p, attrs) -> attrs.isRegularFile()
        && p.getFileName().toString().equals(METADATA) && !p.startsWith(tmp()))) {
      complete = files.sorted(Comparator.comparing(StateDirectory::modified).reversed())
          .map(Path::getParent).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state directory " + root, e);
    }
    for (Path candidate : complete) {
      String problem = unreadable(candidate);
      if (problem == null) {
        return Optional.of(candidate);
      }
      skipped.accept(candidate + ": " + problem);
    }
    return Optional.empty();
  }

  /** Why Flink could not read the metadata of the checkpoint in {@code dir}, or null. */
  static String unreadable(Path dir) {
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(dir.resolve(METADATA))))) {
      Checkpoints.loadCheckpointMetadata(in, StateDirectory.class.getClassLoader(),
          dir.toUri().toString());
      return null;
    } catch (IOException | RuntimeException e) {
      return "its metadata cannot be read (" + e + ")";
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
