package io.rnnstream.models.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format ({@code torch.save}'s safe sibling, written by
 * {@code safetensors.torch.save_file(model.state_dict(), path)}): an 8-byte little-endian header
 * length, a JSON header {@code {name: {dtype, shape, data_offsets}}}, then raw little-endian
 * tensor bytes. F32, F16 and BF16 tensors are read and widened to float32.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  public static Map<String, Tensor> read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  public static Map<String, Tensor> parse(byte[] bytes, String origin) {
    if (bytes.length < 8) {
      throw new ModelFormatException(origin + ": not a safetensors file (shorter than 8 bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong();
    if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
      throw new ModelFormatException(
          origin + ": not a safetensors file (header length " + headerLength + " does not fit in "
              + bytes.length + " bytes)");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ModelFormatException(origin + ": corrupted safetensors header: " + e.getMessage());
    }
    int dataStart = 8 + (int) headerLength;
    int dataLength = bytes.length - dataStart;
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      out.put(e.getKey(), tensor(e.getKey(), e.getValue(), buf, dataStart, dataLength, origin));
    }
    return out;
  }

  private static Tensor tensor(
      String name, JsonNode node, ByteBuffer buf, int dataStart, int dataLength, String origin) {
    String dtype = node.path("dtype").asText();
    JsonNode shapeNode = node.path("shape");
    int[] shape = new int[shapeNode.size()];
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asInt();
      n *= shape[i];
    }
    long begin = node.path("data_offsets").path(0).asLong(-1);
    long end = node.path("data_offsets").path(1).asLong(-1);
    int width = switch (dtype) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      default -> throw new ModelFormatException(
          origin + ": tensor '" + name + "' has dtype " + dtype + "; supported are F32, F16 and"
              + " BF16 (convert with tensor.float() before saving)");
    };
    if (begin < 0 || end < begin || end > dataLength || end - begin != n * width) {
      throw new ModelFormatException(
          origin + ": tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] that do"
              + " not match its shape " + java.util.Arrays.toString(shape) + " x " + width
              + " bytes within " + dataLength + " data bytes (truncated file?)");
    }
    float[] data = new float[(int) n];
    int pos = dataStart + (int) begin;
    for (int i = 0; i < n; i++) {
      data[i] = switch (dtype) {
        case "F32" -> buf.getFloat(pos + 4 * i);
        case "F16" -> halfToFloat(buf.getShort(pos + 2 * i));
        default -> Float.intBitsToFloat((buf.getShort(pos + 2 * i) & 0xffff) << 16);
      };
    }
    return new Tensor(shape, data);
  }

  /** IEEE 754 binary16 to binary32, exact (subnormals, infinities and NaN included). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** Writes float32 tensors as safetensors (used by tests and exports). */
  public static byte[] toBytes(Map<String, Tensor> tensors) {
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (int d : e.getValue().shape()) {
        shape.add(d);
      }
      long size = 4L * e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(offset + size);
      offset += size;
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset))
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      buf.put((byte) ' ');
    }
    for (Tensor t : tensors.values()) {
      for (float v : t.data()) {
        buf.putFloat(v);
      }
    }
    return buf.array();
  }
}
