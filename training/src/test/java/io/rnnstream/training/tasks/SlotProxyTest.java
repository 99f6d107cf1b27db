package io.rnnstream.training.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.training.data.SlotFillingGenerator;
import io.rnnstream.training.data.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlotProxyTest {

  @Test
  void foldsShouldPartitionTheOriginalTrainingTemplatesAndNeverHoldOutAddedOnes() {
    List<String> more = SlotFillingGenerator.moreTrainTemplates();
    Set<String> heldOverall = new HashSet<>();
    for (int k = 0; k < SlotProxy.FOLDS; k++) {
      List<List<String>> f = SlotProxy.fold(k, SlotProxy.FOLDS, true);
      assertThat(SlotProxy.fold(k, SlotProxy.FOLDS, false).get(0)).doesNotContainAnyElementsOf(more)
          .hasSize(32);
      List<String> kept = f.get(0);
      List<String> held = f.get(1);
      assertThat(held).hasSize(16).doesNotContainAnyElementsOf(kept)
          .doesNotContainAnyElementsOf(more);
      assertThat(kept).containsAll(more);
      assertThat(SlotFillingGenerator.templates(Split.TEST)).doesNotContainAnyElementsOf(held)
          .doesNotContainAnyElementsOf(kept);
      assertThat(heldOverall.addAll(held)).isTrue();
    }
    List<String> original = new ArrayList<>(SlotFillingGenerator.templates(Split.TRAIN));
    original.removeAll(more);
    assertThat(heldOverall).containsExactlyInAnyOrderElementsOf(original);
    // a fixed shuffle: the same folds every time
    assertThat(SlotProxy.fold(1, 3, true)).isEqualTo(SlotProxy.fold(1, 3, true));
  }
}
