package io.rnnstream.models.encoders;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokenizer for short chat and review text: lower-cases, keeps words with inner apostrophes
 * ({@code don't}), maps URLs to {@code <url>}, {@code @user} to {@code <user>} and numbers to
 * {@code <num>}, keeps common emoticons and {@code !}/{@code ?} as tokens (they carry sentiment),
 * and squeezes letters repeated more than twice ({@code sooooo -> soo}).
 */
public final class ChatTokenizer {
  public static final String URL = "<url>";
  public static final String USER = "<user>";
  public static final String NUMBER = "<num>";

  private static final Pattern TOKEN = Pattern.compile(
      "(?<url>(?:https?://|www\\.)\\S+?(?=[!?.,)]*(?:\\s|$)))"
          + "|(?<user>@\\w+)"
          + "|(?<emo>(?:[:;=]-?[)(DPp/\\\\]|<3)(?![\\p{L}\\p{N}]))"
          + "|(?<num>\\d+(?:[.,]\\d+)*)"
          + "|(?<word>\\p{L}+(?:['\u2019]\\p{L}+)*)"
          + "|(?<punct>[!?])");
  private static final Pattern REPEATS = Pattern.compile("(\\p{L})\\1{2,}");

  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      if (m.group("url") != null) {
        out.add(URL);
      } else if (m.group("user") != null) {
        out.add(USER);
      } else if (m.group("emo") != null) {
        out.add(m.group("emo").replace("-", "").toUpperCase(Locale.ROOT));
      } else if (m.group("num") != null) {
        out.add(NUMBER);
      } else if (m.group("word") != null) {
        String w = m.group("word").toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        out.add(REPEATS.matcher(w).replaceAll("$1$1"));
      } else {
        out.add(m.group("punct"));
      }
    }
    return out;
  }
}
