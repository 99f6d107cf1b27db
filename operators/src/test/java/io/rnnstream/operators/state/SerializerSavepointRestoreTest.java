package io.rnnstream.operators.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnEventSerializer;
import io.rnnstream.operators.api.RnnEventSerializerUpgradeTest;
import io.rnnstream.operators.api.RnnOutput;
import io.rnnstream.operators.api.RnnOutputSerializer;
import io.rnnstream.operators.api.RnnOutputSerializerUpgradeTest;
import io.rnnstream.operators.captions.CaptionState;
import io.rnnstream.operators.captions.CaptionStateSerializer;
import io.rnnstream.operators.captions.CaptionStateSerializerUpgradeTest;
import io.rnnstream.operators.inference.KeyState;
import io.rnnstream.operators.inference.KeyStateSerializer;
import io.rnnstream.operators.inference.KeyStateSerializerUpgradeTest;
import io.rnnstream.operators.inference.SequenceState;
import io.rnnstream.operators.inference.SequenceStateSerializer;
import io.rnnstream.operators.inference.SequenceStateSerializerUpgradeTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The five state types through Flink's own restore, on heap and RocksDB state: an operator's
 * keyed snapshot holding one value of each (committed as {@code
 * serializer-snapshots/operator-<backend>-<build>.snapshot}, written by {@link #main} with the
 * build named in the file) restores into this build, the values read back equal and the job
 * snapshots again; the same snapshot claiming a newer {@link KeyState} format fails at restore
 * with the message naming the type and the versions.
 */
class SerializerSavepointRestoreTest {

  static final String KEY = "k";

  /** One state of each type, with its serializer, the value written and how to compare it. */
  record Slot<T>(String name, TypeSerializer<T> serializer, T value, BiConsumer<T, T> same) {
    ValueState<T> state(KeyedStateBackend<String> backend) throws Exception {
      return backend.getPartitionedState(VoidNamespace.INSTANCE,
          VoidNamespaceSerializer.INSTANCE, new ValueStateDescriptor<>(name, serializer));
    }

    void write(KeyedStateBackend<String> backend) throws Exception {
      state(backend).update(value);
    }

    void check(KeyedStateBackend<String> backend) throws Exception {
      T read = state(backend).value();
      assertThat(read).as(name).isNotNull();
      same.accept(read, value);
    }
  }

  static List<Slot<?>> slots() {
    return List.of(
        new Slot<RnnEvent>("event", RnnEventSerializer.INSTANCE,
            RnnEventSerializerUpgradeTest.records().get(0),
            RnnEventSerializerUpgradeTest::same),
        new Slot<RnnOutput>("output", RnnOutputSerializer.INSTANCE,
            RnnOutputSerializerUpgradeTest.records().get(0),
            RnnOutputSerializerUpgradeTest::same),
        new Slot<SequenceState>("sequence", SequenceStateSerializer.INSTANCE,
            SequenceStateSerializerUpgradeTest.records().get(0),
            SequenceStateSerializerUpgradeTest::same),
        new Slot<KeyState>("key", KeyStateSerializer.INSTANCE,
            KeyStateSerializerUpgradeTest.records().get(0),
            KeyStateSerializerUpgradeTest::same),
        new Slot<CaptionState>("caption", CaptionStateSerializer.INSTANCE,
            CaptionStateSerializerUpgradeTest.records().get(0),
            CaptionStateSerializerUpgradeTest::same));
  }

  /** Holds no state of its own: the test reads and writes the backend directly. */
  static final class NoOp extends KeyedProcessFunction<String, String, String> {
    @Override
    public void processElement(String value, Context ctx, Collector<String> out) {}
  }

  static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(boolean rocksDb,
      OperatorSubtaskState restore) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new NoOp()), (String s) -> s, Types.STRING);
    if (rocksDb) {
      h.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
    h.setup();
    if (restore == null) {
      h.initializeEmptyState();
    } else {
      h.initializeState(restore);
    }
    h.open();
    return h;
  }

  static KeyedStateBackend<String> backend(
      KeyedOneInputStreamOperatorTestHarness<String, String, String> h) {
    KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(KEY);
    return backend;
  }

  /**
   * Writes this build's snapshots, {@code operator-heap-<build>.snapshot} and {@code
   * operator-rocksdb-<build>.snapshot}, where {@code <build>} is the first argument (the
   * serializer snapshot layout and format, say {@code snapshot4-format1}); never overwrites one.
   */
  public static void main(String[] args) throws Exception {
    String build = args[0];
    for (boolean rocksDb : new boolean[] {false, true}) {
      Path file = SerializerFixtures.DIR.resolve(
          "operator-" + (rocksDb ? "rocksdb" : "heap") + "-" + build + ".snapshot");
      if (Files.exists(file)) {
        System.out.println("kept " + file + " (a fixture is never overwritten)");
        continue;
      }
      try (var h = harness(rocksDb, null)) {
        KeyedStateBackend<String> backend = backend(h);
        for (Slot<?> slot : slots()) {
          slot.write(backend);
        }
        OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 1), file.toString());
      }
      System.out.println("wrote " + file);
    }
  }

  static Stream<Object[]> snapshots() throws IOException {
    try (Stream<Path> files = Files.list(SerializerFixtures.DIR)) {
      List<Path> found = files.filter(p -> p.getFileName().toString().startsWith("operator-"))
          .sorted().toList();
      assertThat(found).as("operator-*.snapshot in %s", SerializerFixtures.DIR).isNotEmpty();
      return found.stream().map(p -> new Object[] {
          p.getFileName().toString(), p, p.getFileName().toString().contains("rocksdb")});
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snapshots")
  void shouldRestoreEveryStateTypeAndSnapshotAgain(String name, Path file, boolean rocksDb)
      throws Exception {
    OperatorSubtaskState again;
    try (var h = harness(rocksDb, OperatorSnapshotUtil.readStateHandle(file.toString()))) {
      KeyedStateBackend<String> backend = backend(h);
      for (Slot<?> slot : slots()) {
        slot.check(backend);
        slot.write(backend);
      }
      again = h.snapshot(2, 2);
    }
    try (var h = harness(rocksDb, again)) {
      KeyedStateBackend<String> backend = backend(h);
      for (Slot<?> slot : slots()) {
        slot.check(backend);
      }
    }
  }

  /** The snapshots whose serializer snapshots are versioned (this build's layout). */
  static Stream<Object[]> versionedSnapshots() throws IOException {
    return snapshots().filter(a -> ((String) a[0]).contains(
        "-snapshot" + VersionedSerializerSnapshot.SNAPSHOT_VERSION + "-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("versionedSnapshots")
  void shouldRefuseKeyStateOfANewerFormatAtRestoreNamingTheVersions(String name, Path file,
      boolean rocksDb) throws Exception {
    Path future = Files.createTempFile("future-key-state", ".snapshot");
    try {
      Files.write(future, withFutureKeyStateFormat(Files.readAllBytes(file)));
      assertThatThrownBy(() -> {
        try (var h = harness(rocksDb, OperatorSnapshotUtil.readStateHandle(future.toString()))) {
          new Slot<>("key", KeyStateSerializer.INSTANCE, null, (a, b) -> {}).state(backend(h));
        }
      }).hasStackTraceContaining("KeyState state in format version "
          + (KeyStateSerializer.FORMAT_VERSION + 1) + " cannot be read by this rnnstream build,"
          + " which reads KeyState format version " + KeyStateSerializer.FORMAT_VERSION);
    } finally {
      Files.deleteIfExists(future);
    }
  }

  /**
   * The snapshot with its {@link KeyState} serializer snapshot rewritten as a newer build would
   * write it: the format version after the class name and snapshot version becomes {@code
   * FORMAT_VERSION + 1} (in place: the bytes keep their length).
   */
  static byte[] withFutureKeyStateFormat(byte[] bytes) {
    byte[] name = KeyStateSerializer.Snapshot.class.getName().getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, name);
    assertThat(at).as("KeyState serializer snapshot in the operator snapshot").isPositive();
    int version = at + name.length;
    int snapshotVersion = readInt(bytes, version);
    assertThat(snapshotVersion).isEqualTo(VersionedSerializerSnapshot.SNAPSHOT_VERSION);
    writeInt(bytes, version + 4, KeyStateSerializer.FORMAT_VERSION + 1);
    assertThat(indexOf(bytes, name, at + 1)).as("a second KeyState snapshot").isNegative();
    return bytes;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    return indexOf(haystack, needle, 0);
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
  }

  static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
