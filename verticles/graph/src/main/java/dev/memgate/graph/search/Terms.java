package dev.memgate.graph.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Words as the keyword ranking compares them: Lucene's English analysis (lower case, stop words out, Porter stems),
 * with underscores of stored names read as spaces, so "lives_in" and "Where do I live?" share "live".
 */
public final class Terms {
  private static final Analyzer ANALYZER = new EnglishAnalyzer();

  private Terms() {
  }

  public static List<String> of(String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = ANALYZER.tokenStream("text", text.replace('_', ' '))) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return terms;
  }
}
