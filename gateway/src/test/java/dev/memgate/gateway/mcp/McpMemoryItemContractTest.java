package dev.memgate.gateway.mcp;

import dev.memgate.gateway.config.VerticleConfigs;
import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One memory item, described once: the MCP tools that return memories declare the OpenAPI contract's
 * {@code Memory} schema as theirs, and what REST and MCP actually answer fits it (an expiry date, explained scores
 * and the ids included).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpMemoryItemContractTest {
  private static final String USER = "item-contract-user";

  private RunningService service;
  private McpHttp mcp;
  private Api rest;
  private JsonObject memorySchema;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_DEFAULT_USER", USER));
    mcp = new McpHttp(service.mcpBase());
    rest = service.api();
    memorySchema = VerticleConfigs.memoryItemSchema();
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  private Map<String, JsonObject> tools(String session) {
    Map<String, JsonObject> tools = new HashMap<>();
    mcp.call(session, "tools/list", new JsonObject()).getJsonObject("result").getJsonArray("tools")
      .forEach(t -> tools.put(((JsonObject) t).getString("name"), (JsonObject) t));
    return tools;
  }

  private static Validator validator(JsonObject schema) {
    return Validator.create(JsonSchema.of(schema.copy()), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("https://memgate.dev/test").setOutputFormat(OutputFormat.Basic));
  }

  private static void assertFits(JsonObject schema, JsonObject value, String what) {
    OutputUnit result = validator(schema).validate(value);
    assertThat(result.getValid()).as("%s fits its schema: %s\n%s", what, result.getErrors(), value.encodePrettily())
      .isTrue();
  }

  /** The contract as served by GET /openapi.yaml, read here on its own: its Memory schema, nothing resolved. */
  @SuppressWarnings("unchecked")
  private JsonObject servedMemorySchema() {
    Map<?, ?> contract = new Yaml(new SafeConstructor(new LoaderOptions())).load(rest.get("/openapi.yaml").text());
    JsonObject schemas = new JsonObject((Map<String, Object>) ((Map<?, ?>) contract.get("components")).get("schemas"));
    return schemas.getJsonObject("Memory");
  }

  @Test
  void theToolsThatReturnMemoriesDeclareTheContractsMemorySchema() {
    Map<String, JsonObject> tools = tools(mcp.open());
    // The schema read by the composition root is the one REST serves (which has no reference to resolve today).
    assertThat(memorySchema).isEqualTo(servedMemorySchema());

    assertThat(tools.get("get_memory").getJsonObject("outputSchema")).isEqualTo(memorySchema);
    for (String lister : List.of("search_memory", "list_memories")) {
      assertThat(tools.get(lister).getJsonObject("outputSchema").getJsonObject("properties").getJsonObject("results")
        .getJsonObject("items")).as(lister).isEqualTo(memorySchema);
    }
    assertThat(tools.get("update_memory").getJsonObject("outputSchema").getJsonObject("properties")
      .getJsonObject("memory")).isEqualTo(memorySchema);
  }

  @Test
  void whatRestAndMcpAnswerFitsTheMemorySchema() {
    String session = mcp.open();
    Map<String, JsonObject> tools = tools(session);
    JsonObject added = rest.post("/memories", new JsonObject()
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content",
        "I am in Kyoto until the end of the conference").put("name", "kenji")))
      .put("user_id", USER).put("agent_id", "travel-agent").put("run_id", "trip-7")
      .put("metadata", new JsonObject().put("topic", "travel")).put("expiration_date", "2099-12-31")
      .put("infer", false)).json();
    String expiring = added.getJsonArray("results").getJsonObject(0).getString("id");
    JsonObject viaMcp = mcp.tool(session, "add_memories", new JsonObject().put("text", "I grow basil on my balcony"))
      .getJsonObject("structuredContent");
    String plain = viaMcp.getJsonArray("results").getJsonObject(0).getString("id");

    JsonObject got = mcp.tool(session, "get_memory", new JsonObject().put("memory_id", expiring))
      .getJsonObject("structuredContent");
    assertThat(got.getString("expiration_date")).isEqualTo("2099-12-31");
    assertFits(tools.get("get_memory").getJsonObject("outputSchema"), got, "get_memory");

    JsonObject found = mcp.tool(session, "search_memory", new JsonObject().put("query", "where is the user now?"))
      .getJsonObject("structuredContent");
    assertThat(found.getJsonArray("results")).hasSize(2);
    assertFits(tools.get("search_memory").getJsonObject("outputSchema"), found, "search_memory");

    JsonObject listed = mcp.tool(session, "list_memories", new JsonObject()).getJsonObject("structuredContent");
    assertThat(listed.getJsonArray("results")).hasSize(2);
    assertFits(tools.get("list_memories").getJsonObject("outputSchema"), listed, "list_memories");

    JsonObject updated = mcp.tool(session, "update_memory", new JsonObject().put("memory_id", plain)
      .put("text", "I grow basil and mint on my balcony")).getJsonObject("structuredContent");
    assertFits(tools.get("update_memory").getJsonObject("outputSchema"), updated, "update_memory");

    // REST answers the same item: by id, listed, and searched with its score explained.
    assertFits(memorySchema, rest.get("/memories/" + expiring).json(), "GET /memories/{id}");
    for (Object item : rest.get("/memories?user_id=" + USER).json().getJsonArray("results")) {
      assertFits(memorySchema, (JsonObject) item, "GET /memories");
    }
    JsonArray explained = rest.post("/search", new JsonObject().put("query", "balcony herbs").put("user_id", USER)
      .put("explain", true)).json().getJsonArray("results");
    assertThat(explained.getJsonObject(0).getJsonObject("score_details")).isNotNull();
    for (Object item : explained) {
      assertFits(memorySchema, (JsonObject) item, "POST /search with explain");
    }
  }

  /** The check above has teeth: an item without what every memory carries does not fit. */
  @Test
  void anItemWithoutItsHashOrTimestampsDoesNotFit() {
    JsonObject item = new JsonObject().put("id", "m1").put("memory", "text").put("hash", "h").put("metadata",
      new JsonObject()).put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
    assertFits(memorySchema, item, "a complete item");
    for (String field : List.of("hash", "created_at", "updated_at", "metadata")) {
      JsonObject lacking = item.copy();
      lacking.remove(field);
      assertThat(validator(memorySchema).validate(lacking).getValid()).as("without " + field).isFalse();
    }
    assertThat(validator(memorySchema).validate(item.copy().put("updated_at", null)).getValid()).isFalse();
  }
}
