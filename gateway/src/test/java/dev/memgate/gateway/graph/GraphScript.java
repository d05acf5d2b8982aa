package dev.memgate.gateway.graph;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fake LLM answers in the graph scenarios, and small helpers to add and search over HTTP. */
final class GraphScript {
  static final String EXTRACTION = "graph_extraction";
  static final String CONTRADICTIONS = "graph_contradictions";
  static final String QUERY_ENTITIES = "graph_query_entities";

  private GraphScript() {
  }

  static String newUser() {
    return "user-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static JsonObject rel(String source, String relationship, String destination, String validFrom) {
    return new JsonObject().put("source", source).put("relationship", relationship).put("destination", destination)
      .put("valid_from", validFrom);
  }

  /** The model's graph extraction: the relations given, their ends as entities. */
  static String graph(JsonObject... relations) {
    JsonArray entities = new JsonArray();
    for (JsonObject r : relations) {
      entities.add(new JsonObject().put("name", r.getString("source")).put("type", "thing"));
      entities.add(new JsonObject().put("name", r.getString("destination")).put("type", "thing"));
    }
    return new JsonObject().put("entities", entities).put("relations", new JsonArray(List.of((Object[]) relations)))
      .encode();
  }

  static String facts(String... facts) {
    return new JsonObject().put("facts", new JsonArray(List.of((Object[]) facts))).encode();
  }

  static String invalidate(int... positions) {
    JsonArray list = new JsonArray();
    for (int p : positions) {
      list.add(p);
    }
    return new JsonObject().put("invalidate", list).encode();
  }

  /**
   * A script by output: facts and graph as given, no decision (every fact is added), no contradiction, and the
   * query's entities as given.
   */
  static Function<FakeLlmServer.Call, String> script(Map<String, Function<FakeLlmServer.Call, String>> answers) {
    return call -> {
      Function<FakeLlmServer.Call, String> answer = answers.get(call.outputName());
      if (answer != null) {
        return answer.apply(call);
      }
      return switch (call.outputName()) {
        case "memory_decisions" -> "{\"decisions\": []}";
        case CONTRADICTIONS -> invalidate();
        case QUERY_ENTITIES -> "{\"entities\": []}";
        case EXTRACTION -> graph();
        default -> facts();
      };
    };
  }

  static JsonObject says(String userId, String text) {
    return new JsonObject()
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text)))
      .put("user_id", userId);
  }

  static JsonObject addOk(Api api, String userId, String text) {
    Reply reply = api.post("/memories", says(userId, text));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  static JsonObject search(Api api, JsonObject request) {
    Reply reply = api.post("/search", request);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  /** "source relationship destination" of each relation, in order. */
  static List<String> triples(JsonArray relations) {
    return relations.stream().map(r -> (JsonObject) r)
      .map(r -> r.getString("source") + " " + r.getString("relationship") + " " + r.getString("destination"))
      .toList();
  }
}
