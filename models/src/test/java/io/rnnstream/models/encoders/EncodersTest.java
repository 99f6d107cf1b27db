package io.rnnstream.models.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 1-of-N with "other", letter-trigram word hashing, and the chat tokenizer. */
class EncodersTest {

  // ---------------------------------------------------------------- 1-of-N

  private final OneHotEncoder oneHot =
      new OneHotEncoder(List.of("apple", "bag", "cat", "dog", "elephant"));

  @Test
  void oneHotShouldLightTheWordsDimension() {
    // lexicon of 5 + "other": dimension 6
    assertThat(oneHot.dimension()).isEqualTo(6);
    assertThat(oneHot.encode("apple")).containsExactly(1, 0, 0, 0, 0, 0);
    assertThat(oneHot.encode("bag")).containsExactly(0, 1, 0, 0, 0, 0);
    assertThat(oneHot.encode("elephant")).containsExactly(0, 0, 0, 0, 1, 0);
  }

  @Test
  void oneHotShouldMapUnknownWordsToTheOtherDimension() {
    assertThat(oneHot.otherIndex()).isEqualTo(5);
    assertThat(oneHot.indexOf("gorilla")).isEqualTo(5);
    assertThat(oneHot.encode("gorilla")).containsExactly(0, 0, 0, 0, 0, 1);
    assertThat(oneHot.encode("Apple")).as("case-sensitive lookup").containsExactly(
        0, 0, 0, 0, 0, 1);
  }

  @Test
  void oneHotShouldOverwriteItsSliceOnly() {
    float[] out = {9, 9, 9, 9, 9, 9, 9, 9, 9};
    oneHot.encode("cat", out, 2);
    assertThat(out).containsExactly(9, 9, 0, 0, 1, 0, 0, 0, 9);
  }

