package io.rnnstream.models.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.ModelFormatException;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model snapshot file: what trainers write, Kafka carries and jobs load.
 *
 * <pre>
 * offset  size  content
 * 0       8     magic "RNNSNAP\n" ({@link #MAGIC})
 * 8       4     format version, big-endian int ({@link #FORMAT_VERSION})
 * 12      4     header length N, big-endian int
 * 16      N     UTF-8 JSON header: {"spec": ModelSpec, "info": ModelInfo,
 *                                   "tensors": [{"name", "shape"}, ...]}
 * 16+N    4*K   tensor data, float32 little-endian, in header order, row-major
 * end-32  32    SHA-256 of every byte before it
 * </pre>
 *
 * The architecture and metadata are JSON so that new optional fields need no format bump; the
 * version changes only when the binary layout does, and readers reject versions they do not
 * know with a message saying to upgrade.
 */
public final class SnapshotFormat {
  /** First 8 bytes of every snapshot. */
  public static final byte[] MAGIC = "RNNSNAP\n".getBytes(StandardCharsets.US_ASCII);

  public static final int FORMAT_VERSION = 1;
  private static final int SHA_BYTES = 32;
  private static final int PREAMBLE = MAGIC.length + 8;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Header record (JSON). */
  record Header(
      @JsonProperty("spec") ModelSpec spec,
      @JsonProperty("info") ModelInfo info,
      @JsonProperty("tensors") List<TensorEntry> tensors) {}

  /** One tensor's name and shape in the header. */
  record TensorEntry(@JsonProperty("name") String name, @JsonProperty("shape") int[] shape) {}

  private SnapshotFormat() {}

  public static byte[] toBytes(RnnModel model) {
    List<TensorEntry> entries = new ArrayList<>();
    long floats = 0;
    for (Map.Entry<String, Tensor> e : model.tensors().entrySet()) {
      entries.add(new TensorEntry(e.getKey(), e.getValue().shape()));
      floats += e.getValue().data().length;
    }
    byte[] header;
    try {
      header = JSON.writeValueAsBytes(new Header(model.spec(), model.info(), entries));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode snapshot header", e);
    }
    long size = PREAMBLE + header.length + 4 * floats + SHA_BYTES;
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size));
    buf.put(MAGIC).putInt(FORMAT_VERSION).putInt(header.length).put(header);
    buf.order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor t : model.tensors().values()) {
      for (float v : t.data()) {
        buf.putFloat(v);
      }
    }
    buf.put(sha256(buf.array(), buf.position()));
    return buf.array();
  }

  public static void write(RnnModel model, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, toBytes(model));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static RnnModel read(Path file) throws IOException {
    return fromBytes(Files.readAllBytes(file), file.toString());
  }

  /**
   * Parses and validates a snapshot: magic, format version, checksum, header, tensor sizes,
   * shapes and finiteness (the latter two via {@link RnnModel#create}).
   *
   * @throws ModelFormatException saying what is wrong with the bytes
   */
  public static RnnModel fromBytes(byte[] bytes, String origin) {
    if (bytes.length < PREAMBLE + SHA_BYTES) {
      throw new ModelFormatException(
          origin + ": truncated: " + bytes.length + " bytes is shorter than any snapshot");
    }
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new ModelFormatException(
          origin + ": not an rnnstream model snapshot (bad magic bytes); import PyTorch weights"
              + " with 'rnnstream import'");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.position(MAGIC.length);
    int version = buf.getInt();
    if (version > FORMAT_VERSION || version < 1) {
      throw new ModelFormatException(
          origin + ": snapshot format version " + version + " is not supported (this rnnstream"
              + " reads version " + FORMAT_VERSION + "); upgrade rnnstream or re-export the model"
              + " with the matching version");
    }
    int headerLength = buf.getInt();
    if (headerLength < 0 || PREAMBLE + (long) headerLength + SHA_BYTES > bytes.length) {
      throw new ModelFormatException(
          origin + ": truncated: header of " + headerLength + " bytes does not fit in "
              + bytes.length + " bytes");
    }
    byte[] stored = Arrays.copyOfRange(bytes, bytes.length - SHA_BYTES, bytes.length);
    byte[] actual = sha256(bytes, bytes.length - SHA_BYTES);
    if (!MessageDigest.isEqual(stored, actual)) {
      throw new ModelFormatException(
          origin + ": checksum mismatch (SHA-256 " + HexFormat.of().formatHex(actual)
              + " != stored " + HexFormat.of().formatHex(stored) + "): the file is corrupted or truncated");
    }
    Header header;
    try {
      header = JSON.readValue(bytes, PREAMBLE, headerLength, Header.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelFormatException(origin + ": corrupted header: " + e.getMessage(), e);
    }
    long floats = 0;
    for (TensorEntry t : header.tensors()) {
      long n = 1;
      for (int d : t.shape()) {
        n *= d;
      }
      floats += n;
    }
    long expected = PREAMBLE + (long) headerLength + 4 * floats + SHA_BYTES;
    if (bytes.length != expected) {
      throw new ModelFormatException(
          origin + ": " + (bytes.length < expected ? "truncated" : "trailing bytes") + ": the"
              + " header describes " + expected + " bytes, the file has " + bytes.length);
    }
    buf.position(PREAMBLE + headerLength);
    buf.order(ByteOrder.LITTLE_ENDIAN);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (TensorEntry t : header.tensors()) {
      int n = 1;
      for (int d : t.shape()) {
        n *= d;
      }
      float[] data = new float[n];
      buf.asFloatBuffer().get(data);
      buf.position(buf.position() + 4 * n);
      tensors.put(t.name(), new Tensor(t.shape(), data));
    }
    return RnnModel.create(header.spec(), tensors, header.info(), origin);
  }

  /** Hex SHA-256 of a whole snapshot file's bytes (what Kafka envelopes carry). */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes, bytes.length));
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
