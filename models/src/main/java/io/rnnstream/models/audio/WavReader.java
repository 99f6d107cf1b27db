package io.rnnstream.models.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files holding 16 kHz mono 16-bit PCM (what {@code data/speech/synth.sh} writes).
 * Any other content fails with a message that names what was found and what is needed: compressed or
 * float formats, other sample rates, channel counts or sample widths, truncated files. Chunks other
 * than {@code fmt } and {@code data} (LIST, fact, ...) are skipped. {@code WAVE_FORMAT_EXTENSIBLE}
 * is accepted when its sub-format is PCM. A data chunk whose size is a streaming placeholder
 * ({@code 0}, {@code 0xFFFFFFFF}, or espeak-ng's {@code --stdout} value {@code 0x7FFFF000}) extends to
 * the end of the file.
 */
public final class WavReader {
  /** The only sample rate accepted. */
  public static final int SAMPLE_RATE = 16_000;

  private static final int WAVE_FORMAT_PCM = 1;
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

  private WavReader() {}

  /** The samples of a 16 kHz mono PCM16 WAV file. */
  public static short[] read(Path file) throws IOException {
    try {
      return parse(Files.readAllBytes(file));
    } catch (WavFormatException e) {
      throw new WavFormatException(file + ": " + e.getMessage());
    }
  }

  public static short[] read(InputStream in) throws IOException {
    return parse(in.readAllBytes());
  }

  /** Samples scaled to [-1, 1) (PCM16 / 32768), as {@code torchaudio.load} returns them. */
  public static float[] readFloat(Path file) throws IOException {
    short[] s = read(file);
    float[] f = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      f[i] = s[i] / 32768f;
    }
    return f;
  }

  /** Parses a whole WAV file held in memory. */
  public static short[] parse(byte[] bytes) throws WavFormatException {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 12 || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")) {
      String what = bytes.length >= 4 && tag(bytes, 0, "RIFX") ? "a big-endian RIFX file" : "not a RIFF/WAVE file";
      throw new WavFormatException(what + ": need a RIFF/WAVE file with 16 kHz mono 16-bit PCM");
    }
    boolean haveFmt = false;
    int pos = 12;
    while (pos + 8 <= bytes.length) {
      String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
      int body = pos + 8;
      if (id.equals("fmt ")) {
        if (size < 16 || body + size > bytes.length) {
          throw new WavFormatException("fmt chunk of " + size + " bytes is truncated or too short");
        }
        int format = b.getShort(body) & 0xFFFF;
        int channels = b.getShort(body + 2) & 0xFFFF;
        int rate = b.getInt(body + 4);
        int bits = b.getShort(body + 14) & 0xFFFF;
        if (format == WAVE_FORMAT_EXTENSIBLE && size >= 26) {
          format = b.getShort(body + 24) & 0xFFFF; // first two bytes of the sub-format GUID
        }
        if (format != WAVE_FORMAT_PCM) {
          throw new WavFormatException(
              "audio format " + formatName(format) + ": need PCM (format 1); convert with sox IN -e signed-integer -b 16 OUT");
        }
        if (channels != 1) {
          throw new WavFormatException(channels + " channels: need mono; convert with sox IN -c 1 OUT");
        }
        if (rate != SAMPLE_RATE) {
          throw new WavFormatException(rate + " Hz: need 16000 Hz; resample with sox IN -r 16000 OUT");
        }
        if (bits != 16) {
          throw new WavFormatException(bits + " bits per sample: need 16; convert with sox IN -b 16 OUT");
        }
        haveFmt = true;
      } else if (id.equals("data")) {
        if (!haveFmt) {
          throw new WavFormatException("data chunk before any fmt chunk");
        }
        long available = bytes.length - body;
        long n = size;
        if (size == 0 || size == 0xFFFFFFFFL || size == 0x7FFFF000L) {
          n = available; // streaming placeholder: the data runs to the end of the file
        } else if (size > available) {
          throw new WavFormatException("truncated: data chunk says " + size + " bytes, file has " + available);
        }
        n &= ~1L; // whole samples
        short[] out = new short[(int) (n / 2)];
        b.position(body);
        b.asShortBuffer().get(out);
        return out;
      }
      pos = (int) Math.min((long) body + size + (size & 1), Integer.MAX_VALUE); // chunks are word-aligned
    }
    throw new WavFormatException(haveFmt ? "no data chunk" : "no fmt chunk");
  }

  private static boolean tag(byte[] bytes, int at, String t) {
    for (int i = 0; i < 4; i++) {
      if (bytes[at + i] != t.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String formatName(int f) {
    return switch (f) {
      case 2 -> "2 (MS ADPCM)";
      case 3 -> "3 (IEEE float)";
      case 6 -> "6 (A-law)";
      case 7 -> "7 (mu-law)";
      case 0x55 -> "0x55 (MP3)";
      default -> String.valueOf(f);
    };
  }

  /** The file is not a 16 kHz mono PCM16 WAV file; the message says why. */
  public static final class WavFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WavFormatException(String message) {
      super(message);
    }
  }
}
