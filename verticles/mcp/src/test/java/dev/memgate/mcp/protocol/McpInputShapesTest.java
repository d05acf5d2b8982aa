package dev.memgate.mcp.protocol;

import dev.memgate.contract.BusClient;
import dev.memgate.mcp.McpTestConfig;
import dev.memgate.mcp.tools.MemoryResources;
import dev.memgate.mcp.tools.ToolBox;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client input of every shape is answered as what it is, a client's mistake: -32602 naming the member at fault (or
 * a tool result with isError), never -32603, which says the server failed. Every method and every member a method
 * reads gets every JSON type, and null.
 */
class McpInputShapesTest {
  private static final List<Object> EVERY_TYPE = Arrays.asList(null, 7, -1.5, "text", "", true,
    new JsonArray().add(1), new JsonObject().put("x", 1), new JsonObject());
  private static final List<String> METHODS = List.of("initialize", "ping", "tools/list", "tools/call",
    "resources/list", "resources/templates/list", "resources/read", "no/such/method");

  private Vertx vertx;
  private SessionRegistry sessions;
  private McpProtocol protocol;
  private ToolBox tools;

  @BeforeEach
  void create() {
    vertx = Vertx.vertx();
    BusClient bus = new BusClient(vertx);
    sessions = new SessionRegistry(1_000_000, 60_000, System::currentTimeMillis);
    tools = McpTestConfig.tools(bus, true);
    protocol = new McpProtocol(ServerInfo.memgate("test"), tools, new MemoryResources(bus), sessions, "someone", 50);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private JsonObject send(McpSession session, String text) {
    String reply = protocol.handleText(session, text).await();
    return reply == null ? null : new JsonObject(reply);
  }

  private McpSession ready() {
    McpSession session = sessions.open(Transport.STDIO, CallerIdentity.NONE);
    JsonObject init = send(session, request("initialize", initializeParams()).encode());
    assertThat(init.containsKey("result")).as(init.encode()).isTrue();
    return session;
  }

  private static JsonObject request(String method, Object params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method).put("params", params);
  }

  private static JsonObject initializeParams() {
    return new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
      .put("clientInfo", new JsonObject().put("name", "shapes").put("version", "1"));
  }

  /** A reply that is an answer, or an error for the client: never the server's own failure. */
  private static void assertNotInternal(JsonObject reply, String what) {
    assertThat(reply).as(what).isNotNull();
    if (reply.containsKey("error")) {
      assertThat(reply.getJsonObject("error").getInteger("code")).as(what + ": " + reply.encode())
        .isNotEqualTo(JsonRpc.INTERNAL_ERROR);
    }
  }

  @Test
  void paramsOfEveryTypeForEveryMethod() {
    for (String method : METHODS) {
      for (Object params : EVERY_TYPE) {
        String what = method + " with params " + params;
        assertNotInternal(send(ready(), request(method, params).encode()), what);
        McpSession fresh = sessions.open(Transport.WEBSOCKET, CallerIdentity.NONE);
        assertNotInternal(send(fresh, request(method, params).encode()), what + " before initialize");
      }
    }
  }

  @Test
  void toolsCallWithNullParamsIsInvalidParamsNamingTheName() {
    JsonObject reply = send(ready(), request("tools/call", null).encode());
    assertThat(reply.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(reply.getJsonObject("error").getString("message")).contains("params.name");
  }

  @Test
  void initializeMembersOfTheWrongTypeAreInvalidParamsNamingTheMember() {
    record Case(String member, String path) {
    }
    List<Case> cases = List.of(new Case("capabilities", "params.capabilities"),
      new Case("_meta", "params._meta"), new Case("clientInfo", "params.clientInfo"));
    for (Case c : cases) {
      for (Object wrong : List.of(7, "text", true, new JsonArray())) {
        JsonObject params = initializeParams().put(c.member(), wrong);
        JsonObject reply = send(sessions.open(Transport.STDIO, CallerIdentity.NONE),
          request("initialize", params).encode());
        assertThat(reply.getJsonObject("error").getInteger("code")).as(c.member() + "=" + wrong)
          .isEqualTo(JsonRpc.INVALID_PARAMS);
        assertThat(reply.getJsonObject("error").getString("message")).contains(c.path());
      }
    }
    JsonObject experimental = initializeParams().put("capabilities", new JsonObject().put("experimental", 3));
    JsonObject reply = send(sessions.open(Transport.STDIO, CallerIdentity.NONE),
      request("initialize", experimental).encode());
    assertThat(reply.getJsonObject("error").getString("message")).contains("params.capabilities.experimental");
    JsonObject clientName = initializeParams().put("clientInfo", new JsonObject().put("name", 42));
    reply = send(sessions.open(Transport.STDIO, CallerIdentity.NONE), request("initialize", clientName).encode());
    assertThat(reply.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(reply.getJsonObject("error").getString("message")).contains("params.clientInfo.name");
  }

  @Test
  void everyNestedInitializeMemberOfEveryType() {
    List<String[]> paths = List.of(new String[] {"protocolVersion"}, new String[] {"capabilities"},
      new String[] {"capabilities", "experimental"}, new String[] {"capabilities", "experimental", "memgate"},
      new String[] {"capabilities", "experimental", "memgate", "user_id"}, new String[] {"clientInfo"},
      new String[] {"clientInfo", "name"}, new String[] {"_meta"},
      new String[] {"_meta", McpProtocol.META_USER});
    for (String[] path : paths) {
      for (Object value : EVERY_TYPE) {
        JsonObject params = initializeParams();
        JsonObject parent = params;
        for (int i = 0; i < path.length - 1; i++) {
          JsonObject child = parent.getValue(path[i]) instanceof JsonObject existing ? existing : new JsonObject();
          parent.put(path[i], child);
          parent = child;
        }
        parent.put(path[path.length - 1], value);
        assertNotInternal(send(sessions.open(Transport.STDIO, CallerIdentity.NONE),
          request("initialize", params).encode()), String.join(".", path) + "=" + value);
      }
    }
  }

  @Test
  void everyToolArgumentOfEveryType() {
    McpSession session = ready();
    for (JsonObject descriptor : tools.descriptors()) {
      String tool = descriptor.getString("name");
      List<String> arguments = new ArrayList<>(descriptor.getJsonObject("inputSchema")
        .getJsonObject("properties").fieldNames());
      arguments.add("unknown_argument");
      for (String argument : arguments) {
        for (Object value : EVERY_TYPE) {
          JsonObject params = new JsonObject().put("name", tool)
            .put("arguments", new JsonObject().put(argument, value));
          JsonObject reply = send(session, request("tools/call", params).encode());
          assertNotInternal(reply, tool + "(" + argument + "=" + value + ")");
        }
      }
      for (Object arguments2 : EVERY_TYPE) {
        JsonObject params = new JsonObject().put("name", tool).put("arguments", arguments2);
        assertNotInternal(send(session, request("tools/call", params).encode()), tool + " with arguments "
          + arguments2);
      }
    }
  }

  @Test
  void emptyAndBlankMessagesAreParseErrors() {
    McpSession session = ready();
    for (String text : List.of("", " ", "\n")) {
      JsonObject reply = send(session, text);
      assertThat(reply.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.PARSE_ERROR);
    }
  }
}
