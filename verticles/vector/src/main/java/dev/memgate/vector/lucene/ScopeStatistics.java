package dev.memgate.vector.lucene;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.SmallFloat;

import java.io.IOException;

/**
 * BM25 over the memories a search may see, not over the whole index. How rare a word is, and how long a memory is
 * on average, are facts of one user's (one conversation's) memories: a word every other user says often is not
 * common for this one. The PostgreSQL store computes BM25 the same way, so both stores rank keywords alike. Only
 * for scopes up to {@link LuceneSearches#EXACT_SEARCH_BELOW} memories, where counting them costs little; larger
 * scopes keep the index-wide statistics.
 */
final class ScopeStatistics {
  private ScopeStatistics() {
  }

  /**
   * A searcher over the same reader whose BM25 statistics are those of the {@code memories} memories {@code scope}
   * lets through (counted by the caller, which needs the count too).
   */
  static IndexSearcher searcher(IndexSearcher whole, Query scope, int memories) throws IOException {
    if (memories == 0 || memories > LuceneSearches.EXACT_SEARCH_BELOW) {
      return whole;
    }
    long words = lengthsIn(whole, scope, LuceneSchema.SEARCH_TEXT);
    IndexSearcher scoped = new IndexSearcher(whole.getIndexReader()) {
      @Override
      public CollectionStatistics collectionStatistics(String field) throws IOException {
        if (!LuceneSchema.SEARCH_TEXT.equals(field)) {
          return super.collectionStatistics(field);
        }
        return new CollectionStatistics(field, memories, memories, Math.max(words, memories),
          Math.max(words, memories));
      }

      @Override
      public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq) throws IOException {
        if (!LuceneSchema.SEARCH_TEXT.equals(term.field())) {
          return super.termStatistics(term, docFreq, totalTermFreq);
        }
        int inScope = countIn(whole, term, scope);
        // a term with no hit in the scope is not searched for here; Lucene needs docFreq >= 1
        int frequency = Math.max(1, inScope);
        return new TermStatistics(term.bytes(), frequency, Math.max(frequency, Math.min(totalTermFreq, words)));
      }
    };
    scoped.setSimilarity(whole.getSimilarity());
    scoped.setQueryCache(null);
    return scoped;
  }

  private static int countIn(IndexSearcher searcher, Term term, Query scope) throws IOException {
    return searcher.count(new BooleanQuery.Builder()
      .add(new TermQuery(term), BooleanClause.Occur.FILTER)
      .add(scope, BooleanClause.Occur.FILTER)
      .build());
  }

  /** The summed lengths (words after analysis) of the field in the scope's memories, as BM25's norms record them. */
  private static long lengthsIn(IndexSearcher searcher, Query scope, String field) throws IOException {
    long sum = 0;
    Weight weight = searcher.createWeight(searcher.rewrite(scope), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer scorer = weight.scorer(leaf);
      NumericDocValues norms = leaf.reader().getNormValues(field);
      if (scorer == null || norms == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator docs = scorer.iterator();
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        if ((live == null || live.get(doc)) && norms.advanceExact(doc)) {
          sum += SmallFloat.byte4ToInt((byte) norms.longValue());
        }
      }
    }
    return sum;
  }
}
