package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.ctc.CtcLoss;
import io.rnnstream.models.ctc.CtcTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnstream ctc} end to end through {@link RnnstreamCli#run}: random per-frame
 * log-probabilities for several keys, cut into random chunks, lines of the keys interleaved, each
 * key's stream ending with {@code "final": true} and then starting again. Beam search (wide
 * enough never to prune) must give the brute-force most probable labelling, greedy the best path.
 */
class CtcCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final CliCapture cli = new CliCapture();

  private List<JsonNode> stdout() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : cli.stdout()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  /** One key's utterance: its frames, and per chunk its line index (in the input) and size. */
  record Utterance(String key, double[][] logp, List<Integer> lines, List<Integer> sizes) {}

  /**
   * Writes utterances for {@code keys} keys (two per key, one after the other), T in [1, maxT],
   * width C, in random chunks, interleaving the keys' lines at random.
   */
  private static List<Utterance> writeInput(Path file, long seed, int keys, int maxT, int c)
      throws Exception {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<List<Utterance>> perKey = new ArrayList<>();
    List<List<String>> pending = new ArrayList<>();
    List<List<Utterance>> owners = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      List<Utterance> utts = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      List<Utterance> owner = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        int t = 1 + rnd.nextInt(maxT);
        Utterance u = new Utterance("k" + k, randomLogp(rnd, t, c), new ArrayList<>(),
            new ArrayList<>());
        utts.add(u);
        int f = 0;
        while (true) {
          int size = Math.min(t - f, rnd.nextInt(4)); // 0..3 frames, empty chunks included
          boolean last = f + size == t && rnd.nextBoolean();
          StringBuilder row = new StringBuilder("{\"key\":\"k" + k + "\",\"logp\":[");
          for (int i = 0; i < size; i++) {
            row.append(i == 0 ? "" : ",").append(json(u.logp()[f + i]));
          }
          row.append("],\"final\":").append(last).append('}');
          lines.add(row.toString());
          owner.add(u);
          u.sizes().add(size);
          f += size;
          if (last) {
            break;
          }
        }
      }
      perKey.add(utts);
      pending.add(lines);
      owners.add(owner);
    }
    // interleave: repeatedly take the next line of a random key that has lines left
    StringBuilder input = new StringBuilder();
    int[] next = new int[keys];
    int lineNo = 0;
    int left = pending.stream().mapToInt(List::size).sum();
    while (left > 0) {
      int k = rnd.nextInt(keys);
      if (next[k] == pending.get(k).size()) {
        continue;
      }
      owners.get(k).get(next[k]).lines().add(lineNo++);
      input.append(pending.get(k).get(next[k]++)).append('\n');
      left--;
    }
    Files.writeString(file, input);
    List<Utterance> all = new ArrayList<>();
    perKey.forEach(all::addAll);
    return all;
  }

  private static String json(double[] row) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < row.length; i++) {
      sb.append(i == 0 ? "" : ",").append(row[i]); // -Infinity prints as the JSON token
    }
    return sb.append(']').toString();
  }

  static double[][] randomLogp(SplittableRandom rnd, int t, int c) {
    double[][] logits = new double[t][c];
    for (double[] row : logits) {
      for (int k = 0; k < c; k++) {
        row[k] = 2.5 * Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()))
            * Math.cos(2 * Math.PI * rnd.nextDouble());
      }
    }
    return CtcLoss.logSoftmax(logits);
  }

  /** Brute force: every labelling of length <= T scored by a CTC forward pass; best and gap. */
  static double[] oracle(double[][] logp, int blank, List<int[]> best) {
    int c = logp[0].length;
    double bestLp = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    List<int[]> frontier = List.of(new int[0]);
    for (int len = 0; len <= logp.length; len++) {
      List<int[]> longer = new ArrayList<>();
      for (int[] labels : frontier) {
        double lp = -CtcLoss.negLogLikelihood(logp, labels, blank);
        if (lp > bestLp) {
          second = bestLp;
          bestLp = lp;
          best.clear();
          best.add(labels);
        } else if (lp > second) {
          second = lp;
        }
        for (int k = 0; k < c; k++) {
          if (k != blank) {
            int[] l = java.util.Arrays.copyOf(labels, len + 1);
            l[len] = k;
            longer.add(l);
          }
        }
      }
      frontier = longer;
    }
    return new double[] {bestLp, bestLp - second};
  }

  @Test
  void beamShouldFindTheMostProbableLabellingPerKeyWithLinesInterleaved(@TempDir Path dir)
      throws Exception {
    Path input = dir.resolve("in.jsonl");
    String labels = "abc";
    int blank = 2; // classes: 0 = a, 1 = b, 2 = blank, 3 = c
    CtcAlphabet alphabet = CtcAlphabet.of(labels, blank);
    List<Utterance> utts = writeInput(input, 17, 5, 5, 4);

    int rc = cli.run(null, "ctc", "--labels", labels, "--blank", "" + blank,
        "--decoder", "beam", "--beam", "400", "--input", input.toString());

    assertThat(rc).as("stderr: %s", cli.err).isZero();
    List<JsonNode> result = stdout();
    int checked = 0;
    for (Utterance u : utts) {
      List<int[]> best = new ArrayList<>();
      double[] oracle = oracle(u.logp(), blank, best);
      JsonNode last = result.get(u.lines().get(u.lines().size() - 1));
      assertThat(last.get("key").asText()).isEqualTo(u.key());
      assertThat(last.get("final").asBoolean()).isTrue();
      String text = last.get("text").asText();
      assertThat(last.get("stable").asText()).isEqualTo(text);
      if (oracle[1] > 1e-9) {
        int[] l = best.get(0);
        assertThat(text).as("%s frames %s", u.key(), java.util.Arrays.deepToString(u.logp()))
            .isEqualTo(alphabet.text(l, 0, l.length));
        checked++;
      }
      for (int line : u.lines()) {
        JsonNode partial = result.get(line);
        assertThat(partial.get("key").asText()).isEqualTo(u.key());
        assertThat(partial.get("text").asText()).startsWith(partial.get("stable").asText());
        assertThat(text).as("stable prefixes are never rewritten")
            .startsWith(partial.get("stable").asText());
      }
    }
    assertThat(checked).isGreaterThan(utts.size() / 2);
  }

  @Test
  void defaultBeamShouldBeExactOnInputsItCannotPrune(@TempDir Path dir) throws Exception {
    // 2 letters, T <= 3: 15 labellings, fewer than the default width 16
    Path input = dir.resolve("in.jsonl");
    List<Utterance> utts = writeInput(input, 5, 4, 3, 3);

    int rc = cli.run(null, "ctc", "--labels", "xy", "--decoder", "beam", "--input",
        input.toString());

    assertThat(rc).isZero();
    List<JsonNode> result = stdout();
    CtcAlphabet alphabet = CtcAlphabet.of("xy");
    for (Utterance u : utts) {
      List<int[]> best = new ArrayList<>();
      double[] oracle = oracle(u.logp(), 0, best);
      if (oracle[1] > 1e-9) {
        JsonNode last = result.get(u.lines().get(u.lines().size() - 1));
        assertThat(last.get("text").asText()).isEqualTo(alphabet.text(best.get(0), 0,
            best.get(0).length));
      }
    }
  }

  @Test
  void greedyShouldGiveTheBestPathWithEverythingStable(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    List<Utterance> utts = writeInput(input, 23, 4, 30, 5);
    CtcAlphabet alphabet = CtcAlphabet.of("abcd");

    int rc = cli.run(null, "ctc", "--labels", "abcd", "--decoder", "greedy",
        "--input", input.toString());

    assertThat(rc).isZero();
    List<JsonNode> result = stdout();
    for (Utterance u : utts) {
      // each line's text is the best path of the utterance's frames so far
      int frames = 0;
      for (int i = 0; i < u.lines().size(); i++) {
        JsonNode r = result.get(u.lines().get(i));
        frames += u.sizes().get(i);
        int[] path = CtcTestSupport.bestPath(java.util.Arrays.copyOf(u.logp(), frames), 0);
        assertThat(r.get("text").asText()).as("%s after %d frames", u.key(), frames)
            .isEqualTo(alphabet.text(path, 0, path.length));
        assertThat(r.get("stable").asText()).isEqualTo(r.get("text").asText());
      }
      assertThat(frames).isEqualTo(u.logp().length);
    }
  }

  @Test
  void commitAfterShouldNeverRewriteStableText(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    List<Utterance> utts = writeInput(input, 31, 3, 40, 5);

    int rc = cli.run(null, "ctc", "--labels", "abcd", "--decoder", "beam", "--beam", "4",
        "--commit-after", "3", "--input", input.toString());

    assertThat(rc).isZero();
    List<JsonNode> result = stdout();
    int stableChars = 0;
    for (Utterance u : utts) {
      String text = result.get(u.lines().get(u.lines().size() - 1)).get("text").asText();
      for (int line : u.lines()) {
        String stable = result.get(line).get("stable").asText();
        assertThat(text).startsWith(stable);
        stableChars += stable.length();
      }
    }
    assertThat(stableChars).isPositive();
  }

  @Test
  void shouldReportBadLinesAndKeepOtherKeysGoing(@TempDir Path dir) throws Exception {
    // labels "ab", blank 0: width 3; frames that say "a" then "b"
    String a = "[-5,-0.01,-5]";
    String b = "[-5,-5,-0.01]";
    String blank = "[-0.01,-5,-5]";
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, String.join("\n",
        "{\"key\":\"x\",\"logp\":[" + a + "]}",
        "{\"key\":\"x\",\"logp\":[[-1,-1]]}",
        "not json",
        "{\"key\":7,\"logp\":[[-1,NaN,-1]]}",
        "{\"key\":\"y\",\"logp\":[[-1,Infinity,-1]]}",
        "{\"logp\":[" + a + "]}",
        "{\"key\":\"y\",\"logp\":[[\"-Infinity\",0,-1]]}",
        "{\"key\":\"y\",\"frames\":[" + a + "]}",
        "{\"key\":\"x\",\"logp\":[" + blank + "],\"final\":\"yes\"}",
        "{\"key\":\"y\",\"logp\":[[-Infinity,0,-Infinity],[-1e999,-5,-0.1]]}",
        "{\"key\":\"x\",\"logp\":[" + blank + "," + b + "],\"final\":true}",
        "{\"key\":\"x\",\"logp\":[" + b + "],\"final\":false}",
        "[1,2]") + "\n");

    int rc = cli.run(null, "ctc", "--labels", "ab", "--decoder", "beam", "--input",
        input.toString());

    assertThat(rc).isEqualTo(1);
    List<JsonNode> r = stdout();
    assertThat(r).hasSize(13);
    assertThat(r.get(0).toString())
        .isEqualTo("{\"key\":\"x\",\"text\":\"a\",\"stable\":\"\",\"final\":false}");
    assertThat(r.get(1).get("error").asText())
        .isEqualTo("logp[0] has 2 values, expected 3 (blank + 2 labels)");
    assertThat(r.get(2).get("error").asText()).startsWith("malformed JSON");
    assertThat(r.get(2).get("key").isNull()).isTrue();
    assertThat(r.get(3).get("key").asInt()).isEqualTo(7);
    assertThat(r.get(3).get("error").asText())
        .isEqualTo("logp[0][1] = NaN is not a log-probability (a finite number or -Infinity)");
    assertThat(r.get(4).get("error").asText()).startsWith("logp[0][1] = Infinity is not");
    assertThat(r.get(5).get("error").asText()).contains("missing \"key\"");
    assertThat(r.get(6).get("error").asText()).startsWith("logp[0][0] = \"-Infinity\" is not");
    assertThat(r.get(7).get("error").asText()).startsWith("missing \"logp\" array");
    assertThat(r.get(8).get("error").asText()).isEqualTo("\"final\" must be true or false, got \"yes\"");
    // -Infinity as a token and as an overflowing number are log(0): valid
    assertThat(r.get(9).toString())
        .isEqualTo("{\"key\":\"y\",\"text\":\"ab\",\"stable\":\"a\",\"final\":false}");
    // x's bad lines changed nothing: a, blank, b
    assertThat(r.get(10).toString())
        .isEqualTo("{\"key\":\"x\",\"text\":\"ab\",\"stable\":\"ab\",\"final\":true}");
    // after final, x starts afresh
    assertThat(r.get(11).get("text").asText()).isEqualTo("b");
    assertThat(r.get(12).get("error").asText()).startsWith("expected a JSON object");
    String stderr = cli.stderr();
    assertThat(stderr)
        .contains("rnnstream ctc: line 2: logp[0] has 2 values")
        .contains("rnnstream ctc: line 3: malformed JSON")
        .contains("rnnstream ctc: line 4:").contains("rnnstream ctc: line 5:")
        .contains("rnnstream ctc: line 6:").contains("rnnstream ctc: line 7:")
        .contains("rnnstream ctc: line 8:").contains("rnnstream ctc: line 9:")
        .contains("rnnstream ctc: line 13:")
        .doesNotContain("line 1:").doesNotContain("line 10:").doesNotContain("line 11:");
  }

  @Test
  void shouldRejectBadOptionsAsUsageErrors() {
    assertThat(RnnstreamCli.run("ctc", "--labels", "abc", "--blank", "4", "--decoder", "beam"))
        .isEqualTo(2);
    assertThat(cli.err.toString(StandardCharsets.UTF_8))
        .contains("--blank must be in [0, 3] for 3 labels, got 4");
    assertThat(RnnstreamCli.run("ctc", "--labels", "abc", "--decoder", "viterbi")).isEqualTo(2);
    assertThat(RnnstreamCli.run("ctc", "--labels", "abc", "--decoder", "beam", "--beam", "0"))
        .isEqualTo(2);
    assertThat(RnnstreamCli.run("ctc", "--decoder", "beam")).isEqualTo(2);
    assertThat(RnnstreamCli.run("ctc", "--labels", "abc", "--decoder", "greedy", "--input",
        "/nonexistent/in.jsonl")).isEqualTo(1);
    assertThat(cli.err.toString(StandardCharsets.UTF_8)).contains("no such file");
  }
}
