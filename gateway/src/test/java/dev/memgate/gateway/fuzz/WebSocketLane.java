package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.fuzz.HttpCase.Aim;
import io.vertx.core.json.JsonObject;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * MCP over WebSocket ({@code /mcp/ws}, subprotocol mcp), on frames written by hand: fuzzed messages in sessions of
 * the protected and the sandbox user (each initialized with one of the four protocol revisions, so batches are
 * sometimes allowed), messages before initialize on fresh connections, frames RFC 6455 forbids (which must close
 * the connection with the right code, never just drop it), frame sequences it allows (which must not), and broken
 * opening handshakes.
 */
final class WebSocketLane extends Lane {
  private static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
  /** Stands for "any close code will do". */
  private static final Set<Integer> ANY_CLOSE = Set.of(-2);
  /**
   * A frame RFC 6455 forbids, for which it asks a close frame with 1002 but allows a plain drop. Invalid UTF-8
   * (1007), an oversized message (1009, which mcp.max_message_bytes documents) and binary frames (1003, which the
   * transport documents) must get their codes.
   */
  private static final Set<Integer> PROTOCOL_ERROR = Set.of(1002);

  /** An open, initialized (or about to be) connection and whether its revision allows batches. */
  private static final class Connection {
    final RawWebSocket socket;
    boolean batches;

    Connection(RawWebSocket socket) {
      this.socket = socket;
    }
  }

  WebSocketLane(FuzzRun run, int quota, int workers) {
    super(run, "mcp-ws", quota, workers);
  }

  @Override
  Worker worker() {
    return new Worker() {
      private Connection protectedUser;
      private Connection sandboxUser;
      private int opened;

      @Override
      public void run(int index) {
        Dice dice = run.dice(name, index);
        int roll = dice.below(100);
        if (roll < 8) {
          handshake(dice, index);
          return;
        }
        if (protectedUser == null || protectedUser.socket.ended()) {
          protectedUser = open(run.territory.mcpUser(), dice);
        }
        if (sandboxUser == null || sandboxUser.socket.ended()) {
          sandboxUser = open(run.territory.mcpSandboxUser(), dice);
        }
        if (roll < 20) {
          if (!frames(dice, index, protectedUser)) {
            protectedUser.socket.close();
            protectedUser = null;
          }
          return;
        }
        if (roll < 25) {
          Connection fresh = beforeInitialize(dice, index);
          if (fresh != null) {
            protectedUser.socket.close();
            protectedUser = fresh;
          }
          return;
        }
        McpGrammar.Message message = run.mcp.next(dice, index, true);
        boolean sandbox = message.aim() == Aim.SANDBOX || message.aim() == Aim.READ && dice.chance(0.3);
        Connection connection = sandbox ? sandboxUser : protectedUser;
        run.findings.sent(name);
        boolean usable;
        if (!wellFormedUtf8(message.bytes())) {
          usable = closesWith(Set.of(1007), message.shape() + " (as one text frame)", message.text(), connection,
            index, () -> connection.socket.sendText(message.bytes()));
        } else {
          Conversation.Result result = Conversation.exchange(channel(connection.socket), message.bytes(),
            Conversation.expectedId(message.bytes(), connection.batches), "probe-" + index, FuzzRun.TIMEOUT_MS);
          usable = judge(message.shape(), message.bytes(), message.aim(), result);
        }
        if (!usable) {
          connection.socket.close();
          if (sandbox) {
            sandboxUser = null;
          } else {
            protectedUser = null;
          }
        }
      }

      private Connection open(String user, Dice dice) {
        opened++;
        Connection connection = connect(user);
        String version = dice.pick(VERSIONS);
        JsonObject result = initialize(connection, version, user, "init-" + opened);
        if (result == null) {
          throw new IllegalStateException("could not initialize a WebSocket session for " + user);
        }
        return connection;
      }

      @Override
      public void close() {
        for (Connection connection : new Connection[] {protectedUser, sandboxUser}) {
          if (connection != null) {
            connection.socket.close();
          }
        }
      }
    };
  }

  private Connection connect(String user) {
    RawWebSocket.Upgrade upgrade = RawWebSocket.connect(run.vertx, run.tcp, run.mcpPort, "/mcp/ws",
      RawWebSocket.handshake(run.territory.mcpHost(), "X-Memgate-User", user), FuzzRun.TIMEOUT_MS);
    if (upgrade.socket() == null) {
      throw new IllegalStateException("WebSocket handshake refused: " + FuzzRun.describe(upgrade.answer()));
    }
    return new Connection(upgrade.socket());
  }

