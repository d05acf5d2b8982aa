package dev.memgate.vector.lucene;

import dev.memgate.vector.filter.Filter;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Matches memories whose filter view satisfies a {@link Filter}, by evaluating the very same Java predicate that
 * defines the filter semantics. It is a two-phase check: Lucene leads with the cheap scope terms and asks this
 * query only about the documents that are left, so its cost follows the scope's size, not the index's.
 */
final class FilterViewQuery extends Query {
  private final Filter filter;

  FilterViewQuery(Filter filter) {
    this.filter = filter;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
        BinaryDocValues views = DocValues.getBinary(context.reader(), LuceneSchema.FILTER_VIEW);
        TwoPhaseIterator matching = new TwoPhaseIterator(views) {
          @Override
          public boolean matches() throws IOException {
            BytesRef bytes = views.binaryValue();
            JsonObject view = new JsonObject(new String(bytes.bytes, bytes.offset, bytes.length,
              StandardCharsets.UTF_8));
            return filter.matches(view);
          }

          @Override
          public float matchCost() {
            return 500f;
          }
        };
        return new DefaultScorerSupplier(new ConstantScoreScorer(score(), scoreMode, matching));
      }

      @Override
      public boolean isCacheable(LeafReaderContext context) {
        return false;
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "FilterViewQuery(" + filter + ")";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && filter.equals(((FilterViewQuery) other).filter);
  }

  @Override
  public int hashCode() {
    return classHash() ^ filter.hashCode();
  }
}
