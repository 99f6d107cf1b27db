package io.rnnstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Re-derives the split from amazon.json + imdb.json with the rule documented in
 * data/sentiment/make_split.py and checks the committed JSONL files are exactly that.
 */
class SentimentSplitTest {
  private static final int SEED = 20150810;

  private static String normKey(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
  }

  private static String hash(String source, String text) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(md.digest((SEED + "\t" + source + "\t" + text).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldMatchTheDocumentedSplitRuleExactly() throws Exception {
    Set<String> seen = new HashSet<>();
    Map<String, List<String>> strata = new TreeMap<>();
    int dropped = 0;
    for (String source : SentimentData.SOURCES) {
      for (SentimentExample e : SentimentData.loadSource(source)) {
        if (!seen.add(normKey(e.text()))) {
          dropped++;
          continue;
        }
        strata.computeIfAbsent(source + "\t" + e.label(), k -> new ArrayList<>()).add(e.text());
      }
    }
    assertThat(dropped).isEqualTo(22);

    Map<Split, List<String[]>> expected = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      expected.put(s, new ArrayList<>());
    }
    for (Map.Entry<String, List<String>> st : strata.entrySet()) {
      String source = st.getKey().split("\t")[0];
      String label = st.getKey().split("\t")[1];
      Map<String, String> byHash = new HashMap<>();
      for (String t : st.getValue()) {
        byHash.put(t, hash(source, t));
      }
      List<String> texts = new ArrayList<>(st.getValue());
      texts.sort(Comparator.comparing(byHash::get));
      int n = texts.size();
      int nTrain = (int) (0.70 * n + 0.5);
      int nDev = (int) (0.15 * n + 0.5);
      for (int i = 0; i < n; i++) {
        Split s = i < nTrain ? Split.TRAIN : i < nTrain + nDev ? Split.DEV : Split.TEST;
        expected.get(s).add(new String[] {byHash.get(texts.get(i)), texts.get(i), label, source});
      }
    }

    SentimentData data = SentimentData.load();
    for (Split s : Split.values()) {
      List<String[]> exp = expected.get(s);
      exp.sort(Comparator.comparing(a -> a[0]));
      List<SentimentExample> got = data.get(s);
      assertThat(got).as(s.name()).hasSize(exp.size());
      for (int i = 0; i < exp.size(); i++) {
        assertThat(got.get(i))
            .isEqualTo(new SentimentExample(exp.get(i)[1], Integer.parseInt(exp.get(i)[2]), exp.get(i)[3]));
      }
    }
  }

  @Test
  void shouldBeStratifiedDisjointAndComplete() {
    SentimentData data = SentimentData.load();
    assertThat(data.train()).hasSize(1385);
    assertThat(data.dev()).hasSize(297);
    assertThat(data.test()).hasSize(296);
    Set<String> keys = new HashSet<>();
    for (Split s : Split.values()) {
      Map<String, Integer> counts = new TreeMap<>();
      for (SentimentExample e : data.get(s)) {
        assertThat(keys.add(normKey(e.text()))).as("duplicate across splits: %s", e.text()).isTrue();
        counts.merge(e.source() + "/" + e.label(), 1, Integer::sum);
      }
      // four strata of about the same size in every split
      assertThat(counts).hasSize(4);
      int min = counts.values().stream().min(Integer::compare).orElseThrow();
      int max = counts.values().stream().max(Integer::compare).orElseThrow();
      assertThat(max - min).as("%s %s", s, counts).isLessThanOrEqualTo(7);
    }
    assertThat(keys).hasSize(1978);
  }
}