  @Test
  void oneHotShouldRejectDuplicateWords() {
    assertThatThrownBy(() -> new OneHotEncoder(List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate")
        .hasMessageContaining("a");
  }

  // ---------------------------------------------------------------- word hashing

  @Test
  void trigramsShouldUseHashBoundaries() {
    assertThat(WordHashing.trigrams("apple")).containsExactly("#ap", "app", "ppl", "ple", "le#");
    assertThat(WordHashing.trigrams("Boy")).containsExactly("#bo", "boy", "oy#");
    assertThat(WordHashing.trigrams("a")).containsExactly("#a#");
    assertThat(WordHashing.trigrams("")).isEmpty(); // "##" has no trigram
  }

  @ParameterizedTest
  @ValueSource(strings = {"apple", "a", "mississippi", "xyz", "banana"})
  void encodedCountsShouldSumToTheNumberOfTrigrams(String word) {
    WordHashing hashing = new WordHashing(64);
    float[] v = hashing.encode(word);
    assertThat(v).hasSize(64);
    double sum = 0;
    for (float c : v) {
      assertThat(c).isGreaterThanOrEqualTo(0f);
      sum += c;
    }
    assertThat(sum).isEqualTo(WordHashing.trigrams(word).size());
  }

  @Test
  void theSameTrigramShouldAlwaysLandInTheSameBucket() {
    WordHashing hashing = new WordHashing(1000);
    // "ppl" occurs in both apple and apply: they share that bucket
    float[] apple = hashing.encode("apple");
    float[] apply = hashing.encode("apply");
    assertThat(apple[hashing.bucketOf("ppl")]).isGreaterThanOrEqualTo(1f);
    assertThat(apply[hashing.bucketOf("ppl")]).isGreaterThanOrEqualTo(1f);
    // "banana" = #ba ban ana nan ana na#: "ana" twice counts 2 in one bucket
    assertThat(hashing.encode("banana")[hashing.bucketOf("ana")]).isGreaterThanOrEqualTo(2f);
    assertThat(new WordHashing(1000).bucketOf("app")).isEqualTo(hashing.bucketOf("app"));
  }

  @Test
  void bucketsShouldBePinnedToThe32BitFnv1aHash() {
    // Published FNV-1a 32-bit test vectors: "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968.
    // With buckets = 2^31 - 1 the bucket is the unsigned hash mod (2^31 - 1).
    WordHashing wide = new WordHashing(Integer.MAX_VALUE);
    assertThat(wide.bucketOf("a")).isEqualTo((int) (0xe40c292cL % Integer.MAX_VALUE));
    assertThat(wide.bucketOf("foobar")).isEqualTo((int) (0xbf9cf968L % Integer.MAX_VALUE));
    // pinned values the snapshot vocabularies rely on: fnv1a("#ap") = 0x3d5f267b
    assertThat(new WordHashing(1000).bucketOf("#ap")).isEqualTo(947);
    assertThat(new WordHashing(50000).bucketOf("app")).isEqualTo(24092);
  }

  @Test
  void encodeShouldOverwriteItsSliceOnly() {
    WordHashing hashing = new WordHashing(8);
    float[] out = new float[12];
    java.util.Arrays.fill(out, 5f);
    hashing.encode("cat", out, 2);
    assertThat(out[0]).isEqualTo(5f);
    assertThat(out[1]).isEqualTo(5f);
    assertThat(out[10]).isEqualTo(5f);
    assertThat(out[11]).isEqualTo(5f);
    float sum = 0;
    for (int i = 2; i < 10; i++) {
      sum += out[i];
    }
    assertThat(sum).isEqualTo(3f); // #ca cat at#
  }

  @Test
  void shouldRejectZeroBuckets() {
    assertThatThrownBy(() -> new WordHashing(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("buckets");
  }

  // ---------------------------------------------------------------- chat tokenizer

  private final ChatTokenizer tokenizer = new ChatTokenizer();

  @Test
  void shouldTokenizeMentionsUrlsElongationsAndEmoticons() {
    assertThat(tokenizer.tokenize(
            "@John check https://example.com/a?b=1 it's sooooo GOOD!!! :-)"))
        .containsExactly("<user>", "check", "<url>", "it's", "soo", "good", "!", "!", "!", ":)");
  }

  @Test
  void shouldTokenizeNumbersAndContractions() {
    assertThat(tokenizer.tokenize("I paid 3.50 for 2 coffees, don't ask :("))
        .containsExactly("i", "paid", "<num>", "for", "<num>", "coffees", "don't", "ask", ":(");
    assertThat(tokenizer.tokenize("1,000,000 views"))
        .containsExactly("<num>", "views");
  }

  @Test
  void shouldTokenizeWwwLinksWinksHeartsAndQuestionMarks() {
    assertThat(tokenizer.tokenize("www.foo.com rocks ;) I <3 it... Whyyyy???"))
        .containsExactly("<url>", "rocks", ";)", "i", "<3", "it", "whyy", "?", "?", "?");
  }

  @Test
  void shouldNormaliseTypographicApostrophesAndEmoticonCase() {
    assertThat(tokenizer.tokenize("Don\u2019t :p :-D"))
        .containsExactly("don't", ":P", ":D");
  }

  @Test
  void shouldNotReadAColonBeforeACapitalisedWordAsAnEmoticon() {
    assertThat(tokenizer.tokenize("status:Done, note:Please call"))
        .containsExactly("status", "done", "note", "please", "call");
  }

  @Test
  void shouldKeepExclamationMarksAfterALink() {
    assertThat(tokenizer.tokenize("omg look at this https://x.com/cat!!!"))
        .containsExactly("omg", "look", "at", "this", "<url>", "!", "!", "!");
  }

  @Test
  void shouldKeepDoubleLettersAndDropOtherPunctuation() {
    assertThat(tokenizer.tokenize("Cool, cooool... (really) - ok."))
        .containsExactly("cool", "cool", "really", "ok");
    // exactly three repeats are squeezed too; two are a normal spelling
    assertThat(tokenizer.tokenize("yesss goood sooo tooo"))
        .containsExactly("yess", "good", "soo", "too");
    assertThat(tokenizer.tokenize("")).isEmpty();
  }
}
