package io.rnnstream.models.training.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.training.Losses;
import io.rnnstream.models.training.SequenceTape;
import io.rnnstream.models.training.TrainableModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CaptionTaskTest {
  static final Path AUDIO = Path.of("src/test/resources/io/rnnstream/models/audio");

  /** The three committed example WAVs with their transcripts. */
  static List<CaptionTask.Clip> exampleClips() throws Exception {
    List<CaptionTask.Clip> clips = new ArrayList<>();
    clips.add(new CaptionTask.Clip("four two seven",
        CaptionTask.features(AUDIO.resolve("four_two_seven.wav"))));
    clips.add(new CaptionTask.Clip("stop", CaptionTask.features(AUDIO.resolve("stop.wav"))));
    clips.add(new CaptionTask.Clip("open the door",
        CaptionTask.features(AUDIO.resolve("open_the_door.wav"))));
    return clips;
  }

  @Test
  void shouldCountCharacterErrors() {
    assertThat(CaptionTask.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(CaptionTask.editDistance("", "abc")).isEqualTo(3);
    assertThat(CaptionTask.cer(List.of("four two", "stop"), List.of("for two", "stop")))
        .isEqualTo(1.0 / 12);
    assertThat(CaptionTask.cer(List.of("abc"), List.of(""))).isEqualTo(1.0);
  }

  @Test
  void shouldMapTranscriptsToClassesAfterTheBlank() {
    assertThat(CaptionTask.labelsOf("a z")).containsExactly(2, 1, 27);
    assertThat(CaptionTask.LABELS).hasSize(28).startsWith("<blank>", " ", "a");
    assertThatThrownBy(() -> CaptionTask.labelsOf("4"))
        .hasMessageContaining("not in the caption alphabet");
  }

  @Test
  void shouldFoldTheFeatureNormalisationIntoTheServedModel() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 5, 6)
        .head(CaptionTask.LABELS.size(), Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 7);
    double[] mu = {-3, 0.5, 2, 10, -1};
    double[] sd = {2, 0.25, 1, 4, 3};
    RnnModel served = CaptionTask.serve(m, Map.of(), mu, sd);

    SplittableRandom rnd = new SplittableRandom(3);
    float[][] raw = new float[9][5];
    double[][] normalised = new double[9][5];
    for (int t = 0; t < raw.length; t++) {
      for (int j = 0; j < 5; j++) {
        raw[t][j] = (float) (mu[j] + sd[j] * rnd.nextGaussian());
        normalised[t][j] = (raw[t][j] - mu[j]) / sd[j];
      }
    }
    double[][] logits = SequenceTape.forward(m, normalised).outputs();
    float[][] p = served.forward(raw);
    for (int t = 0; t < raw.length; t++) {
      double[] lp = Losses.logSoftmax(logits[t]);
      for (int k = 0; k < lp.length; k++) {
        assertThat(Math.log(p[t][k])).isCloseTo(lp[k], org.assertj.core.data.Offset.offset(1e-4));
      }
    }
    CtcAlphabet a = CaptionTask.alphabet(served);
    assertThat(a.labels()).isEqualTo(CaptionTask.ALPHABET);
    assertThat(a.blank()).isZero();
  }

  @Test
  @Timeout(60)
  void shouldLearnTheCommittedExamplesWithCtc() throws Exception {
    List<CaptionTask.Clip> clips = exampleClips();
    TrainingOptions o = CaptionTask.defaults().toBuilder()
        .epochs(120).patience(120).batchSize(1).hiddenSize(48).learningRate(0.02).augment(false)
        .build();
    TaskResult r = CaptionTask.train(clips, clips, List.of(), o, null);
    // emitting nothing (what an untrained CTC model does) is a CER of 1
    assertThat(r.metrics().get("dev_cer")).isLessThan(0.4);
    assertThat(CaptionTask.transcribe(r.model(), clips.get(1).frames())).isNotNull();
  }

  private static io.rnnstream.models.data.SpeechManifest.Utterance utterance(String voice,
      io.rnnstream.models.data.Split split) {
    return new io.rnnstream.models.data.SpeechManifest.Utterance(AUDIO.resolve("stop.wav"),
        "stop", voice, 170, 50, split);
  }

  @Test
  void shouldKeepDevAndTestVoicesOutOfTraining() {
    var dev = io.rnnstream.models.data.Split.DEV;
    var train = io.rnnstream.models.data.Split.TRAIN;
    List<io.rnnstream.models.data.SpeechManifest.Utterance> heldOut =
        List.of(utterance("en-gb-x-gbcwmd+m2", dev), utterance("en-us-nyc+f3", dev));
    CaptionTask.checkVoicesDisjoint(List.of(utterance("en-us+m3", train),
        utterance("en-gb", train), utterance("en+aunty", train),
        utterance("en-029+Storm", train)), heldOut);
    assertThatThrownBy(() -> CaptionTask.checkVoicesDisjoint(
        List.of(utterance("en-us+M2", train)), heldOut)).hasMessageContaining("en-us+M2");
    assertThatThrownBy(() -> CaptionTask.checkVoicesDisjoint(
        List.of(utterance("en-us-nyc+klatt", train)), heldOut))
        .hasMessageContaining("language voice or variant");
    assertThat(CaptionTask.language("en+aunty")).isEqualTo("en-gb");
    assertThat(CaptionTask.language("en-GB-x-rp")).isEqualTo("en-gb-x-rp");
    assertThat(CaptionTask.variant("en-us")).isEmpty();
    assertThat(CaptionTask.variant("en-us+Storm")).isEqualTo("storm");
  }

  @Test
  void shouldPutLeadingSilenceBeforeTheServedConditionsUtterances() throws Exception {
    var u = utterance("en-gb-x-gbcwmd+m2", io.rnnstream.models.data.Split.DEV);
    float[][] plain = CaptionTask.featurize(List.of(u)).get(0).frames();
    float[][] lead = CaptionTask.featurize(List.of(u), CaptionTask.SERVED_LEAD_SAMPLES).get(0)
        .frames();
    assertThat(lead.length).isEqualTo(plain.length + 30);
    assertThat(lead[lead.length - 1]).containsExactly(plain[plain.length - 1]);
    assertThat(lead[0]).containsExactly(lead[10]); // digital silence: the extractor's floor
  }

  @Test
  void optionsShouldDefaultToOneLayerNoExtraDataAndScoringTest() {
    TrainingOptions o = TrainingOptions.builder().build();
    assertThat(o.numLayers()).isEqualTo(1);
    assertThat(o.extraTrainSize()).isZero();
    assertThat(o.scoreTest()).isTrue();
    assertThat(o.toString()).doesNotContain("layers").doesNotContain("extra")
        .doesNotContain("test");
    TrainingOptions p = o.toBuilder().numLayers(2).extraTrainSize(5).scoreTest(false).build();
    assertThat(p.toBuilder().build().toString()).isEqualTo(p.toString())
        .contains("layers=2 extraTrainSize=5 test=skipped");
    assertThatThrownBy(() -> TrainingOptions.builder().numLayers(0))
        .hasMessageContaining("numLayers");
    assertThatThrownBy(() -> TrainingOptions.builder().extraTrainSize(-1))
        .hasMessageContaining("extraTrainSize");
  }

  @Test
  void shouldFindTheExtraCorpusNextToTheMainManifest() {
    assertThat(CaptionTask.extraManifest(Path.of("/d/speech/generated/manifest.jsonl")))
        .isEqualTo(Path.of("/d/speech/generated/extra/manifest.jsonl"));
  }

  @Test
  @Timeout(60)
  void shouldTrainAStackedModelTheCaptionStreamAccepts() throws Exception {
    List<CaptionTask.Clip> clips = exampleClips();
    TrainingOptions o = CaptionTask.defaults().toBuilder()
        .epochs(2).patience(2).batchSize(1).hiddenSize(16).numLayers(2).augment(true).build();
    TaskResult r = CaptionTask.train(clips, clips.subList(0, 1), List.of(), clips.subList(0, 1),
        o, null);
    assertThat(r.model().spec().numLayers()).isEqualTo(2);
    assertThat(r.metrics()).containsKeys("dev_cer", "dev_cer_lead03")
        .doesNotContainKeys("test_cer");
    io.rnnstream.models.captions.CaptionStream.check(r.model(), CaptionTask.alphabet(r.model()));
  }
}
