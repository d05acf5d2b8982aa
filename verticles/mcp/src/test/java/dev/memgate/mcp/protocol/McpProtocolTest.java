package dev.memgate.mcp.protocol;

import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import dev.memgate.contract.BusClient;
import dev.memgate.mcp.McpTestConfig;
import dev.memgate.mcp.tools.MemoryResources;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol layer without any transport: what initialize negotiates on each transport, which user a session
 * settles on, tools/list pages, and batches. Nothing here reaches the memory service.
 */
class McpProtocolTest {
  private Vertx vertx;
  private SessionRegistry sessions;
  private McpProtocol protocol;

  @BeforeEach
  void create() {
    vertx = Vertx.vertx();
    BusClient bus = new BusClient(vertx);
    sessions = new SessionRegistry(100, 60_000, System::currentTimeMillis);
    protocol = new McpProtocol(ServerInfo.memgate("test"), McpTestConfig.tools(bus, false), new MemoryResources(bus),
      sessions, "fallback-user", 3);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private JsonObject send(McpSession session, JsonObject message) {
    String reply = protocol.handleText(session, message.encode()).await();
    return reply == null ? null : new JsonObject(reply);
  }

  private static JsonObject request(Object id, String method, JsonObject params) {
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
    return params == null ? message : message.put("params", params);
  }

  private static JsonObject initialize(String version) {
    return request(0, "initialize", new JsonObject().put("protocolVersion", version)
      .put("capabilities", new JsonObject())
      .put("clientInfo", new JsonObject().put("name", "unit").put("version", "1")));
  }

  private McpSession ready(Transport transport, CallerIdentity caller) {
    McpSession session = sessions.open(transport, caller);
    assertThat(send(session, initialize("2025-11-25")).containsKey("result")).isTrue();
    return session;
  }

  @Test
  void eachTransportNegotiatesTheRevisionsItCanCarry() {
    for (Transport transport : Transport.values()) {
      for (String asked : ProtocolVersions.ALL) {
        McpSession session = sessions.open(transport, CallerIdentity.NONE);
        String agreed = send(session, initialize(asked)).getJsonObject("result").getString("protocolVersion");
        String expected = transport == Transport.STREAMABLE_HTTP && asked.equals("2024-11-05") ? "2025-11-25" : asked;
        assertThat(agreed).as("%s asking %s", transport, asked).isEqualTo(expected);
        assertThat(session.protocolVersion()).isEqualTo(expected);
      }
    }
  }

  @Test
  void initializeNeedsAProtocolVersion() {
    McpSession session = sessions.open(Transport.STDIO, CallerIdentity.NONE);
    JsonObject reply = send(session, request(1, "initialize", new JsonObject()));
    assertThat(reply.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.INVALID_PARAMS);
    assertThat(session.initialized()).isFalse();
  }

  @Test
  void theSessionUserComesFromTheTransportThenInitializeThenTheDefault() {
    assertThat(ready(Transport.WEBSOCKET, new CallerIdentity("path-user", "the URL path", "app", Caller.OPEN)).userId())
      .isEqualTo("path-user");
    assertThat(ready(Transport.STDIO, CallerIdentity.NONE).userId()).isEqualTo("fallback-user");

    McpSession viaMeta = sessions.open(Transport.STDIO, CallerIdentity.NONE);
    JsonObject withMeta = initialize("2025-11-25");
    withMeta.getJsonObject("params").put("_meta", new JsonObject().put(McpProtocol.META_USER, " meta-user "));
    send(viaMeta, withMeta);
    assertThat(viaMeta.userId()).isEqualTo("meta-user");
    assertThat(viaMeta.clientName()).isEqualTo("unit");

    McpSession viaCapability = sessions.open(Transport.STDIO, CallerIdentity.NONE);
    JsonObject withCapability = initialize("2025-11-25");
    withCapability.getJsonObject("params").getJsonObject("capabilities").put("experimental",
      new JsonObject().put("memgate", new JsonObject().put("user_id", "capability-user")));
    send(viaCapability, withCapability);
    assertThat(viaCapability.userId()).isEqualTo("capability-user");
  }

  @Test
  void sourcesThatDisagreeOrABadUserRefuseInitialize() {
    JsonObject asksForBob = initialize("2025-11-25");
    asksForBob.getJsonObject("params").put("_meta", new JsonObject().put(McpProtocol.META_USER, "bob"));
    McpSession alice = sessions.open(Transport.WEBSOCKET, new CallerIdentity("alice", "the URL path", null, Caller.OPEN));
    JsonObject refused = send(alice, asksForBob);
    assertThat(refused.getJsonObject("error").getString("message")).contains("alice").contains("bob");
    assertThat(alice.initialized()).isFalse();

    JsonObject controlCharacter = initialize("2025-11-25");
    controlCharacter.getJsonObject("params").put("_meta", new JsonObject().put(McpProtocol.META_USER, "a\u0007b"));
    assertThat(send(sessions.open(Transport.STDIO, CallerIdentity.NONE), controlCharacter).getJsonObject("error")
      .getString("message")).contains("control character");
  }

  @Test
  void toolsListPagesWithOpaqueCursorsAndRefusesForgedOnes() {
    McpSession session = ready(Transport.STDIO, CallerIdentity.NONE);
    List<String> names = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
      JsonObject page = send(session, request(pages, "tools/list", params)).getJsonObject("result");
      JsonArray tools = page.getJsonArray("tools");
      assertThat(tools.size()).isBetween(1, 3);
      tools.forEach(t -> names.add(((JsonObject) t).getString("name")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(names).hasSize(8).doesNotHaveDuplicates().startsWith("add_memories", "search_memory");

    for (Object forged : List.of("tools:3", "dG9vbHM6OTk", "", 42)) {
      JsonObject reply = send(session, request(9, "tools/list", new JsonObject().put("cursor", forged)));
      assertThat(reply.getJsonObject("error").getInteger("code")).as(String.valueOf(forged))
        .isEqualTo(JsonRpc.INVALID_PARAMS);
    }
  }

  @Test
  void batchesWorkOnlyInTheRevisionsThatHadThem() {
    McpSession old = sessions.open(Transport.WEBSOCKET, CallerIdentity.NONE);
    send(old, initialize("2025-03-26"));
    String batch = new JsonArray().add(request(1, "ping", null)).add(request(2, "ping", null)).encode();
    JsonArray replies = new JsonArray(protocol.handleText(old, batch).await());
    assertThat(replies).hasSize(2);

    McpSession modern = ready(Transport.WEBSOCKET, CallerIdentity.NONE);
    JsonObject refused = new JsonObject(protocol.handleText(modern, batch).await());
    assertThat(refused.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.INVALID_REQUEST);

    String onlyNotifications = new JsonArray().add(new JsonObject().put("jsonrpc", "2.0")
      .put("method", "notifications/initialized")).encode();
    assertThat(protocol.handleText(old, onlyNotifications).await()).isNull();
  }

  @Test
  void responsesAndUnknownNotificationsAreIgnored() {
    McpSession session = ready(Transport.STDIO, CallerIdentity.NONE);
    assertThat(send(session, new JsonObject().put("jsonrpc", "2.0").put("id", 5).put("result", new JsonObject())))
      .isNull();
    assertThat(send(session, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/whatever")))
      .isNull();
  }

  @Test
  void stringAndNumberIdsAreEchoedExactly() {
    McpSession session = ready(Transport.STDIO, CallerIdentity.NONE);
    assertThat(send(session, request("abc-1", "ping", null)).getValue("id")).isEqualTo("abc-1");
    assertThat(send(session, request(9007199254740991L, "ping", null)).getValue("id")).isEqualTo(9007199254740991L);
  }
  private static Caller withUsers(Set<String> users, Set<Permission> may) {
    return new Caller("k9", Caller.Kind.KEY, "k9", null, users, null, may, null, null);
  }

  private JsonObject initializeAs(CallerIdentity caller, String user) {
    JsonObject params = initialize("2025-11-25").getJsonObject("params");
    if (user != null) {
      params.getJsonObject("capabilities").put("experimental", new JsonObject()
        .put("memgate", new JsonObject().put("user_id", user)));
    }
    return send(sessions.open(Transport.WEBSOCKET, caller), request(0, "initialize", params));
  }

  @Test
  void aCredentialForSeveralUsersMustNameOneOfThemAndNeverGetsTheDefaultUser() {
    CallerIdentity two = new CallerIdentity(null, null, null, withUsers(Set.of("ann", "ben"),
      Permission.ALL));
    JsonObject none = initializeAs(two, null);
    assertThat(none.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.FORBIDDEN);
    assertThat(none.getJsonObject("error").getString("message")).contains("users ann, ben");
    JsonObject other = initializeAs(two, "cid");
    assertThat(other.getJsonObject("error").getInteger("code")).isEqualTo(JsonRpc.FORBIDDEN);
    assertThat(other.getJsonObject("error").getString("message")).contains("initialize asked for user cid");
    assertThat(initializeAs(two, "ben").containsKey("result")).isTrue();
    // A service credential (any user) still gets the configured default.
    McpSession service = ready(Transport.WEBSOCKET, new CallerIdentity(null, null, null, Caller.BOOTSTRAP));
    assertThat(service.userId()).isEqualTo("fallback-user");
  }

  @Test
  void aToolNeedsItsPermissionAndATokenIsToldWhichScopeGrantsIt() {
    Caller reader = new Caller("sub@iss", Caller.Kind.TOKEN, "dee", null, Set.of("dee"), null,
      EnumSet.of(Permission.READ), null, null);
    McpSession session = ready(Transport.WEBSOCKET, new CallerIdentity("dee", CallerIdentity.FROM_CREDENTIAL, null,
      reader));
    assertThat(session.userId()).isEqualTo("dee");
    JsonObject refused = send(session, request(5, "tools/call", new JsonObject().put("name", "delete_all_memories")
      .put("arguments", new JsonObject())));
    JsonObject error = refused.getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(JsonRpc.FORBIDDEN);
    assertThat(error.getString("message")).contains("delete_all_memories needs the delete permission");
    assertThat(error.getJsonObject("data").getString(JsonRpc.REQUIRED_SCOPE)).isEqualTo("memories:delete");
  }
}
