package io.rnnstream.cli.demo;

import io.rnnstream.schemas.Caption;
import io.rnnstream.schemas.CaptionWord;
import io.rnnstream.training.tasks.CaptionTask;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores the captions a downstream consumer sees against what was said. Every caption is keyed
 * by (stream, segment, revision): a key seen twice broke exactly-once; a segment whose revisions
 * have a hole, or that never got its final caption, lost something. Each final caption is matched
 * to the utterance its words overlap most on the stream's clock, so that the character error rate
 * (CER, {@link CaptionTask#cer}) can be taken per model version against the known transcripts.
 * Latency is from the moment the audio a caption covers was sent to the moment the caption was
 * read. Thread-safe (the reader thread adds, the demo thread asks).
 */
final class CaptionTally {
  /**
   * What one caption turned out to be: for the live line. {@code said} is the utterance a final
   * caption was matched to, null for partials and stray finals.
   */
  record Seen(Caption caption, long latencyMs, boolean twice, DemoSpeech.Span said) {}

  /** Character errors of the utterances one model version captioned. */
  record VersionScore(int utterances, long edits, long chars) {
    double cer() {
      return chars == 0 ? 0 : edits / (double) chars;
    }
  }

  /** Everything the summary prints; latency lists are sorted. */
  record Figures(int utterances, int captioned, int partials, int finals, int strayFinals,
      int lost, int twice,
      Map<Long, VersionScore> perVersion, VersionScore all, List<Long> partialLatencies,
      List<Long> finalLatencies, List<Long> afterSpeechLatencies) {}

  private final List<DemoSpeech.Stream> streams;
  private final AudioFeed feed;
  private final Map<String, Integer> index = new HashMap<>();
  private final Set<String> keys = new HashSet<>();
  /** "stream/segment" -> revisions seen; finals remembered apart. */
  private final Map<String, BitSet> revisions = new TreeMap<>();
  private final Set<String> finalSegments = new HashSet<>();
  /** [stream][utterance] -> final captions matched to it, in arrival order. */
  private final List<List<List<Caption>>> matched = new ArrayList<>();
  private final List<Long> partialLatencies = new ArrayList<>();
  private final List<Long> finalLatencies = new ArrayList<>();
  private final List<Long> afterSpeechLatencies = new ArrayList<>();
  private int partials;
  private int finals;
  private int strays;
  private int twice;

  CaptionTally(List<DemoSpeech.Stream> streams, AudioFeed feed) {
    this.streams = streams;
    this.feed = feed;
    for (int s = 0; s < streams.size(); s++) {
      index.put(streams.get(s).id(), s);
      List<List<Caption>> perSpan = new ArrayList<>();
      streams.get(s).spans().forEach(x -> perSpan.add(new ArrayList<>()));
      matched.add(perSpan);
    }
  }

  /** Records a caption read at {@code readAtMs}; null when it is not of a demo stream. */
  synchronized Seen accept(Caption c, long readAtMs) {
    Integer s = index.get(c.getStream());
    if (s == null) {
      return null;
    }
    String segment = c.getStream() + "/" + c.getSegment();
    if (!keys.add(segment + "/" + c.getRevision())) {
      twice++;
      return new Seen(c, -1, true, null);
    }
    revisions.computeIfAbsent(segment, k -> new BitSet()).set(c.getRevision());
    long latency = readAtMs - feed.sentAtMs(s, c.getEndMs());
    if (!c.getFinal$()) {
      partials++;
      partialLatencies.add(latency);
      return new Seen(c, latency, false, null);
    }
    finals++;
    finalSegments.add(segment);
    finalLatencies.add(latency);
    int u = utteranceOf(streams.get(s), c.getWords());
    DemoSpeech.Span said = null;
    if (u < 0) {
      strays++;
    } else {
      said = streams.get(s).spans().get(u);
      matched.get(s).get(u).add(c);
      afterSpeechLatencies.add(readAtMs - feed.sentAtMs(s, said.endMs()));
    }
    return new Seen(c, latency, false, said);
  }

  /**
   * The utterance whose span overlaps the caption's words most; -1 when none does (or the caption
   * has no words).
   */
  static int utteranceOf(DemoSpeech.Stream stream, List<CaptionWord> words) {
    if (words.isEmpty()) {
      return -1;
    }
    long from = words.get(0).getStartMs();
    long to = words.get(words.size() - 1).getEndMs();
    int best = -1;
    long bestOverlap = 0;
    for (int u = 0; u < stream.spans().size(); u++) {
      DemoSpeech.Span span = stream.spans().get(u);
      long overlap = Math.min(to, span.endMs()) - Math.max(from, span.startMs());
      if (overlap > bestOverlap) {
        bestOverlap = overlap;
        best = u;
      }
    }
    return best;
  }

  /** Utterances that have their final caption so far. */
  synchronized int captioned() {
    int n = 0;
    for (List<List<Caption>> perSpan : matched) {
      for (List<Caption> got : perSpan) {
        n += got.isEmpty() ? 0 : 1;
      }
    }
    return n;
  }

  /** Every stream's last utterance has its final caption: nothing more is coming. */
  synchronized boolean complete() {
    for (List<List<Caption>> perSpan : matched) {
      if (perSpan.get(perSpan.size() - 1).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  synchronized Figures figures() {
    int lost = 0;
    for (Map.Entry<String, BitSet> e : revisions.entrySet()) {
      BitSet seen = e.getValue();
      lost += seen.length() - seen.cardinality(); // holes below the highest revision
      if (!finalSegments.contains(e.getKey())) {
        lost++; // the segment's final caption never came
      }
    }
    Map<Long, long[]> perVersion = new TreeMap<>(); // version -> {utterances, edits, chars}
    long[] all = new long[3];
    int utterances = 0;
    int captioned = 0;
    for (int s = 0; s < streams.size(); s++) {
      List<DemoSpeech.Span> spans = streams.get(s).spans();
      for (int u = 0; u < spans.size(); u++) {
        List<Caption> got = matched.get(s).get(u);
        String reference = spans.get(u).text();
        String hypothesis = String.join(" ", got.stream().map(Caption::getStable).toList());
        long edits = CaptionTask.editDistance(reference, hypothesis);
        utterances++;
        add(all, edits, reference.length());
        if (!got.isEmpty()) {
          captioned++;
          add(perVersion.computeIfAbsent(got.get(0).getModelVersion(), v -> new long[3]), edits,
              reference.length());
        }
      }
    }
    Map<Long, VersionScore> scores = new TreeMap<>();
    perVersion.forEach((v, a) -> scores.put(v, new VersionScore((int) a[0], a[1], a[2])));
    return new Figures(utterances, captioned, partials, finals, strays, lost, twice, scores,
        new VersionScore((int) all[0], all[1], all[2]), sorted(partialLatencies),
        sorted(finalLatencies), sorted(afterSpeechLatencies));
  }

  private static void add(long[] acc, long edits, long chars) {
    acc[0]++;
    acc[1] += edits;
    acc[2] += chars;
  }

  private static List<Long> sorted(List<Long> values) {
    List<Long> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }
}
