package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.fuzz.HttpCase.Aim;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * MCP Streamable HTTP ({@code /mcp} and OpenMemory's {@code /mcp/{client}/http/{user}}): fuzzed messages inside two
 * real initialized sessions (the protected user's and the sandbox user's), and requests broken at the HTTP level
 * with or without a session: missing, unknown or another user's session ids, bad protocol versions, content types,
 * Accept headers, methods, origins and paths, empty and oversized bodies, fresh initializes with broken params,
 * and malformed HTTP itself.
 */
final class McpHttpLane extends Lane {
  private static final String ACCEPT = "application/json, text/event-stream";
  private static final String VERSION = "2025-11-25";

  private volatile String protectedSession;
  private volatile String sandboxSession;

  McpHttpLane(FuzzRun run, int quota, int workers) {
    super(run, "mcp-http", quota, workers);
  }

  @Override
  void prepare() {
    protectedSession = open(run.territory.mcpUser());
    sandboxSession = open(run.territory.mcpSandboxUser());
  }

  private HttpCase.Builder post(String path, byte[] body) {
    return new HttpCase.Builder("POST", path, run.territory.mcpHost()).header("Accept", ACCEPT)
      .body(body, "application/json");
  }

  /** Initializes a session for {@code user} and returns its id. */
  private String open(String user) {
    HttpCase initialize = post("/mcp", McpGrammar.request("init", "initialize", McpGrammar.initializeParams(VERSION,
      null)).bytes()).header("X-Memgate-User", user).build("/mcp");
    HttpAnswer answer = run.http.exchange(run.mcpPort, initialize);
    String session = answer.header("mcp-session-id");
    if (answer.status() != 200 || session == null) {
      throw new IllegalStateException("initialize for " + user + " failed: " + FuzzRun.describe(answer));
    }
    HttpCase initialized = post("/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"
      .getBytes(StandardCharsets.UTF_8)).header("X-Memgate-User", user).header("Mcp-Session-Id", session)
      .header("MCP-Protocol-Version", VERSION).build("/mcp");
    run.http.exchange(run.mcpPort, initialized);
    return session;
  }

  @Override
  Worker worker() {
    return index -> {
      Dice dice = run.dice(name, index);
      if (dice.chance(0.6)) {
        inSession(dice, index);
      } else {
        check(httpLevel(dice, index), null);
      }
    };
  }

  private void inSession(Dice dice, int index) {
    McpGrammar.Message message = run.mcp.next(dice, index, true);
    boolean sandbox = message.aim() == Aim.SANDBOX || message.aim() == Aim.READ && dice.chance(0.3);
    String session = sandbox ? sandboxSession : protectedSession;
    String user = sandbox ? run.territory.mcpSandboxUser() : run.territory.mcpUser();
    HttpCase.Builder request = post("/mcp", message.bytes()).header("Mcp-Session-Id", session)
      .header("MCP-Protocol-Version", VERSION).aim(message.aim()).mutation(message.shape());
    if (dice.chance(0.5)) {
      request.header("X-Memgate-User", user);
    }
    HttpAnswer answer = check(request.build("/mcp"), Conversation.expectedId(message.bytes(), false));
    if (answer.status() == 404 && answer.text().contains("Session not found")) {
      synchronized (this) {
        if (sandbox && session.equals(sandboxSession)) {
          sandboxSession = open(run.territory.mcpSandboxUser());
        } else if (!sandbox && session.equals(protectedSession)) {
          protectedSession = open(run.territory.mcpUser());
        }
      }
    }
  }

  private HttpAnswer check(HttpCase request, Object expectedId) {
    run.findings.sent(name);
    HttpAnswer answer = run.http.exchange(run.mcpPort, request);
    String outcome = answer.status() == 0 ? "no-answer" : Integer.toString(answer.status());
    if (answer.status() == 200 && answer.contentType().startsWith("application/json")) {
      outcome += "/" + Oracle.outcome(answer.text());
    }
    run.findings.outcome(name, outcome);
    List<String> problems = new java.util.ArrayList<>(Oracle.mcpHttp(request, answer, run.territory.leakMarkers()));
    if (request.aim() == Aim.PROTECTED && answer.status() == 200) {
      List<String> replies = answer.contentType().startsWith("text/event-stream")
        ? Oracle.eventData(answer.text()) : List.of(answer.text());
      java.util.Set<String> ids = Conversation.ids(request.body() == null ? new byte[0] : request.body());
      if (replies.stream().anyMatch(reply -> Conversation.toolSucceeded(reply, ids))) {
        problems.add("accepted a write that breaks a rule");
      }
    }
    if (expectedId != null && (answer.status() == 202
      || answer.status() == 200 && answer.contentType().startsWith("application/json")
      && !Conversation.answers(answer.text(), expectedId))) {
      problems.add("no reply to a request (HTTP " + answer.status() + ")");
    }
    for (String problem : problems) {
      fail(request.shape(), problem, request.excerpt(), FuzzRun.describe(answer));
    }
    return answer;
  }

  /** A request broken at the HTTP level. */
  private HttpCase httpLevel(Dice dice, int index) {
    String port = run.territory.mcpHost().substring(run.territory.mcpHost().lastIndexOf(':') + 1);
    byte[] ping = McpGrammar.request("h" + index, "ping", null).bytes();
    byte[] wipe = McpGrammar.callTool("w" + index, "delete_all_memories", J.obj()).bytes();
    String user = run.territory.mcpUser();
    switch (dice.below(16)) {
      case 0 -> {
        return post("/mcp", dice.chance(0.5) ? ping : wipe).mutation("no session id").build("/mcp");
      }
      case 1 -> {
        String session = dice.oneOf(dice.uuid(), "", "s".repeat(9_000), "%zz", "a\u0001b",
          protectedSession + "x", protectedSession.toUpperCase(), protectedSession.substring(1));
        return post("/mcp", wipe).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION)
          .aim(Aim.PROTECTED).mutation("bogus session id").build("/mcp");
      }
      case 2 -> {
        return post("/mcp", wipe).header("Mcp-Session-Id", protectedSession).header("MCP-Protocol-Version", VERSION)
          .header("X-Memgate-User", dice.oneOf(run.territory.mcpSandboxUser(), "someone-else"))
          .aim(Aim.PROTECTED).mutation("another user's session").build("/mcp");
      }
      case 3 -> {
        String version = dice.oneOf("1999-01-01", "", "2024-11-05", "junk", "v".repeat(5_000), "2025-11-25, 1",
          "2025-13-45");
        return post("/mcp", wipe).header("Mcp-Session-Id", protectedSession).header("MCP-Protocol-Version", version)
          .aim(Aim.PROTECTED).mutation("protocol version header=" + Excerpts.of(version, 12)).build("/mcp");
      }
      case 4 -> {
        String type = dice.oneOf(null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
          "application/xml", "", "*/*", "application/jsonx", "text/json");
        return post("/mcp", wipe).contentType(type).header("Mcp-Session-Id", protectedSession)
          .header("MCP-Protocol-Version", VERSION).aim(Aim.PROTECTED)
          .mutation("content-type=" + (type == null ? "none" : type)).build("/mcp");
      }
      case 5 -> {
        String accept = dice.oneOf("text/html", "", "application/xml", "*/*;q=0", "text/event-stream",
          "application/json");
        return post("/mcp", ping).removeHeader("Accept").header("Accept", accept)
          .header("Mcp-Session-Id", protectedSession).header("MCP-Protocol-Version", VERSION)
          .mutation("accept=" + accept).build("/mcp");
      }
      case 6 -> {
        byte[] body = dice.oneOf("", " ", "\n", "\u0000").getBytes(StandardCharsets.UTF_8);
        HttpCase.Builder request = post("/mcp", body).mutation("empty or blank body");
        if (dice.chance(0.5)) {
          request.header("Mcp-Session-Id", protectedSession).header("MCP-Protocol-Version", VERSION);
        }
        return request.build("/mcp");
      }
      case 7 -> {
        String method = dice.oneOf("GET", "PUT", "PATCH", "FOO", "DELETE", "OPTIONS", "HEAD", "TRACE");
        HttpCase.Builder request = new HttpCase.Builder(method, "/mcp", run.territory.mcpHost())
          .mutation("method " + method);
        if (method.equals("DELETE")) {
          request.header("Mcp-Session-Id", dice.oneOf(dice.uuid(), "", "x"));
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
          request.json(J.raw(new String(ping, StandardCharsets.UTF_8)));
        }
        if (method.equals("OPTIONS")) {
          request.header("Origin", "http://localhost:3000").header("Access-Control-Request-Method", "POST");
        }
        return request.build("/mcp");
      }
      case 8 -> {
        String origin = dice.oneOf("http://evil.example", "null", "http://localhost.evil.example",
          "https://127.0.0.1.nip.io");
        return post("/mcp", wipe).header("Origin", origin).header("Mcp-Session-Id", protectedSession)
          .header("MCP-Protocol-Version", VERSION).aim(Aim.PROTECTED).mutation("foreign origin").build("/mcp");
      }
      case 9 -> {
        String path = dice.oneOf("/mcp/", "/MCP", "/mcp/x", "/mcp/c/http/%00", "/mcp/c/http/" + "u".repeat(300),
          "/mcp/c/http/a%01b", "/mcp/%zz/http/u", "/mcp?x=%zz", "/%zz", "/mcp/messages/", "/messages",
          "/messages?sessionId=" + dice.uuid(), "/messages?session_id=", "/mcp/c/sse/u/messages/?session_id=x",
          "/mcp/" + "a/".repeat(3_000), "/sse/../mcp", "/");
        return post(path, ping).mutation("path").build(Excerpts.of(path, 30));
      }
      case 10 -> {
        if (dice.chance(0.3)) {
          // A version nobody speaks is negotiated, not refused: the answer names one the server does speak.
          String version = dice.oneOf("1999-01-01", "", "9999-12-31", "2025-11-25 ", "v".repeat(10_000), "\u00e9");
          return post("/mcp", McpGrammar.request("i" + index, "initialize", McpGrammar.initializeParams(version,
            null)).bytes()).header("X-Memgate-User", user).mutation("fresh initialize with an unknown version")
            .build("/mcp");
        }
        Junk.Bad params = McpGrammar.brokenInitializeParams(dice);
        return post("/mcp", McpGrammar.request("i" + index, "initialize", params.value()).bytes())
          .header("X-Memgate-User", user).mutation("fresh initialize " + params.label()).build("/mcp");
      }
      case 11 -> {
        String header = dice.oneOf("", " ", "a\u0001b", "u".repeat(300), "%zz", "someone,else");
        String path = dice.chance(0.5) ? "/mcp" : "/mcp/fuzz/http/" + dice.oneOf("agrees", user);
        return post(path, McpGrammar.request("i" + index, "initialize", McpGrammar.initializeParams(VERSION, null))
          .bytes()).header("X-Memgate-User", header).mutation("user header=" + Excerpts.of(header, 10))
          .build(path.startsWith("/mcp/fuzz") ? "/mcp/{client}/http/{user}" : "/mcp");
      }
      case 12 -> {
        byte[] batch = J.arr(McpGrammar.request("i" + index, "initialize", McpGrammar.initializeParams("2025-03-26",
          null)), McpGrammar.request("p" + index, "ping", null)).bytes();
        return post("/mcp", batch).mutation("initialize in a batch").build("/mcp");
      }
      case 13 -> {
        byte[] big = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
          + "p".repeat((1 << 20) + 10) + "\"}}").getBytes(StandardCharsets.UTF_8);
        return post("/mcp", big).header("Mcp-Session-Id", protectedSession).header("MCP-Protocol-Version", VERSION)
          .mutation("body over mcp.max_message_bytes").build("/mcp");
      }
      case 14 -> {
        String host = dice.oneOf(null, "", "evil.example", "evil.example:" + port, "localhost.evil.example",
          "127.0.0.1:" + port + ", evil.example");
        return post("/mcp", wipe).host(host).header("Mcp-Session-Id", protectedSession)
          .header("MCP-Protocol-Version", VERSION).aim(Aim.PROTECTED)
          .mutation("host=" + (host == null ? "none" : host.replace(port, "PORT"))).build("/mcp");
      }
      default -> {
        return rawProtocol(dice, index);
      }
    }
  }

  /** Malformed HTTP on the MCP listener. */
  private HttpCase rawProtocol(Dice dice, int index) {
    String host = run.territory.mcpHost();
    String body = "{\"jsonrpc\":\"2.0\",\"id\":\"r" + index + "\",\"method\":\"ping\"}";
    String head = switch (dice.below(8)) {
      case 0 -> "POST /mcp " + dice.oneOf("HTTP/1.x", "HTTP/2.0", "HTTP/9.9", "http/1.1", "HTTP/1") + "\r\nHost: "
        + host + "\r\n";
      case 1 -> "POST /mcp HTTP/1.1\r\n";
      case 2 -> "POST /mcp/" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: " + host + "\r\n";
      case 3 -> "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nX-Big: " + "b".repeat(20_000) + "\r\n";
      case 4 -> "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nNoColon\r\n";
      case 5 -> "GET /%zz HTTP/1.1\r\nHost: " + host + "\r\n";
      case 6 -> "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: abc\r\n";
      default -> "\u0016\u0003\u0001\u0000";
    };
    boolean incomplete = head.startsWith("\u0016");
    String text = head + "Content-Type: application/json\r\nAccept: " + ACCEPT + "\r\nContent-Length: "
      + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    HttpCase.Builder request = new HttpCase.Builder("POST", "/mcp", host);
    if (incomplete) {
      request.answerOptional();
    }
    return request.raw(text.getBytes(StandardCharsets.ISO_8859_1))
      .mutation("http " + Excerpts.of(head.replace(host, "HOST"), 30).replaceAll("a{20,}|b{20,}", "..."))
      .build("(raw)");
  }
}
