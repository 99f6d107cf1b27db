package io.rnnstream.cli;

import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.ctc.CtcDecoder;
import io.rnnstream.models.ctc.GreedyDecoder;
import io.rnnstream.models.ctc.PrefixBeamSearch;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ctc --labels L [--blank 0] --decoder greedy|beam [--beam N] [--input F]}: streaming CTC
 * decoding of per-frame log-probabilities, JSON lines {@code {"key", "logp", "final"}} in, one
 * {@code {"key", "text", "stable", "final"}} line out per line; decoder state carries across lines
 * of the same key until a {@code "final": true} line.
 */
@Command(
    name = "ctc",
    description = "Decode per-frame CTC log-probabilities, streaming, per key: reads JSON lines"
        + " {\"key\": k, \"logp\": [[...], ...], \"final\": bool} (natural logs, one row of"
        + " len(L)+1 values per frame: the blank at --blank, the characters of L in order at the"
        + " other indices); prints {\"key\": k, \"text\": ..., \"stable\": ..., \"final\": bool}"
        + " per line. \"stable\" is the prefix of \"text\" no later line can change; after a"
        + " \"final\": true line the key starts afresh.")
final class CtcCommand implements Callable<Integer> {
  /** Decoder choice; lower-case constants so that picocli accepts exactly greedy|beam. */
  enum Decoder { greedy, beam }

  @Spec
  CommandSpec spec;

  @Option(names = "--labels", required = true, paramLabel = "L",
      description = "the characters of the non-blank classes, in class order")
  String labels;

  @Option(names = "--blank", defaultValue = "0", paramLabel = "B",
      description = "index of the blank class, 0..len(L) (default 0); the characters of L fill"
          + " the other indices in order")
  int blank;

  @Option(names = "--decoder", required = true, paramLabel = "greedy|beam",
      description = "greedy (best path) or beam (prefix beam search)")
  Decoder decoder;

  @Option(names = "--beam", defaultValue = "" + PrefixBeamSearch.DEFAULT_BEAM_WIDTH,
      paramLabel = "N", description = "beam width for --decoder beam (default 16)")
  int beam;

  @Option(names = "--commit-after", defaultValue = "0", paramLabel = "FRAMES",
      description = "beam only: labels emitted at least FRAMES frames ago are settled (beams"
          + " disagreeing with the best one on them are dropped), bounding how far \"stable\""
          + " lags; 0 (default) = off, exact prefix beam search")
  int commitAfter;

  @Option(names = "--input", paramLabel = "F", description = "JSON lines file (default: stdin)")
  Path input;

  @Override
  public Integer call() throws Exception {
    int letters = labels.codePointCount(0, labels.length());
    if (blank < 0 || blank > letters) {
      throw new ParameterException(spec.commandLine(), "--blank must be in [0, " + letters
          + "] for " + letters + " labels, got " + blank);
    }
    if (beam < 1) {
      throw new ParameterException(spec.commandLine(), "--beam must be >= 1, got " + beam);
    }
    if (commitAfter < 0) {
      throw new ParameterException(spec.commandLine(),
          "--commit-after must be >= 0, got " + commitAfter);
    }
    CtcAlphabet alphabet = CtcAlphabet.of(labels, blank);
    CtcDecoder<?> d = decoder == Decoder.greedy
        ? new GreedyDecoder(alphabet)
        : PrefixBeamSearch.builder(alphabet).beamWidth(beam).commitAfterFrames(commitAfter)
            .build();
    CtcSession session = new CtcSession(d);
    return JsonLines.run("ctc", input, session::process);
  }
}
