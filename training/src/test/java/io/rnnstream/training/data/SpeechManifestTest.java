package io.rnnstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeechManifestTest {

  @Test
  void shouldResolveWavPathsAgainstTheManifestDirectory(@TempDir Path dir) throws Exception {
    Path m = dir.resolve("manifest.jsonl");
    Files.writeString(m, String.join("\n",
        "{\"wav\": \"wav/train/000001.wav\", \"text\": \"four two seven\", \"voice\": \"en-us+m3\", \"speed\": 151, \"pitch\": 47, \"split\": \"train\"}",
        "{\"wav\": \"wav/test/000002.wav\", \"text\": \"stop\", \"voice\": \"en-gb-scotland+f3\", \"speed\": 180, \"pitch\": 60, \"split\": \"test\"}",
        ""));
    List<SpeechManifest.Utterance> all = SpeechManifest.load(m);
    assertThat(all).hasSize(2);
    assertThat(all.get(0).wav()).isEqualTo(dir.resolve("wav/train/000001.wav").toAbsolutePath());
    assertThat(all.get(0).speed()).isEqualTo(151);
    assertThat(SpeechManifest.load(m, Split.TEST)).extracting(SpeechManifest.Utterance::text).containsExactly("stop");
    assertThatThrownBy(() -> SpeechManifest.load(dir.resolve("nope.jsonl"))).hasMessageContaining("synth.sh");
  }

  /** When the corpus has been generated here, its split keeps held-out voices out of training. */
  @Test
  void shouldKeepHeldOutVoicesOutOfTrainingWhenGenerated() {
    Path m;
    try {
      m = SpeechManifest.defaultManifest();
    } catch (IllegalStateException e) {
      return;
    }
    if (!Files.isRegularFile(m)) {
      return; // not generated on this machine (it is git-ignored)
    }
    Set<String> train = new HashSet<>();
    Set<String> heldOut = new HashSet<>();
    for (SpeechManifest.Utterance u : SpeechManifest.load(m)) {
      (u.split() == Split.TRAIN ? train : heldOut).add(u.voice());
      assertThat(u.text()).matches("[a-z ]+");
    }
    assertThat(heldOut).doesNotContainAnyElementsOf(train);
  }
}
