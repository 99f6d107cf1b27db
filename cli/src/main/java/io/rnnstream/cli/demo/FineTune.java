package io.rnnstream.cli.demo;

import io.rnnstream.models.encoders.ChatTokenizer;
import io.rnnstream.models.encoders.Vocabulary;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.text.TaggedSentence;
import io.rnnstream.training.Adam;
import io.rnnstream.training.Example;
import io.rnnstream.training.Losses;
import io.rnnstream.training.Serving;
import io.rnnstream.training.TrainableModel;
import io.rnnstream.training.Trainer;
import io.rnnstream.training.data.SentimentExample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes a served model for a few epochs: what an offline trainer does between two
 * published versions. The served softmax head is trained as logits (identity head) and switched
 * back to softmax for serving.
 */
final class FineTune {
  private FineTune() {}

  static RnnModel sentiment(RnnModel served, List<SentimentExample> data, int epochs, long seed,
      long newVersion) {
    List<String> vocab = served.info().vocab();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < vocab.size(); i++) {
      index.putIfAbsent(vocab.get(i), i);
    }
    int unk = index.getOrDefault("<unk>", 0);
    ChatTokenizer tokenizer = new ChatTokenizer();
    List<Example> examples = new ArrayList<>();
    for (SentimentExample e : data) {
      int[] ids = tokenizer.tokenize(e.text()).stream()
          .mapToInt(w -> index.getOrDefault(w, unk)).toArray();
      if (ids.length > 0) {
        examples.add(Example.ofTokens(ids, Losses.softmaxCrossEntropy(e.label())));
      }
    }
    TrainableModel model =
        TrainableModel.fromModel(Serving.withHeadActivation(served, Activation.IDENTITY));
    Trainer trainer = Trainer.builder(model, Adam.builder(1e-4).build())
        .batchSize(16).clipGlobalNorm(5).seed(seed).build();
    for (int epoch = 0; epoch < epochs; epoch++) {
      trainer.trainEpoch(examples);
    }
    ModelInfo old = served.info();
    ModelInfo info = new ModelInfo(old.name(), newVersion, java.time.Instant.now().toString(),
        "rnnstream demo fine-tune (" + epochs + " epochs on the train split)", old.metrics(),
        old.vocab(), old.labels());
    return Serving.softmaxHead(model.toModel(info));
  }

  /** Fine-tunes a served slot tagger (softmax head per token) on tagged sentences. */
  static RnnModel slots(RnnModel served, List<TaggedSentence> data, int epochs, long seed,
      long newVersion) {
    Vocabulary vocab = Vocabulary.of(served.info().vocab());
    List<String> labels = served.info().labels();
    List<Example> examples = new ArrayList<>();
    for (TaggedSentence s : data) {
      int[] tags = s.tags().stream().mapToInt(labels::indexOf).toArray();
      examples.add(Example.ofTokens(vocab.ids(s.tokens()), Losses.softmaxCrossEntropyPerStep(tags)));
    }
    TrainableModel model =
        TrainableModel.fromModel(Serving.withHeadActivation(served, Activation.IDENTITY));
    Trainer trainer = Trainer.builder(model, Adam.builder(1e-4).build())
        .batchSize(16).clipGlobalNorm(5).seed(seed).build();
    for (int epoch = 0; epoch < epochs; epoch++) {
      trainer.trainEpoch(examples);
    }
    ModelInfo old = served.info();
    ModelInfo info = new ModelInfo(old.name(), newVersion, java.time.Instant.now().toString(),
        "rnnstream demo fine-tune (" + epochs + " epochs on generated training templates)",
        old.metrics(), old.vocab(), old.labels());
    return Serving.softmaxHead(model.toModel(info));
  }
}