  /** Initializes the session; returns initialize's result, or null when it was refused. */
  private JsonObject initialize(Connection connection, String version, String user, String id) {
    byte[] request = McpGrammar.request(id, "initialize", McpGrammar.initializeParams(version, null)).bytes();
    Conversation.Result result = Conversation.exchange(channel(connection.socket), request, id, "probe-" + id,
      FuzzRun.TIMEOUT_MS);
    for (String reply : result.replies()) {
      if (Conversation.answers(reply, id)) {
        JsonObject answer = new JsonObject(reply);
        if (answer.getValue("result") instanceof JsonObject ok) {
          String negotiated = ok.getString("protocolVersion", "");
          connection.batches = negotiated.equals("2025-03-26") || negotiated.equals("2024-11-05");
          connection.socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"
            .getBytes(StandardCharsets.UTF_8));
          return ok;
        }
        return null;
      }
    }
    return null;
  }

  static Conversation.Channel channel(RawWebSocket socket) {
    return new Conversation.Channel() {
      @Override
      public void send(byte[] message) {
        socket.sendText(message);
      }

      @Override
      public String next(long timeoutMs) {
        RawWebSocket.Event event = socket.next(timeoutMs);
        if (event instanceof RawWebSocket.Message message) {
          return message.text();
        }
        if (event instanceof RawWebSocket.Closed closed) {
          throw new Conversation.Ended("close " + closed.code() + " " + closed.reason());
        }
        if (event instanceof RawWebSocket.Dropped) {
          throw new Conversation.Ended("dropped without a close frame");
        }
        return null;
      }
    };
  }

  /** Messages a fresh connection gets before initialize; then the real initialize must still work. */
  private Connection beforeInitialize(Dice dice, int index) {
    Connection fresh = connect(run.territory.mcpUser());
    int count = dice.between(1, 3);
    for (int k = 0; k < count; k++) {
      McpGrammar.Message message = McpGrammar.beforeInitialize(dice, index * 10 + k);
      run.findings.sent(name);
      Conversation.Result result = Conversation.exchange(channel(fresh.socket), message.bytes(),
        Conversation.expectedId(message.bytes(), false), "probe-" + index + "-" + k, FuzzRun.TIMEOUT_MS);
      if (!judge(message.shape(), message.bytes(), message.aim(), result)) {
        fresh.socket.close();
        return null;
      }
    }
    if (initialize(fresh, dice.pick(VERSIONS), run.territory.mcpUser(), "init-after-" + index) == null) {
      fail("initialize after refused messages", "the session could not be initialized after refused messages "
        + "(did one of them initialize it?)", "", "");
      fresh.socket.close();
      return null;
    }
    return fresh;
  }

  // ---- frames -------------------------------------------------------------------------------------------------

  /** Frames that must close the connection (with one of these codes), or that must be processed normally. */
  private boolean frames(Dice dice, int index, Connection connection) {
    RawWebSocket socket = connection.socket;
    String id = "v" + index;
    byte[] ping = ("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ping\"}")
      .getBytes(StandardCharsets.UTF_8);
    byte[] first = java.util.Arrays.copyOf(ping, 10);
    byte[] second = java.util.Arrays.copyOfRange(ping, 10, 20);
    byte[] third = java.util.Arrays.copyOfRange(ping, 20, ping.length);
    run.findings.sent(name);
    return switch (dice.below(20)) {
      case 0 -> closesWith(Set.of(1003), "binary frame", "binary " + id, connection, index,
        () -> socket.send(true, 0, RawWebSocket.BINARY, ping, true));
      case 1 -> {
        int rsv = dice.between(1, 7);
        yield closesWith(PROTOCOL_ERROR, "reserved bits set", "rsv=" + rsv, connection, index,
          () -> socket.send(true, rsv, RawWebSocket.TEXT, ping, true));
      }
      case 2 -> {
        int opcode = dice.oneOf(3, 4, 5, 6, 7, 11, 12, 13, 14, 15);
        yield closesWith(PROTOCOL_ERROR, "unknown opcode", "opcode=" + opcode, connection, index,
          () -> socket.send(true, 0, opcode, ping, true));
      }
      case 3 -> closesWith(PROTOCOL_ERROR, "unmasked client frame", "unmasked", connection, index,
        () -> socket.send(true, 0, RawWebSocket.TEXT, ping, false));
      case 4 -> closesWith(PROTOCOL_ERROR, "continuation frame without a start", "continuation", connection, index,
        () -> socket.send(true, 0, RawWebSocket.CONTINUATION, ping, true));
      case 5 -> closesWith(PROTOCOL_ERROR, "new text frame inside a fragmented message", "interleaved", connection,
        index, () -> {
          socket.send(false, 0, RawWebSocket.TEXT, first, true);
          socket.send(true, 0, RawWebSocket.TEXT, ping, true);
        });
      case 6 -> closesWith(PROTOCOL_ERROR, "ping frame over 125 bytes", "ping 200", connection, index,
        () -> socket.send(true, 0, RawWebSocket.PING, new byte[200], true));
      case 7 -> closesWith(PROTOCOL_ERROR, "fragmented ping frame", "ping fin=0", connection, index,
        () -> socket.send(false, 0, RawWebSocket.PING, new byte[] {1}, true));
      case 8 -> {
        byte[] bad = ((J.RawStr) Junk.invalidUtf8(dice).value()).content();
        byte[] message = ("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ping\",\"params\":{\"x\":\""
          + new String(bad, StandardCharsets.ISO_8859_1) + "\"}}").getBytes(StandardCharsets.ISO_8859_1);
        yield closesWith(Set.of(1007), "text frame that is not UTF-8", "invalid utf-8", connection, index,
          () -> socket.send(true, 0, RawWebSocket.TEXT, message, true));
      }
      case 9 -> {
        byte[] big = ("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ping\",\"params\":{\"pad\":\""
          + "p".repeat((1 << 20) + 100) + "\"}}").getBytes(StandardCharsets.UTF_8);
        yield closesWith(Set.of(1009), "one frame over mcp.max_message_bytes", "1 MiB frame", connection, index,
          () -> socket.send(true, 0, RawWebSocket.TEXT, big, true));
      }
      case 10 -> closesWith(Set.of(1009), "fragments adding up to more than mcp.max_message_bytes",
        "1.2 MB in fragments", connection, index, () -> {
          byte[] chunk = "q".repeat(60_000).getBytes(StandardCharsets.UTF_8);
          socket.send(false, 0, RawWebSocket.TEXT, "{\"pad\":\"".getBytes(StandardCharsets.UTF_8), true);
          for (int i = 0; i < 20; i++) {
            socket.send(false, 0, RawWebSocket.CONTINUATION, chunk, true);
          }
          socket.send(true, 0, RawWebSocket.CONTINUATION, "\"}".getBytes(StandardCharsets.UTF_8), true);
        });
      case 11 -> closesWith(Set.of(1009, 1002), "frame header declaring 2^62 bytes", "huge length", connection,
        index, () -> socket.send(true, 0, RawWebSocket.TEXT, ping, true, 1L << 62));
      case 12 -> {
        byte[] close = dice.oneOf(new byte[] {0x03, (byte) 0xE7}, new byte[] {0x03, (byte) 0xED},
          new byte[] {0x13, (byte) 0x88}, new byte[] {0x03}, new byte[] {0x03, (byte) 0xE8, (byte) 0xC0});
        yield closesWith(ANY_CLOSE, "close frame with a bad code or reason", "close", connection, index,
          () -> socket.send(true, 0, RawWebSocket.CLOSE, close, true));
      }
      case 13 -> stays("fragmented message", id, connection, index, () -> {
        socket.send(false, 0, RawWebSocket.TEXT, first, true);
        socket.send(false, 0, RawWebSocket.CONTINUATION, second, true);
        socket.send(true, 0, RawWebSocket.CONTINUATION, third, true);
      });
      case 14 -> stays("ping between fragments", id, connection, index, () -> {
        socket.send(false, 0, RawWebSocket.TEXT, first, true);
        socket.send(true, 0, RawWebSocket.PING, new byte[] {7}, true);
        socket.send(true, 0, RawWebSocket.CONTINUATION, java.util.Arrays.copyOfRange(ping, 10, ping.length), true);
      });
      case 15 -> stays("ping frame", null, connection, index,
        () -> socket.send(true, 0, RawWebSocket.PING, "hello".getBytes(StandardCharsets.UTF_8), true));
      case 16 -> stays("unsolicited pong frame", null, connection, index,
        () -> socket.send(true, 0, RawWebSocket.PONG, new byte[0], true));
      case 17 -> {
        byte[] large = ("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ping\",\"params\":{\"pad\":\""
          + "p".repeat(dice.oneOf(70_000, 300_000)) + "\"}}").getBytes(StandardCharsets.UTF_8);
        yield stays("one frame under mcp.max_message_bytes but over 64 KiB", id, connection, index,
          () -> socket.send(true, 0, RawWebSocket.TEXT, large, true));
      }
      case 18 -> stays("empty text frame", null, connection, index,
        () -> socket.send(true, 0, RawWebSocket.TEXT, new byte[0], true));
      default -> closesWith(ANY_CLOSE, "close frame 1000", "close 1000", connection, index,
        () -> socket.send(true, 0, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true));
    };
  }

  /**
   * Sends frames after which the connection must close with one of {@code codes}; returns false (the connection
   * is done for) in every case but the one where it wrongly stayed open and still answers.
   */
  private boolean closesWith(Set<Integer> codes, String shape, String request, Connection connection, int index,
                             Runnable send) {
    String probeId = "probe-" + index;
    send.run();
    connection.socket.sendText(Conversation.probe(probeId));
    long deadline = System.currentTimeMillis() + FuzzRun.TIMEOUT_MS;
    String frameShape = "frames: " + shape;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      RawWebSocket.Event event = left > 0 ? connection.socket.next(left) : null;
      if (event == null) {
        run.findings.outcome(name, "silence");
        fail(frameShape, "neither answered nor closed within " + FuzzRun.TIMEOUT_MS / 1000 + " s", request, "");
        return false;
      }
      if (event instanceof RawWebSocket.Closed closed) {
        run.findings.outcome(name, "close " + closed.code());
        if (!codes.equals(ANY_CLOSE) && !codes.contains(closed.code())) {
          fail(frameShape, "closed with " + closed.code() + " instead of " + codes, request, closed.reason());
        }
        return false;
      }
      if (event instanceof RawWebSocket.Dropped) {
        run.findings.outcome(name, "dropped");
        if (codes.equals(PROTOCOL_ERROR) || codes.equals(ANY_CLOSE)) {
          // RFC 6455 7.1.7: on a protocol error an endpoint SHOULD send a close frame first; dropping is allowed.
          return false;
        }
        fail(frameShape, "dropped the connection without a close frame (expected " + (codes.equals(ANY_CLOSE)
          ? "a close frame" : "close " + codes) + ")", request, "");
        return false;
      }
      String text = ((RawWebSocket.Message) event).text();
      if (Conversation.answers(text, probeId)) {
        run.findings.outcome(name, "kept-open");
        fail(frameShape, "kept the connection open after a frame that must close it (expected close " + codes + ")",
          request, "");
        return true;
      }
      for (String problem : Oracle.jsonRpc(text, run.territory.leakMarkers())) {
        fail(frameShape, problem, request, text);
      }
    }
  }

  /** Sends frames the protocol allows: the connection must answer (the request {@code id}, if any, and the probe). */
  private boolean stays(String shape, String id, Connection connection, int index, Runnable send) {
    String frameShape = "frames: " + shape;
    Conversation.Channel channel = channel(connection.socket);
    String probeId = "probe-" + index;
    List<String> replies = new ArrayList<>();
    boolean probe = false;
    boolean answered = id == null;
    long deadline = System.currentTimeMillis() + FuzzRun.TIMEOUT_MS;
    try {
      send.run();
      connection.socket.sendText(Conversation.probe(probeId));
      while (!(probe && answered)) {
        long left = deadline - System.currentTimeMillis();
        String reply = left > 0 ? channel.next(left) : null;
        if (reply == null) {
          break;
        }
        if (Conversation.answers(reply, probeId)) {
          probe = true;
        } else {
          answered |= id != null && Conversation.answers(reply, id);
          replies.add(reply);
        }
      }
    } catch (Conversation.Ended ended) {
      run.findings.outcome(name, ended.how);
      fail(frameShape, "ended the connection (" + ended.how.replaceAll("^(close \\d+).*", "$1")
        + ") after frames the protocol allows", shape, ended.how);
      return false;
    }
    return judge(frameShape, shape.getBytes(StandardCharsets.UTF_8), Aim.READ,
      new Conversation.Result(replies, probe, !answered, null));
  }

  // ---- handshakes ---------------------------------------------------------------------------------------------

  private void handshake(Dice dice, int index) {
    String host = run.territory.mcpHost();
    String port = host.substring(host.lastIndexOf(':') + 1);
    List<String[]> headers = RawWebSocket.handshake(host, "X-Memgate-User", run.territory.mcpUser());
    String path = "/mcp/ws";
    String label;
    boolean mustRefuse = true;
    String offered = "mcp";
    switch (dice.below(12)) {
      case 0 -> {
        offered = dice.oneOf("foo", "foo, bar", "MCP", "mcp2");
        replace(headers, "Sec-WebSocket-Protocol", offered);
        label = "only unknown subprotocols offered";
        mustRefuse = false;
      }
      case 1 -> {
        headers.removeIf(h -> h[0].equals("Sec-WebSocket-Key"));
        label = "no Sec-WebSocket-Key";
      }
      case 2 -> {
        replace(headers, "Sec-WebSocket-Version", dice.oneOf("14", "99", "junk", ""));
        label = "unsupported Sec-WebSocket-Version";
      }
      case 3 -> {
        replace(headers, "Upgrade", dice.oneOf("websockets", "h2c", "", "web socket"));
        label = "Upgrade is not websocket";
      }
      case 4 -> {
        headers.add(new String[] {"Origin", dice.oneOf("http://evil.example", "null",
          "http://localhost.evil.example")});
        label = "foreign origin";
      }
      case 5 -> {
        replace(headers, "X-Memgate-User", dice.oneOf("", " ", "a\u0001b", "u".repeat(300)));
        label = "bad X-Memgate-User";
      }
      case 6 -> {
        replace(headers, "Host", dice.oneOf("evil.example", "evil.example:" + port, "localhost.evil.example"));
        label = "foreign Host";
      }
      case 7 -> {
        path = dice.oneOf("/mcp/c/ws/%00", "/mcp/c/ws/" + "u".repeat(300), "/mcp/ws/", "/mcp/ws?x=%zz", "/ws",
          "/mcp/c/ws/someone-else");
        label = "path " + Excerpts.of(path, 20);
        mustRefuse = path.contains("%00") || path.contains("uuuu") || path.contains("someone-else");
      }
      case 8 -> {
        headers.removeIf(h -> h[0].equals("Sec-WebSocket-Protocol"));
        label = "no subprotocol offered";
        mustRefuse = false;
        offered = null;
      }
      case 9 -> {
        replace(headers, "Sec-WebSocket-Protocol", "mcp, foo");
        label = "mcp among others";
        mustRefuse = false;
      }
      case 10 -> {
        headers.add(new String[] {"Sec-WebSocket-Extensions", dice.oneOf("permessage-deflate",
          "permessage-deflate; client_max_window_bits=99", "x-junk")});
        label = "extensions offered";
        mustRefuse = false;
      }
      default -> {
        replace(headers, "Sec-WebSocket-Key", dice.oneOf("short", "", "!!!!", "a".repeat(200)));
        label = "malformed Sec-WebSocket-Key";
        mustRefuse = false;
      }
    }
    run.findings.sent(name);
    RawWebSocket.Upgrade upgrade = RawWebSocket.connect(run.vertx, run.tcp, run.mcpPort, path, headers,
      FuzzRun.TIMEOUT_MS);
    String shape = "handshake: " + label;
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\\r\\n");
    headers.forEach(h -> request.append(h[0]).append(": ").append(h[1]).append("\\r\\n"));
    run.findings.outcome(name, "handshake " + upgrade.answer().status());
    if (upgrade.socket() == null) {
      for (String problem : Oracle.mcpHttp(upgrade.answer(), run.territory.leakMarkers())) {
        fail(shape, problem, request.toString(), FuzzRun.describe(upgrade.answer()));
      }
      return;
    }
    String chosen = upgrade.answer().header("sec-websocket-protocol");
    if (mustRefuse) {
      fail(shape, "accepted an upgrade that must be refused", request.toString(), "101");
    }
    List<String> offers = offered == null ? List.of() : List.of(offered.split(",\\s*"));
    if (offered != null && chosen == null && !offers.contains("mcp")) {
      fail(shape, "accepted an upgrade offering only unknown subprotocols without choosing one",
        request.toString(), "101 without Sec-WebSocket-Protocol");
    }
    if (chosen != null && !offers.contains(chosen)) {
      fail(shape, "chose a subprotocol the client did not offer (" + chosen + ")", request.toString(), "101");
    }
    upgrade.socket().close();
  }

  private static void replace(List<String[]> headers, String name, String value) {
    headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    headers.add(new String[] {name, value});
  }

  private static boolean wellFormedUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
