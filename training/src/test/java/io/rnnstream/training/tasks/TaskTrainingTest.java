package io.rnnstream.training.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.encoders.Vocabulary;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.text.SentimentClassifier;
import io.rnnstream.models.text.SlotTagger;
import io.rnnstream.training.data.SlotFillingGenerator;
import io.rnnstream.training.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tiny versions of the sentiment and slot trainers: they learn, and they are deterministic. */
class TaskTrainingTest {

  @Test
  @Timeout(60)
  void shouldTrainATinySentimentModelThatBeatsChance() {
    TrainingOptions o = SentimentTask.defaults().toBuilder()
        .epochs(2).trainSize(400).devSize(120).hiddenSize(16).embeddingSize(16).build();
    List<EpochResult> epochs = new ArrayList<>();
    TaskResult r = SentimentTask.train(o, new TrainingListener() {
      @Override
      public void epoch(EpochResult e) {
        epochs.add(e);
      }
    });

    assertThat(epochs).hasSize(2);
    assertThat(r.metrics().get("dev_accuracy")).isGreaterThan(0.6);
    assertThat(r.metrics().get("test_accuracy")).isGreaterThan(0.6);
    RnnModel m = r.model();
    assertThat(m.info().labels()).containsExactly("negative", "positive");
    assertThat(m.info().vocab().get(0)).isEqualTo("<unk>");
    assertThat(m.spec().head().activation()).isEqualTo(Activation.SOFTMAX);
    assertThat(m.spec().pooling()).isEqualTo(Pooling.MEAN);
    assertThat(m.info().metrics()).containsKeys("test_accuracy", "afinn_test_accuracy");
    SentimentClassifier.Prediction p = SentimentClassifier.classify(m, "Great phone, I love it!");
    assertThat(p.p()).isBetween(0.5, 1.0);
    assertThat(p.probabilities()[0] + p.probabilities()[1]).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  @Timeout(60)
  void shouldTrainATinySlotTaggerThatBeatsChance() {
    TrainingOptions o = SlotTask.defaults().toBuilder()
        .epochs(3).hiddenSize(32).embeddingSize(16).build();
    TaskResult r = SlotTask.train(
        SlotFillingGenerator.generate(Split.TRAIN, 800, 1),
        SlotFillingGenerator.generate(Split.DEV, 100, 2),
        SlotFillingGenerator.generate(Split.TEST, 200, 3), o, null);

    // an untrained tagger finds no correct span (F1 about 0); three tiny epochs find many
    assertThat(r.metrics().get("dev_f1")).isGreaterThan(0.5);
    assertThat(r.metrics().get("test_f1")).isGreaterThan(0.3);
    RnnModel m = r.model();
    assertThat(m.spec().bidirectional()).isTrue();
    assertThat(m.info().labels()).isEqualTo(SlotFillingGenerator.tagSet());
    assertThat(SlotTagger.tag(m, "Show me flights from Boston to Denver.").tokens())
        .containsExactly("show", "me", "flights", "from", "boston", "to", "denver");
  }

  @Test
  @Timeout(60)
  void slotTrainingWithCarrierDropoutAndFillerRunsShouldBeDeterministic() {
    // the per-epoch corruption (carrier dropout, runs of fillers) draws from the seeded epoch
    // random only, so the same seed gives bit-identical weights whatever the threads
    TrainingOptions one = SlotTask.defaults().toBuilder()
        .epochs(1).hiddenSize(8).embeddingSize(8).threads(1).build();
    TrainingOptions two = one.toBuilder().threads(2).build();
    List<io.rnnstream.models.text.TaggedSentence> train =
        SlotFillingGenerator.generate(Split.TRAIN, 120, 1);
    List<io.rnnstream.models.text.TaggedSentence> dev =
        SlotFillingGenerator.generate(Split.DEV, 20, 2);
    Map<String, Tensor> a = SlotTask.train(train, dev, dev, one, null).model().tensors();
    Map<String, Tensor> b = SlotTask.train(train, dev, dev, two, null).model().tensors();
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (String name : a.keySet()) {
      assertThat(b.get(name).data()).as(name).containsExactly(a.get(name).data());
    }
  }

  @Test
  @Timeout(60)
  void shouldGiveBitIdenticalWeightsForTheSameSeedWhateverTheThreads() {
    TrainingOptions one = SentimentTask.defaults().toBuilder()
        .epochs(1).trainSize(96).devSize(20).hiddenSize(8).embeddingSize(8).threads(1).build();
    TrainingOptions two = one.toBuilder().threads(2).build();
    Map<String, Tensor> a = SentimentTask.train(one, null).model().tensors();
    Map<String, Tensor> b = SentimentTask.train(two, null).model().tensors();
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (String name : a.keySet()) {
      assertThat(b.get(name).data()).as(name).containsExactly(a.get(name).data());
    }
  }

  @Test
  void shouldTokenizeFreeTextLikeTheGenerator() {
    assertThat(SlotTagger.tokens("Arrive Taipei on November 2nd, around 7:30 pm!"))
        .containsExactly("arrive", "taipei", "on", "november", "2nd", "around", "7:30", "pm");
    assertThat(SlotTagger.tokens("at 9 o’clock")).containsExactly("at", "9", "o'clock");
    assertThat(SlotTagger.tokens("  ")).isEmpty();
  }

  @Test
  void shouldBuildAVocabularyWithUnkFirstAndDeterministicOrder() {
    Vocabulary v = Vocabulary.build(
        List.of(List.of("b", "a", "b"), List.of("c", "a", "b")), 2, List.of("z", "a"));
    assertThat(v.tokens()).containsExactly("<unk>", "b", "a", "z");
    assertThat(v.id("never seen")).isZero();
    assertThat(v.ids(List.of("a", "c"))).containsExactly(2, 0);
  }
}
