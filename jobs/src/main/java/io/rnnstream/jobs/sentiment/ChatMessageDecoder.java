package io.rnnstream.jobs.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.jobs.kafka.AvroCodec;
import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.models.encoders.ChatTokenizer;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.schemas.ChatMessage;
import java.io.IOException;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Chat messages (Avro {@code ChatMessage}, or the same fields as a JSON object) to inference
 * events: one message = one segment of tokens, keyed by conversation. Malformed records and
 * messages without a single word become dead letters carrying the raw bytes.
 */
public final class ChatMessageDecoder extends ProcessFunction<RawRecord, RnnEvent> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** How a pipeline splits text into the tokens its model was trained on. */
  public interface Tokenizer extends java.io.Serializable {
    List<String> tokenize(String text);
  }

  private final OutputTag<DeadLetter> deadLetters;
  private final Tokenizer tokenizer;
  private static final ChatTokenizer CHAT = new ChatTokenizer(); // stateless, thread-safe
  private final AvroCodec<ChatMessage> codec = new AvroCodec<>(ChatMessage.class);

  /** Chat text tokenized by {@link ChatTokenizer} (the sentiment model's tokens). */
  public ChatMessageDecoder(OutputTag<DeadLetter> deadLetters) {
    this(deadLetters, text -> CHAT.tokenize(text));
  }

  public ChatMessageDecoder(OutputTag<DeadLetter> deadLetters, Tokenizer tokenizer) {
    this.deadLetters = deadLetters;
    this.tokenizer = tokenizer;
  }

  @Override
  public void processElement(RawRecord r, Context ctx, Collector<RnnEvent> out) {
    try {
      if (r.value == null || r.value.length == 0) {
        throw new IOException("empty record");
      }
      if (r.value.length > MAX_MESSAGE_BYTES) {
        throw new IOException("oversize message: " + r.value.length + " bytes > "
            + MAX_MESSAGE_BYTES);
      }
      ChatMessage m = looksLikeJson(r.value) ? fromJson(r.value) : codec.decode(r.value);
      List<String> tokens = tokenizer.tokenize(m.getText());
      if (tokens.isEmpty()) {
        throw new IOException("message has no words to score");
      }
      RnnEvent e = RnnEvent.tokens(m.getConversationId(), m.getSeq(),
          tokens.toArray(String[]::new));
      e.endOfSegment = true;
      e.reset = m.getReset();
      e.timestampMs = r.timestampMs > 0 ? r.timestampMs : m.getTimestampMs();
      e.source = r.source();
      out.collect(e);
    } catch (IOException | RuntimeException ex) {
      DeadLetter d = DeadLetter.of("event", r.keyString(), r.source(),
          "malformed chat message: " + ex.getMessage(), null);
      d.payload = r.value;
      d.recordKey = r.key;
      ctx.output(deadLetters, d);
    }
  }

  static boolean looksLikeJson(byte[] v) {
    for (byte b : v) {
      if (b == '{') {
        return true;
      }
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return false;
  }

  static ChatMessage fromJson(byte[] v) throws IOException {
    JsonNode n = JSON.readTree(v);
    for (String field : new String[] {"conversationId", "seq", "text"}) {
      if (!n.hasNonNull(field)) {
        throw new IOException("JSON message lacks \"" + field + "\"");
      }
    }
    if (!n.get("seq").canConvertToLong()) {
      throw new IOException("\"seq\" is not an integer");
    }
    return ChatMessage.newBuilder()
        .setConversationId(n.get("conversationId").asText())
        .setSeq(n.get("seq").asLong())
        .setText(n.get("text").asText())
        .setTimestampMs(n.path("timestampMs").asLong(0))
        .setReset(n.path("reset").asBoolean(false))
        .build();
  }
}
