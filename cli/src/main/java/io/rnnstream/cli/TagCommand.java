package io.rnnstream.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.models.text.SlotTagger;
import io.rnnstream.models.text.TaggedSentence;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tag --model M [--text T | --input F]}: a BIO slot tagger over one text or JSON lines
 * {@code {"text": ...}}; prints {@code {"tokens": [...], "tags": [...], "slots": {...}}} per text
 * (slot type -> words of its first span).
 */
@Command(
    name = "tag",
    description = "Tag slots with a BIO tagger (e.g. models/pretrained/slots.rnn): prints"
        + " {\"tokens\": [...], \"tags\": [...], \"slots\": {\"origin\": ..., \"destination\": ...}}."
        + " Without --text, reads JSON lines {\"text\": ...} from stdin (or --input) and prints"
        + " one result line per input line.")
final class TagCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "M", description = "model snapshot")
  Path model;

  @Option(names = "--text", paramLabel = "T", description = "one text to tag")
  String text;

  @Option(names = "--input", paramLabel = "F", description = "JSON lines file (default: stdin)")
  Path input;

  @Override
  public Integer call() throws Exception {
    RnnModel m = SnapshotFormat.read(model);
    check(m, model);
    return TextLines.run("tag", text, input, t -> {
      TaggedSentence s = SlotTagger.tag(m, t);
      ObjectNode o = TextLines.JSON.createObjectNode();
      ArrayNode tokens = o.putArray("tokens");
      s.tokens().forEach(tokens::add);
      ArrayNode tags = o.putArray("tags");
      s.tags().forEach(tags::add);
      ObjectNode slots = o.putObject("slots");
      for (Map.Entry<String, String> e : s.slots().entrySet()) {
        slots.put(e.getKey(), e.getValue());
      }
      return o;
    });
  }

  static void check(RnnModel m, Path file) {
    String why = null;
    if (!m.spec().readsTokenIds() || m.info().vocab().isEmpty()) {
      why = "it has no token vocabulary";
    } else if (m.spec().pooling() != Pooling.NONE) {
      why = "it is many-to-one (pooling " + m.spec().pooling() + "); use 'classify'";
    } else if (m.info().labels().size() != m.spec().outputSize()) {
      why = "its labels do not match its " + m.spec().outputSize() + " outputs";
    } else {
      for (String l : m.info().labels()) {
        if (!l.equals("O") && !l.startsWith("B-") && !l.startsWith("I-")) {
          why = "label '" + l + "' is not a BIO tag";
          break;
        }
      }
    }
    if (why != null) {
      throw new IllegalArgumentException(file + " (" + m.info().name() + ") is not a slot"
          + " tagger: " + why);
    }
  }
}
