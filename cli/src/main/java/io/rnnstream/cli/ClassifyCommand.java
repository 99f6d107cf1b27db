package io.rnnstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.models.text.SentimentClassifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code classify --model M [--text T | --input F]}: a many-to-one text classifier (the sentiment
 * model) over one text or JSON lines {@code {"text": ...}}; prints {@code {"label": ..., "p": ...}}
 * per text. Tokens as the Flink job sees them ({@code ChatTokenizer}), unknown words {@code <unk>}.
 */
@Command(
    name = "classify",
    description = "Classify text with a many-to-one model (e.g. models/pretrained/sentiment.rnn):"
        + " prints {\"label\": ..., \"p\": ...}. Without --text, reads JSON lines {\"text\": ...}"
        + " from stdin (or --input) and prints one result line per input line.")
final class ClassifyCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "M", description = "model snapshot")
  Path model;

  @Option(names = "--text", paramLabel = "T", description = "one text to classify")
  String text;

  @Option(names = "--input", paramLabel = "F", description = "JSON lines file (default: stdin)")
  Path input;

  @Override
  public Integer call() throws Exception {
    RnnModel m = SnapshotFormat.read(model);
    check(m, model);
    return TextLines.run("classify", text, input, t -> {
      SentimentClassifier.Prediction p = SentimentClassifier.classify(m, t);
      ObjectNode o = TextLines.JSON.createObjectNode();
      o.put("label", p.label());
      o.put("p", (float) p.p());
      return o;
    });
  }

  static void check(RnnModel m, Path file) {
    String why = null;
    if (!m.spec().readsTokenIds() || m.info().vocab().isEmpty()) {
      why = "it has no token vocabulary";
    } else if (m.spec().pooling() == Pooling.NONE) {
      why = "it is many-to-many (no pooling); use 'tag' for taggers";
    } else if (m.info().labels().size() != m.spec().outputSize()) {
      why = "its labels do not match its " + m.spec().outputSize() + " outputs";
    }
    if (why != null) {
      throw new IllegalArgumentException(file + " (" + m.info().name() + ") is not a text"
          + " classifier: " + why);
    }
  }
}
