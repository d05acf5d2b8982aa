package dev.memgate.vector.ranking;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused ranking every store hands its candidates to. */
class HybridFusionTest {
  private static final String MAY = "2023-05-08T13:56:00.000Z";
  private static final String JULY = "2023-07-20T16:00:00.000Z";
  private final HybridFusion fusion = new HybridFusion(HybridFusion.DEFAULT);

  private static HybridFusion.Candidate candidate(String id, Double cosine, int vectorRank, Double bm25,
                                                  int keywordRank, String createdAt) {
    return new HybridFusion.Candidate(id, cosine, vectorRank, bm25, keywordRank, "Caroline", createdAt);
  }

  private static List<String> ids(List<HybridFusion.Fused> fused) {
    return fused.stream().map(HybridFusion.Fused::id).toList();
  }

  @Test
  void aMemoryGoodByBothMeaningAndWordsBeatsOneGoodByEitherAlone() {
    List<HybridFusion.Fused> fused = fusion.fuse("adoption agencies", List.of(
      candidate("meaning", 0.86, 1, null, 0, MAY),
      candidate("both", 0.84, 2, 7.5, 2, MAY),
      candidate("words", 0.70, 4, 9.0, 1, MAY),
      candidate("neither", 0.72, 3, null, 0, MAY)));

    assertThat(ids(fused).get(0)).isEqualTo("both");
    assertThat(ids(fused).get(3)).isEqualTo("neither");
    assertThat(fused).allSatisfy(f -> assertThat(f.score()).isBetween(0.0, 1.0));
    assertThat(fused).allSatisfy(f -> assertThat(f.vectorPart() + f.keywordPart() + f.datePart())
      .isCloseTo(f.score(), within(1e-12)));
  }

  @Test
  void withoutAnyKeywordMatchTheRankingIsTheVectorRanking() {
    List<HybridFusion.Fused> fused = fusion.fuse("pets", List.of(
      candidate("second", 0.80, 2, null, 0, MAY),
      candidate("first", 0.81, 1, null, 0, MAY),
      candidate("third", 0.40, 3, null, 0, MAY)));

    assertThat(ids(fused)).containsExactly("first", "second", "third");
    assertThat(fused).allSatisfy(f -> assertThat(f.keywordPart()).isZero());
  }

  @Test
  void aDateTheQueryNamesLiftsTheMemoriesOfThatDate() {
    List<HybridFusion.Candidate> candidates = List.of(
      candidate("may", 0.83, 1, 2.0, 1, MAY),
      candidate("july", 0.82, 2, 2.0, 2, JULY));

    assertThat(ids(fusion.fuse("What did we celebrate?", candidates))).containsExactly("may", "july");
    List<HybridFusion.Fused> inJuly = fusion.fuse("What did we celebrate in July?", candidates);
    assertThat(ids(inJuly)).containsExactly("july", "may");
    assertThat(inJuly.get(0).datePart()).isPositive();
    assertThat(inJuly.get(0).score()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void reciprocalRankFusionUsesOnlyThePlaces() {
    HybridFusion rrf = new HybridFusion(new HybridFusion.Weights(HybridFusion.Method.RECIPROCAL_RANK, 0.5,
      HybridFusion.VectorScale.COSINE, HybridFusion.KeywordScale.BEST, 5, 60, 100, 0, 0));
    List<HybridFusion.Fused> fused = rrf.fuse("q", List.of(
      candidate("a", 0.99, 1, null, 0, MAY),
      candidate("b", 0.60, 2, 10.0, 1, MAY),
      candidate("c", 0.10, 3, 9.9, 2, MAY)));

    // a's far better cosine counts for nothing: one first place loses to two good places
    assertThat(ids(fused)).containsExactly("b", "c", "a");
    assertThat(fused.get(0).score()).isCloseTo(0.5 / 62 + 0.5 / 61, within(1e-12));
  }

  @Test
  void eachRankingContributesAtLeastTheDepthAndMoreForLargerLimits() {
    assertThat(fusion.depth(10)).isEqualTo(100);
    assertThat(fusion.depth(500)).isEqualTo(500);
  }
}
