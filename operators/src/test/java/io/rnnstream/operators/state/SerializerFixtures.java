package io.rnnstream.operators.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.operators.api.RnnEventSerializer;
import io.rnnstream.operators.api.RnnEventSerializerUpgradeTest;
import io.rnnstream.operators.api.RnnOutputSerializer;
import io.rnnstream.operators.api.RnnOutputSerializerUpgradeTest;
import io.rnnstream.operators.captions.CaptionStateSerializer;
import io.rnnstream.operators.captions.CaptionStateSerializerUpgradeTest;
import io.rnnstream.operators.inference.KeyStateSerializer;
import io.rnnstream.operators.inference.KeyStateSerializerUpgradeTest;
import io.rnnstream.operators.inference.SequenceStateSerializer;
import io.rnnstream.operators.inference.SequenceStateSerializerUpgradeTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Golden serializer fixtures: what a savepoint holds for a state type, written by one build and
 * read by every later one. A fixture is a text file of hex lines:
 *
 * <pre>
 * # comment lines
 * snapshot &lt;hex&gt;   the serializer's snapshot as Flink writes it into a savepoint's meta data
 *                   ({@link TypeSerializerSnapshotSerializationUtil#writeSerializerSnapshot}:
 *                   proxy version, snapshot class name, snapshot version, snapshot payload)
 * record &lt;hex&gt;     one record as the serializer wrote it, in the order of the type's
 *                   {@code records()}
 * </pre>
 *
 * <p>{@link #main} writes the fixtures of the current build under
 * {@code src/test/resources/serializer-snapshots/}, one file per type and snapshot version, and
 * never overwrites one: a committed fixture is what an older build wrote, so it is regenerated
 * only by hand (delete it first), never to make a failing test pass. Run it from the
 * {@code operators} directory with the module's test class path (from the IDE, or
 * {@code java -cp target/test-classes:target/classes:<mvn dependency:build-classpath>}).
 */
public final class SerializerFixtures {

  /** Where the fixtures live, relative to the {@code operators} module. */
  public static final Path DIR = Path.of("src/test/resources/serializer-snapshots");

  private SerializerFixtures() {}

  /** One fixture file: the snapshot bytes and the records. */
  public record Fixture(Path file, byte[] snapshot, List<byte[]> records) {}

  // ---------------------------------------------------------------- writing

  /** Writes the current build's fixtures of the five state types (see the class comment). */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : DIR;
    Files.createDirectories(dir);
    write(dir, "rnn-event", RnnEventSerializer.INSTANCE,
        RnnEventSerializerUpgradeTest.records());
    write(dir, "rnn-output", RnnOutputSerializer.INSTANCE,
        RnnOutputSerializerUpgradeTest.records());
    write(dir, "sequence-state", SequenceStateSerializer.INSTANCE,
        SequenceStateSerializerUpgradeTest.records());
    write(dir, "key-state", KeyStateSerializer.INSTANCE,
        KeyStateSerializerUpgradeTest.records());
    write(dir, "caption-state", CaptionStateSerializer.INSTANCE,
        CaptionStateSerializerUpgradeTest.records());
  }

  /**
   * Writes {@code <name>-snapshot<snapshot version>[-format<format version>].hex} unless it
   * exists; returns the file.
   */
  static <T> Path write(Path dir, String name, TypeSerializer<T> serializer, List<T> records)
      throws IOException {
    TypeSerializerSnapshot<T> snapshot = serializer.snapshotConfiguration();
    String suffix = "-snapshot" + snapshot.getCurrentVersion()
        + (snapshot instanceof VersionedSerializerSnapshot<?> v
            ? "-format" + v.formatVersion() : "");
    Path file = dir.resolve(name + suffix + ".hex");
    if (Files.exists(file)) {
      System.out.println("kept " + file + " (a fixture is never overwritten)");
      return file;
    }
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, snapshot);
    StringBuilder text = new StringBuilder()
        .append("# ").append(serializer.getClass().getName()).append(": snapshot ")
        .append(snapshot.getClass().getName()).append(" version ")
        .append(snapshot.getCurrentVersion()).append(", ").append(records.size())
        .append(" records\n")
        .append("# written by io.rnnstream.operators.state.SerializerFixtures; never edit or"
            + " regenerate to make a test pass\n")
        .append("snapshot ").append(HexFormat.of().formatHex(out.getCopyOfBuffer())).append('\n');
    for (T record : records) {
      text.append("record ").append(HexFormat.of().formatHex(bytes(serializer, record)))
          .append('\n');
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
    System.out.println("wrote " + file);
    return file;
  }

  // ---------------------------------------------------------------- reading

  /** Every committed fixture of type {@code name}, oldest snapshot version first. */
  public static List<Fixture> fixtures(String name) {
    try (Stream<Path> files = Files.list(DIR)) {
      List<Fixture> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(name + "-snapshot"))
          .sorted().toList()) {
        out.add(read(f));
      }
      assertThat(out).as("fixtures %s-snapshot*.hex in %s", name, DIR).isNotEmpty();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Fixture read(Path file) throws IOException {
    byte[] snapshot = null;
    List<byte[]> records = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      } else if (line.startsWith("snapshot ")) {
        snapshot = HexFormat.of().parseHex(line.substring("snapshot ".length()));
      } else if (line.startsWith("record ")) {
        records.add(HexFormat.of().parseHex(line.substring("record ".length())));
      } else {
        throw new IOException(file + ": unexpected line " + line);
      }
    }
    if (snapshot == null) {
      throw new IOException(file + ": no snapshot line");
    }
    return new Fixture(file, snapshot, records);
  }

  /** Reads a snapshot as Flink reads it from a savepoint's meta data. */
  public static <T> TypeSerializerSnapshot<T> readSnapshot(byte[] bytes) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    TypeSerializerSnapshot<T> snapshot = TypeSerializerSnapshotSerializationUtil
        .readSerializerSnapshot(in, SerializerFixtures.class.getClassLoader());
    assertThat(in.available()).as("snapshot bytes left unread").isZero();
    return snapshot;
  }

  /** Writes a snapshot as Flink writes it into a savepoint's meta data. */
  public static byte[] writeSnapshot(TypeSerializerSnapshot<?> snapshot) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, snapshot);
    return out.getCopyOfBuffer();
  }

  public static <T> byte[] bytes(TypeSerializer<T> serializer, T record) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(record, out);
    return out.getCopyOfBuffer();
  }

  // ---------------------------------------------------------------- the upgrade check

  /**
   * What a restore does with every fixture of {@code name}: reads the snapshot, asks the current
   * serializer's snapshot whether it reads the old state ({@code resolveSchemaCompatibility},
   * which must answer compatible as is), then reads each record with the restored serializer and
   * with the current one and hands both to {@code same} with the record the fixture was written
   * from. A record the current build writes again must come out as the bytes it was read from
   * (true while the record format is the one the fixture was written in; a new format compares
   * with the expected record instead).
   */
  public static <T> void assertRestoresAsIs(String name, TypeSerializer<T> current,
      List<T> expected, BiConsumer<T, T> same) throws IOException {
    for (Fixture f : fixtures(name)) {
      TypeSerializerSnapshot<T> old = readSnapshot(f.snapshot());
      TypeSerializerSchemaCompatibility<T> compatibility =
          current.snapshotConfiguration().resolveSchemaCompatibility(old);
      assertThat(compatibility.isCompatibleAsIs())
          .as("%s: %s compatible as is, not %s", f.file(), old, compatibility).isTrue();
      TypeSerializer<T> restored = old.restoreSerializer();
      assertThat(f.records()).as("%s records", f.file()).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        byte[] record = f.records().get(i);
        T byRestored = restored.deserialize(new DataInputDeserializer(record));
        T byCurrent = current.deserialize(new DataInputDeserializer(record));
        same.accept(byRestored, expected.get(i));
        same.accept(byCurrent, expected.get(i));
        assertThat(bytes(current, byCurrent)).as("%s record %d written again", f.file(), i)
            .isEqualTo(record);
      }
    }
  }

  // ---------------------------------------------------------------- other builds' snapshots

  /**
   * The bytes a savepoint holds for a {@link VersionedSerializerSnapshot} of another build: the
   * snapshot class, snapshot version {@code snapshotVersion} and format version
   * {@code formatVersion}, as {@link TypeSerializerSnapshotSerializationUtil} writes them.
   */
  public static byte[] snapshotBytes(Class<?> snapshotClass, int snapshotVersion,
      int formatVersion) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeInt(2); // TypeSerializerSnapshotSerializationProxy's own version
    out.writeUTF(snapshotClass.getName());
    out.writeInt(snapshotVersion);
    out.writeInt(formatVersion);
    return out.getCopyOfBuffer();
  }

  /**
   * The current serializer's snapshot, written and read back as Flink does at a checkpoint and a
   * restore: the current format, compatible as is, restoring the current serializer.
   */
  public static <T> void assertWritesAndRestoresItsVersionedSnapshot(TypeSerializer<T> current,
      int formatVersion) throws IOException {
    TypeSerializerSnapshot<T> written = current.snapshotConfiguration();
    assertThat(written).isInstanceOf(VersionedSerializerSnapshot.class);
    assertThat(written.getCurrentVersion()).isEqualTo(VersionedSerializerSnapshot.SNAPSHOT_VERSION);
    TypeSerializerSnapshot<T> read = readSnapshot(writeSnapshot(written));
    assertThat(read).isEqualTo(written).hasSameClassAs(written);
    assertThat(((VersionedSerializerSnapshot<T>) read).formatVersion()).isEqualTo(formatVersion);
    assertThat(current.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
        .isTrue();
    assertThat(read.restoreSerializer()).isSameAs(current);
  }

  /**
   * A savepoint of a build whose {@code typeName} records have format {@code formatVersion},
   * which this build does not read: incompatible at restore, and the restored snapshot's
   * serializer, which Flink asks for before anything is read, fails with a message naming the
   * type, that format and the format this build reads.
   */
  public static <T> void assertRefusesFormat(TypeSerializer<T> current, String typeName,
      int formatVersion, int currentFormatVersion) throws IOException {
    TypeSerializerSnapshot<T> old = readSnapshot(snapshotBytes(
        current.snapshotConfiguration().getClass(), VersionedSerializerSnapshot.SNAPSHOT_VERSION,
        formatVersion));
    assertThat(old).hasToString(typeName + " serializer snapshot (format version "
        + formatVersion + ")");
    assertThat(current.snapshotConfiguration().resolveSchemaCompatibility(old).isIncompatible())
        .as("format %d against this build's %d", formatVersion, currentFormatVersion).isTrue();
    assertThatThrownBy(old::restoreSerializer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(typeName + " state in format version " + formatVersion
            + " cannot be read")
        .hasMessageContaining("reads " + typeName + " format version " + currentFormatVersion)
        .hasMessageContaining(formatVersion > currentFormatVersion ? "newer build" : "older build");
  }

  /** A snapshot layout this build does not know fails to read, naming the type and version. */
  public static <T> void assertRefusesSnapshotVersion(TypeSerializer<T> current, String typeName,
      int snapshotVersion) throws IOException {
    byte[] bytes = snapshotBytes(current.snapshotConfiguration().getClass(), snapshotVersion, 1);
    assertThatThrownBy(() -> readSnapshot(bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Unsupported " + typeName + " serializer snapshot version "
            + snapshotVersion);
  }

  /** Another serializer's snapshot of the same type is incompatible. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T> void assertIncompatibleWithAnotherSerializer(TypeSerializer<T> current) {
    TypeSerializerSnapshot foreign =
        org.apache.flink.api.common.typeutils.base.IntSerializer.INSTANCE.snapshotConfiguration();
    assertThat(current.snapshotConfiguration().resolveSchemaCompatibility(foreign)
        .isIncompatible()).isTrue();
  }
}
