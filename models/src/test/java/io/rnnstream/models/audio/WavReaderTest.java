package io.rnnstream.models.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WavReaderTest {

  /** A WAV file: RIFF header, optional extra chunk, fmt, data. */
  private static byte[] wav(int format, int channels, int rate, int bits, short[] samples, boolean listChunk,
      long dataSizeOverride) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    fmt.putShort((short) format).putShort((short) channels).putInt(rate)
        .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
    ByteBuffer data = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      data.putShort(s);
    }
    byte[] list = "INFOabc".getBytes(StandardCharsets.US_ASCII); // odd size: padded
    out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le(0));
    out.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
    if (listChunk) {
      out.writeBytes("LIST".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(le(list.length));
      out.writeBytes(list);
      out.write(0);
    }
    out.writeBytes("fmt ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le(16));
    out.writeBytes(fmt.array());
    out.writeBytes("data".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le(dataSizeOverride >= 0 ? (int) dataSizeOverride : samples.length * 2));
    out.writeBytes(data.array());
    return out.toByteArray();
  }

  private static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  private static final short[] S = {0, 1, -1, 32767, -32768};

  @Test
  void shouldReadTheSynthesizedExamples() throws Exception {
    for (String name : new String[] {"four_two_seven.wav", "stop.wav", "open_the_door.wav"}) {
      try (InputStream in = getClass().getResourceAsStream(name)) {
        short[] s = WavReader.read(in);
        assertThat(s.length).as(name).isBetween(8000, 24000);
      }
    }
  }

  @Test
  void shouldReadPcmAndSkipOtherChunks() throws Exception {
    assertThat(WavReader.parse(wav(1, 1, 16000, 16, S, false, -1))).containsExactly(S);
    assertThat(WavReader.parse(wav(1, 1, 16000, 16, S, true, -1))).containsExactly(S);
    // streaming placeholder sizes run to the end of the file (espeak-ng --stdout writes 0x7FFFF000)
    assertThat(WavReader.parse(wav(1, 1, 16000, 16, S, false, 0x7FFFF000L))).containsExactly(S);
    assertThat(WavReader.parse(wav(1, 1, 16000, 16, S, false, 0xFFFFFFFFL))).containsExactly(S);
  }

  @Test
  void shouldExplainUnsupportedFormats() {
    assertThatThrownBy(() -> WavReader.parse(wav(1, 2, 16000, 16, S, false, -1)))
        .isInstanceOf(WavReader.WavFormatException.class).hasMessageContaining("2 channels: need mono");
    assertThatThrownBy(() -> WavReader.parse(wav(1, 1, 22050, 16, S, false, -1)))
        .hasMessageContaining("22050 Hz: need 16000 Hz");
    assertThatThrownBy(() -> WavReader.parse(wav(1, 1, 16000, 8, S, false, -1)))
        .hasMessageContaining("8 bits per sample");
    assertThatThrownBy(() -> WavReader.parse(wav(3, 1, 16000, 32, S, false, -1)))
        .hasMessageContaining("IEEE float");
    assertThatThrownBy(() -> WavReader.parse("ID3 this is an mp3".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("not a RIFF/WAVE file");
    assertThatThrownBy(() -> WavReader.parse(wav(1, 1, 16000, 16, S, false, 1000)))
        .hasMessageContaining("truncated");
  }
}
