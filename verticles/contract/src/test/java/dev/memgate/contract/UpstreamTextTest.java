package dev.memgate.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What upstream text may show: each credential shape hidden, ordinary text left as it was. */
class UpstreamTextTest {

  @Test
  void aConfiguredSecretIsHiddenWhereverItAppearsEvenWhenItLooksLikeNoKey() {
    UpstreamText.hide("  correct horse battery  ");
    assertThat(UpstreamText.redact("refused: correct horse battery!")).isEqualTo("refused: ***!");
    assertThat(UpstreamText.redact("xxcorrect horse batteryxx")).isEqualTo("xx***xx");
    assertThat(UpstreamText.redact("key=correct%20horse%20battery")).doesNotContain("horse");
    assertThat(UpstreamText.redact("key=correct+horse+battery")).doesNotContain("horse");
  }

  @Test
  void aConfiguredSecretIsHiddenInItsJsonEscapedForm() {
    UpstreamText.hide("pa\"ss/wo\\rd-99");
    assertThat(UpstreamText.redact("{\"got\":\"pa\\\"ss/wo\\\\rd-99\"}")).isEqualTo("{\"got\":\"***\"}");
  }

  @Test
  void blankAndVeryShortSecretsAreNotHiddenByValue() {
    UpstreamText.hide(null);
    UpstreamText.hide("   ");
    UpstreamText.hide("the");
    assertThat(UpstreamText.redact("the model is not loaded")).isEqualTo("the model is not loaded");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "sk-test-abcdefghijklmnop0123456789xyz",
    "sk-proj-Ab3dEf6hIj9lMn2pQr5tUv8xYz1b4D7f",
    "sk-ant-api03-AbCdEfGhIjKlMnOp-qrstuvwx_yz0123",
    "sk-abcdefgh12345678",
    "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz",
    "xoxb-1234567890-abcdefghij",
    "AKIAIOSFODNN7EXAMPLE",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
    "hf_AbCdEfGhIjKlMnOpQrStUvWxYz",
    "gsk_AbCdEfGhIjKlMnOpQrStUvWxYz012345",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo",
    "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"
  })
  void keysOfKnownShapesAndLongRandomTokensAreHidden(String key) {
    assertThat(UpstreamText.redact("Incorrect API key provided: " + key + ". Try again."))
      .isEqualTo("Incorrect API key provided: ***. Try again.");
  }

  @Test
  void bearerTokenAndBasicCredentialsAreHiddenAndTheSchemeKept() {
    assertThat(UpstreamText.redact("Authorization: Bearer open-sesame-42")).isEqualTo("Authorization: Bearer ***");
    assertThat(UpstreamText.redact("authorization: token 0123abcdef")).isEqualTo("authorization: token ***");
    String basic = Base64.getEncoder().encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8));
    assertThat(UpstreamText.redact("sent Authorization: Basic " + basic + " to the proxy"))
      .isEqualTo("sent Authorization: Basic *** to the proxy");
  }

  @Test
  void namedCredentialValuesAreHiddenInQueriesHeadersAndJson() {
    assertThat(UpstreamText.redact("GET /v1/models?api_key=hunter2&model=x"))
      .isEqualTo("GET /v1/models?api_key=***&model=x");
    assertThat(UpstreamText.redact("x-api-key: hunter2")).isEqualTo("x-api-key: ***");
    assertThat(UpstreamText.redact("{\"apikey\": \"hunter2\", \"model\": \"m\"}"))
      .isEqualTo("{\"apikey\": \"***\", \"model\": \"m\"}");
    assertThat(UpstreamText.redact("password=hunter2 user=bob")).isEqualTo("password=*** user=bob");
    assertThat(UpstreamText.redact("token=abc; secret: xyz")).isEqualTo("token=***; secret: ***");
    assertThat(UpstreamText.redact("host=db sslmode=require PASSWORD='s3cr3t'"))
      .isEqualTo("host=db sslmode=require PASSWORD='***'");
  }

  @Test
  void theUrlPasswordIsHiddenAndTheRestOfTheUrlKept() {
    assertThat(UpstreamText.redact("cannot reach postgresql://memgate:s3cr3t@db.internal:5432/memgate"))
      .isEqualTo("cannot reach postgresql://memgate:***@db.internal:5432/memgate");
    assertThat(UpstreamText.redact("LLM provider openai at https://proxy:p%40ss@llm.example/v1: refused"))
      .isEqualTo("LLM provider openai at https://proxy:***@llm.example/v1: refused");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "LLM provider openai at http://127.0.0.1:9/v1: unreachable (Connection refused: /127.0.0.1:9)",
    "model 'meta-llama-3-1-8b-instruct-q4_k_m-gguf' not found, try pulling it first",
    "memory 3f2a9c1e-7b4d-4e8f-9a21-0c5d6e7f8a9b not found",
    "the data directory /tmp/memgate-test-12345678901234567890/lucene is not writable",
    "Bearer authentication is required",
    "Token limit exceeded: 4096 tokens",
    "password authentication failed for user \"postgres\"",
    "max_tokens=2000 is too large for this model",
    "Basic realm=\"api\"",
    "https://api.openai.com/v1/chat/completions answered 401",
    "the graph store at neo4j://localhost:7687 is unavailable: Unable to connect to localhost:7687"
  })
  void ordinaryTextIsLeftAsItWas(String text) {
    assertThat(UpstreamText.redact(text)).isEqualTo(text);
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    String once = UpstreamText.redact("Authorization: Bearer sk-test-abcdefghijkl api_key=xyz https://u:p@h/");
    assertThat(UpstreamText.redact(once)).isEqualTo(once);
  }

  @Test
  void anOpenAiErrorBodyBecomesItsTypeCodeAndMessage() {
    String body = "{\n  \"error\": {\n    \"message\": \"Incorrect API key provided: sk-test-abcdefghijklmnop. You can "
      + "find your API key at https://platform.openai.com/account/api-keys.\",\n    \"type\": "
      + "\"invalid_request_error\",\n    \"param\": null,\n    \"code\": \"invalid_api_key\"\n  }\n}\n";
    assertThat(UpstreamText.ofBody(body)).isEqualTo("invalid_request_error (code invalid_api_key): Incorrect API key "
      + "provided: ***. You can find your API key at https://platform.openai.com/account/api-keys.");
  }

  @Test
  void anthropicAndOllamaErrorBodiesKeepWhatTheySay() {
    assertThat(UpstreamText.ofBody("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
      + "\"message\":\"invalid x-api-key\"}}")).isEqualTo("authentication_error: invalid x-api-key");
    assertThat(UpstreamText.ofBody("{\"error\":\"model \\\"llama3.1\\\" not found, try pulling it first\"}"))
      .isEqualTo("model \"llama3.1\" not found, try pulling it first");
    assertThat(UpstreamText.ofBody("{\"error\":{\"message\":\"Invalid parameter: 'response_format' of type "
      + "'json_schema' is not supported\",\"type\":\"invalid_request_error\",\"param\":\"response_format\"}}"))
      .isEqualTo("invalid_request_error (param response_format): Invalid parameter: 'response_format' of type "
        + "'json_schema' is not supported");
  }

  @Test
  void aJsonBodyOfAnotherShapeIsShownAsTextWithoutItsCredentials() {
    assertThat(UpstreamText.ofBody("{\"status\":\"denied\",\"api_key\":\"hunter2\"}"))
      .isEqualTo("{\"status\":\"denied\",\"api_key\":\"***\"}");
  }

  @Test
  void anHtmlPageBecomesItsTextOnOneLine() {
    assertThat(UpstreamText.ofBody("<html>\r\n<head><title>502 Bad Gateway</title><style>b{}</style></head>\n"
      + "<body><center><h1>502 Bad Gateway</h1></center></body></html>"))
      .isEqualTo("502 Bad Gateway 502 Bad Gateway");
  }

  @Test
  void aSummaryIsOneLineOfAtMostTwoHundredCharacters() {
    String summary = UpstreamText.summary("line one\nline\ttwo\u0000 " + "word ".repeat(500));
    assertThat(summary).startsWith("line one line two word").endsWith("...").doesNotContain("\n");
    assertThat(summary).hasSize(UpstreamText.MAX_CHARS);
    assertThat(UpstreamText.summary(null)).isEmpty();
  }

  @Test
  void aKeyNearTheCutIsHiddenBeforeTheTextIsClipped() {
    String key = "sk-proj-" + "Ab3dEf6hIj9lMn2pQr5tUv8xYz".repeat(2);
    String summary = UpstreamText.summary("x".repeat(190) + " " + key + " tail");
    assertThat(summary).doesNotContain("sk-proj").doesNotContain("Ab3d");
  }

  @Test
  void aFailureThatBlamesADependencyHasItsDetailRedacted() {
    BusFailure unavailable = BusFailure.unavailable("llm:openai", "answered HTTP 401: Bearer sk-test-abcdefghijkl");
    assertThat(unavailable.detail()).isEqualTo("answered HTTP 401: Bearer ***");
    BusFailure decoded = BusFailure.decode(BusError.UNAVAILABLE.code(),
      "{\"detail\":\"postgresql://u:pw@h/db is away\",\"dependency\":\"vector:pgvector\"}");
    assertThat(decoded.detail()).isEqualTo("postgresql://u:***@h/db is away");
    assertThat(BusFailure.badInput("text", "must not be empty").detail()).isEqualTo("must not be empty");
  }
}
