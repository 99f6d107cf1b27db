package io.rnnstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.text.BioSpans;
import io.rnnstream.models.text.TaggedSentence;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlotFillingGeneratorTest {

  @Test
  void shouldBeAPureFunctionOfSplitCountAndSeed() {
    List<TaggedSentence> a = SlotFillingGenerator.generate(Split.TRAIN, 500, 7);
    List<TaggedSentence> b = SlotFillingGenerator.generate(Split.TRAIN, 500, 7);
    assertThat(a).isEqualTo(b);
    assertThat(SlotFillingGenerator.generate(Split.TRAIN, 500, 8)).isNotEqualTo(a);
    assertThat(SlotFillingGenerator.generate(Split.DEV, 500, 7)).isNotEqualTo(a);
    // a prefix of a longer run is the shorter run
    assertThat(SlotFillingGenerator.generate(Split.TRAIN, 1000, 7).subList(0, 500)).isEqualTo(a);
  }

  @Test
  void shouldGenerateFromAGivenTemplateSubsetLikeTheSplit() {
    List<String> pool = SlotFillingGenerator.templates(Split.TRAIN);
    assertThat(SlotFillingGenerator.generate(pool, Split.TRAIN, 300, 7))
        .isEqualTo(SlotFillingGenerator.generate(Split.TRAIN, 300, 7));
    List<String> two = pool.subList(0, 2);
    for (TaggedSentence s : SlotFillingGenerator.generate(two, Split.DEV, 100, 1)) {
      assertThat(two).contains(s.template());
    }
  }

  @Test
  void shouldKeepTestTemplatesOutOfTrainingAndDev() {
    assertThat(SlotFillingGenerator.templates(Split.TRAIN)).hasSize(68).doesNotHaveDuplicates();
    assertThat(SlotFillingGenerator.templates(Split.TEST)).hasSize(16).doesNotHaveDuplicates();
    assertThat(SlotFillingGenerator.templates(Split.DEV)).isEqualTo(SlotFillingGenerator.templates(Split.TRAIN));
    assertThat(SlotFillingGenerator.templates(Split.TEST))
        .doesNotContainAnyElementsOf(SlotFillingGenerator.templates(Split.TRAIN));

    Set<String> trainTemplates = new HashSet<>();
    for (TaggedSentence s : SlotFillingGenerator.generate(Split.TRAIN, 3000, 1)) {
      trainTemplates.add(s.template());
    }
    for (TaggedSentence s : SlotFillingGenerator.generate(Split.DEV, 500, 1)) {
      assertThat(SlotFillingGenerator.templates(Split.TRAIN)).contains(s.template());
    }
    Set<String> testTemplates = new HashSet<>();
    for (TaggedSentence s : SlotFillingGenerator.generate(Split.TEST, 1000, 1)) {
      assertThat(trainTemplates).doesNotContain(s.template());
      testTemplates.add(s.template());
    }
    assertThat(trainTemplates).hasSize(68);
    assertThat(testTemplates).hasSize(16);
  }

  @Test
  void shouldProduceTheLectureLeadExampleFromATestTemplate() {
    assertThat(SlotFillingGenerator.templates(Split.TEST)).contains(SlotFillingGenerator.LEAD_EXAMPLE.template());
    assertThat(SlotFillingGenerator.LEAD_EXAMPLE.text()).isEqualTo("arrive taipei on november 2nd");
    assertThat(SlotFillingGenerator.LEAD_EXAMPLE.slots())
        .containsEntry("destination", "taipei")
        .containsEntry("date", "november 2nd");
    // the generator reaches it: same template, same tagging
    boolean found = false;
    Random rnd = new Random(0);
    for (int i = 0; i < 200_000 && !found; i++) {
      TaggedSentence s = SlotFillingGenerator.fill("arrive {destination} {date}", rnd);
      found = s.equals(SlotFillingGenerator.LEAD_EXAMPLE);
    }
    assertThat(found).isTrue();
  }

  @Test
  void shouldTagOnlyKnownSlotsWithWellFormedBio() {
    Set<String> tagSet = new HashSet<>(SlotFillingGenerator.tagSet());
    Set<String> seenTypes = new HashSet<>();
    for (Split split : Split.values()) {
      for (TaggedSentence s : SlotFillingGenerator.generate(split, 2000, 3)) {
        assertThat(tagSet).containsAll(s.tags());
        for (int i = 0; i < s.tags().size(); i++) {
          String tag = s.tags().get(i);
          assertThat(s.tokens().get(i)).matches("[a-z0-9:']+");
          if (tag.startsWith("I-")) { // IOB2: every I- follows B- or I- of its type
            String prev = s.tags().get(i - 1);
            assertThat(prev.substring(2)).isEqualTo(tag.substring(2));
          }
        }
        for (BioSpans.Span sp : BioSpans.spans(s.tags())) {
          seenTypes.add(sp.type());
        }
        // origin and destination differ
        if (s.slots().containsKey("origin") && s.slots().containsKey("destination")) {
          assertThat(s.slots().get("origin")).isNotEqualTo(s.slots().get("destination"));
        }
      }
    }
    assertThat(seenTypes).containsExactlyInAnyOrderElementsOf(SlotFillingGenerator.SLOT_TYPES);
    assertThat(SlotFillingGenerator.CITIES).hasSizeGreaterThanOrEqualTo(60).doesNotHaveDuplicates()
        .contains("new york", "san francisco", "taipei");
  }

  @Test
  void shouldTagMultiWordValuesAsOneSpan() {
    TaggedSentence s = new TaggedSentence(
        List.of("from", "salt", "lake", "city", "to", "new", "york", "in", "the", "evening"),
        List.of("O", "B-origin", "I-origin", "I-origin", "O", "B-destination", "I-destination", "O", "O", "B-time"),
        "");
    assertThat(s.slots()).containsEntry("origin", "salt lake city").containsEntry("destination", "new york")
        .containsEntry("time", "evening");
    assertThat(SlotFillingGenerator.ordinalNumber(2)).isEqualTo("2nd");
    assertThat(SlotFillingGenerator.ordinalNumber(11)).isEqualTo("11th");
    assertThat(SlotFillingGenerator.ordinalNumber(23)).isEqualTo("23rd");
    assertThat(SlotFillingGenerator.ordinalNumber(31)).isEqualTo("31st");
  }

  @Test
  void shouldScorePerfectGeneratedTagsAsF1One() {
    SlotF1 f = new SlotF1();
    for (TaggedSentence s : SlotFillingGenerator.generate(Split.TEST, 300, 5)) {
      f.add(s.tags(), s.tags());
    }
    assertThat(f.f1()).isEqualTo(1.0);
  }
}
