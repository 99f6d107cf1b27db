package io.rnnstream.models.text;

import io.rnnstream.models.encoders.ChatTokenizer;
import io.rnnstream.models.encoders.Vocabulary;
import io.rnnstream.models.model.RnnModel;
import java.util.List;

/**
 * Scores a whole text with a many-to-one token model (such as the shipped sentiment model): the
 * text is tokenized by {@link ChatTokenizer}, exactly as the Flink pipeline tokenizes a chat
 * message, mapped to ids through the model's vocabulary ({@link Vocabulary}), and the head output
 * after the last token is the prediction.
 */
public final class SentimentClassifier {
  private static final ChatTokenizer TOKENIZER = new ChatTokenizer();

  private SentimentClassifier() {}

  /** A prediction: the label and its probability. */
  public record Prediction(String label, double p, double[] probabilities) {}

  /** Tokens as the model (and the Flink operator) sees them: {@link ChatTokenizer}. */
  public static List<String> tokens(String text) {
    return TOKENIZER.tokenize(text);
  }

  /** Classifies one text with a served sentiment model. */
  public static Prediction classify(RnnModel model, String text) {
    List<String> toks = tokens(text);
    if (toks.isEmpty()) {
      throw new IllegalArgumentException("text has no words to score");
    }
    Vocabulary vocab = Vocabulary.of(model.info().vocab());
    float[][] y = model.forwardTokens(vocab.ids(toks));
    float[] last = y[y.length - 1];
    double[] p = new double[last.length];
    int best = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = last[i];
      if (p[i] > p[best]) {
        best = i;
      }
    }
    List<String> labels = model.info().labels();
    String label = best < labels.size() ? labels.get(best) : Integer.toString(best);
    return new Prediction(label, p[best], p);
  }
}
