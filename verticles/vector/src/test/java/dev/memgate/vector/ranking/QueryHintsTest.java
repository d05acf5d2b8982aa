package dev.memgate.vector.ranking;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The dates and names a query mentions, as the hybrid ranking reads them; a table, one query per row. */
class QueryHintsTest {

  @ParameterizedTest(name = "\"{0}\" dates {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
    What did Caroline do on 8 May, 2023?            | 2023-05-08T13:56:00Z | true
    What did Caroline do on 8 May, 2023?            | 2023-05-09T10:00:00Z | false
    What did Caroline do on 8 May, 2023?            | 2022-05-08T10:00:00Z | false
    What happened on May 23, 2023?                  | 2023-05-23T00:00:00Z | true
    What happened on May 23rd 2023?                 | 2023-05-23T23:59:59Z | true
    What painting was shown on October 13, 2023?    | 2023-10-13T09:00:00Z | true
    What did she find on 1 February, 2023?          | 2023-02-01T09:00:00Z | true
    What was logged on 2024-01-15?                  | 2024-01-15T09:00:00Z | true
    What did Maria start in December 2023?          | 2023-12-30T09:00:00Z | true
    What did Maria start in December 2023?          | 2022-12-30T09:00:00Z | false
    What did Maria start in Dec. 2023?              | 2023-12-01T00:00:00Z | true
    When did Melanie go camping in July?            | 2021-07-04T09:00:00Z | true
    When did Melanie go camping in July?            | 2021-06-30T09:00:00Z | false
    What may she have meant?                        | 2023-05-08T09:00:00Z | false
    Where does she live?                            | 2023-05-08T09:00:00Z | false
    What did they do on 31 February, 2023?          | 2023-03-03T09:00:00Z | false
    """)
  void aMemoryIsDatedAsTheQueryAsksWhenItFallsOnThatDayOrInThatMonth(String query, String createdAt,
                                                                       boolean dated) {
    QueryHints hints = QueryHints.of(query);
    assertThat(hints.dates(createdAt)).isEqualTo(dated);
  }

  @ParameterizedTest(name = "\"{0}\" names {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
    What did Caroline research?          | Caroline      | true
    What is Caroline's identity?         | caroline      | true
    What did caroline research?          | Caroline      | true
    What did Caroline research?          | Melanie       | false
    Where did Jon Snow go?               | Jon Snow      | true
    Where did Jon go?                    | Jon Snow      | false
    Where did Carol go?                  | Caroline      | false
    """)
  void aQueryNamesASpeakerWhenEveryWordOfTheNameIsInIt(String query, String actorId, boolean named) {
    assertThat(QueryHints.of(query).names(actorId)).isEqualTo(named);
  }
}
