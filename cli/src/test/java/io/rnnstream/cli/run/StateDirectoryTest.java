package io.rnnstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a durable run resumes: the newest complete checkpoint or savepoint that Flink can read. */
class StateDirectoryTest {
  /** A checkpoint directory with readable metadata, completed {@code secondsAgo} ago. */
  static Path checkpoint(Path dir, long id, long secondsAgo) throws Exception {
    Path chk = Files.createDirectories(dir.resolve("chk-" + id));
    Path metadata = chk.resolve("_metadata");
    try (OutputStream out = Files.newOutputStream(metadata)) {
      Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(id, List.of(), List.of()), out);
    }
    Files.setLastModifiedTime(metadata, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
    return chk;
  }

  @Test
  void shouldResumeFromTheNewestReadableCheckpointAndSayWhichItPassedOver(@TempDir Path root)
      throws Exception {
    StateDirectory state = new StateDirectory(root);
    state.create();
    Path jobs = state.root().resolve("checkpoints").resolve("job");
    assertThat(state.latest()).as("nothing yet").isEmpty();
    Path older = checkpoint(jobs, 7, 20);
    Path newest = checkpoint(jobs, 8, 10);
    assertThat(state.latest()).contains(newest);

    // a crash while the newest metadata was written, or a damaged disk
    byte[] whole = Files.readAllBytes(newest.resolve("_metadata"));
    Files.write(newest.resolve("_metadata"), Arrays.copyOf(whole, whole.length / 2));
    Files.setLastModifiedTime(newest.resolve("_metadata"),
        FileTime.from(Instant.now().minusSeconds(10)));
    List<String> skipped = new ArrayList<>();
    assertThat(state.latest(skipped::add)).contains(older);
    assertThat(skipped).singleElement().asString()
        .startsWith(newest + ": its metadata cannot be read");

    Files.write(older.resolve("_metadata"), new byte[] {1, 2, 3});
    assertThat(state.latest()).as("no checkpoint can be read").isEmpty();
  }

  @Test
  void shouldEmptyItsWorkingDirectoryAtStart(@TempDir Path root) throws Exception {
    StateDirectory state = new StateDirectory(root);
    state.create();
    Path leftover = Files.writeString(root.resolve("tmp").resolve("flink-rpc-akka.jar"), "x");
    new StateDirectory(root).create();
    assertThat(leftover).doesNotExist();
    assertThat(root.resolve("tmp")).isDirectory();
  }
}
