package dev.memgate.vector.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * How memory texts and queries are cut into keywords for BM25: words, lower-cased, without the Snowball English
 * stop words (question words such as "what", "when", "did" among them, which otherwise match every chatty memory),
 * stemmed with the Snowball English stemmer. This is the pipeline of PostgreSQL's {@code english} text search
 * configuration, so that the embedded and the PostgreSQL stores rank keywords alike.
 */
final class MemoryTextAnalyzer extends Analyzer {
  static final CharArraySet STOP_WORDS = loadStopWords();

  private static CharArraySet loadStopWords() {
    try (InputStream in = SnowballFilter.class.getResourceAsStream("english_stop.txt")) {
      if (in == null) {
        throw new IllegalStateException("the Snowball English stop word list is missing from the class path");
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return CharArraySet.unmodifiableSet(WordlistLoader.getSnowballWordSet(reader));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    StandardTokenizer source = new StandardTokenizer();
    TokenStream words = new EnglishPossessiveFilter(source);
    words = new LowerCaseFilter(words);
    words = new StopFilter(words, STOP_WORDS);
    words = new SnowballFilter(words, new EnglishStemmer());
    return new TokenStreamComponents(source, words);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }
}
