package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.fuzz.HttpCase.Aim;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MCP's legacy HTTP+SSE transport ({@code GET /sse} or OpenMemory's {@code /mcp/{client}/sse/{user}}, messages
 * POSTed to the endpoint the stream names, answers read from the stream): fuzzed messages in the protected and
 * the sandbox user's sessions, messages before initialize on fresh streams, and POSTs broken at the HTTP level
 * (content types, session ids, users, sizes), whose refusals are checked and whose effects, if any, are read from
 * the stream.
 */
final class SseLane extends Lane {
  /** An open stream, where to post to it, and for whom. */
  private final class Stream {
    final EventStreamClient events;
    final String endpoint;
    final String user;
    boolean batches;
    final List<HttpAnswer> posts = new ArrayList<>();
    final List<String> postedShapes = new ArrayList<>();

    Stream(EventStreamClient events, String endpoint, String user) {
      this.events = events;
      this.endpoint = endpoint;
      this.user = user;
    }

    HttpAnswer post(byte[] body, String contentType, String endpoint, String userHeader) {
      HttpCase.Builder request = new HttpCase.Builder("POST", endpoint, run.territory.mcpHost())
        .body(body, contentType);
      if (userHeader != null) {
        request.header("X-Memgate-User", userHeader);
      }
      HttpAnswer answer = run.http.exchange(run.mcpPort, request.build(endpoint));
      posts.add(answer);
      return answer;
    }

    Conversation.Channel channel() {
      return new Conversation.Channel() {
        @Override
        public void send(byte[] message) {
          post(message, "application/json", endpoint, user);
        }

        @Override
        public String next(long timeoutMs) {
          String message = events.next(timeoutMs);
          if (EventStreamClient.END.equals(message)) {
            throw new Conversation.Ended("the event stream ended");
          }
          return message;
        }
      };
    }

    void close() {
      events.close();
    }
  }

  SseLane(FuzzRun run, int quota, int workers) {
    super(run, "mcp-sse", quota, workers);
  }

  @Override
  Worker worker() {
    return new Worker() {
      private Stream protectedUser;
      private Stream sandboxUser;
      private int opened;

      @Override
      public void run(int index) {
        Dice dice = run.dice(name, index);
        if (protectedUser == null) {
          protectedUser = initialized(run.territory.mcpUser(), dice, "init-" + ++opened);
        }
        if (sandboxUser == null) {
          sandboxUser = initialized(run.territory.mcpSandboxUser(), dice, "init-" + ++opened);
        }
        int roll = dice.below(100);
        boolean usable;
        Stream stream;
        if (roll < 5) {
          Stream fresh = beforeInitialize(dice, index);
          if (fresh != null) {
            protectedUser.close();
            protectedUser = fresh;
          }
          return;
        } else if (roll < 17) {
          stream = protectedUser;
          usable = brokenPost(dice, index, stream);
        } else {
          McpGrammar.Message message = run.mcp.next(dice, index, true);
          boolean sandbox = message.aim() == Aim.SANDBOX || message.aim() == Aim.READ && dice.chance(0.3);
          stream = sandbox ? sandboxUser : protectedUser;
          run.findings.sent(name);
          stream.posts.clear();
          Conversation.Result result = Conversation.exchange(stream.channel(), message.bytes(),
            Conversation.expectedId(message.bytes(), stream.batches), "probe-" + index, FuzzRun.TIMEOUT_MS);
          checkPosts(message.shape(), message.text(), stream);
          usable = judge(message.shape(), message.bytes(), message.aim(), result);
        }
        if (!usable) {
          stream.close();
          if (stream == protectedUser) {
            protectedUser = null;
          } else {
            sandboxUser = null;
          }
        }
      }

      @Override
      public void close() {
        for (Stream stream : new Stream[] {protectedUser, sandboxUser}) {
          if (stream != null) {
            stream.close();
          }
        }
      }
    };
  }

  /** The POSTs' own answers: 202, or a refusal that is a JSON-RPC error. */
  private void checkPosts(String shape, String request, Stream stream) {
    for (HttpAnswer answer : stream.posts) {
      run.findings.outcome(name, "post " + (answer.status() == 0 ? "no-answer" : answer.status()));
      for (String problem : Oracle.mcpHttp(answer, run.territory.leakMarkers())) {
        fail(shape, "POST: " + problem, request, FuzzRun.describe(answer));
      }
    }
    stream.posts.clear();
  }

  private Stream open(String user, Dice dice) {
    boolean openMemory = dice.chance(0.5);
    String path = openMemory ? "/mcp/fuzz-client/sse/" + user : "/sse";
    EventStreamClient events = EventStreamClient.open(run.jdk, "http://127.0.0.1:" + run.mcpPort + path,
      openMemory ? Map.of() : Map.of("X-Memgate-User", user));
    String endpoint = events.endpoint(FuzzRun.TIMEOUT_MS);
    if (events.status() != 200 || endpoint == null) {
      events.close();
      throw new IllegalStateException("could not open an event stream on " + path + ": HTTP " + events.status());
    }
    return new Stream(events, endpoint, openMemory ? null : user);
  }

  private Stream initialized(String user, Dice dice, String id) {
    Stream stream = open(user, dice);
    if (!initialize(stream, id, dice)) {
      stream.close();
      throw new IllegalStateException("could not initialize an SSE session for " + user);
    }
    return stream;
  }

  private boolean initialize(Stream stream, String id, Dice dice) {
    byte[] request = McpGrammar.request(id, "initialize", McpGrammar.initializeParams(dice.oneOf("2024-11-05",
      "2025-03-26", "2025-11-25"), null)).bytes();
    Conversation.Result result = Conversation.exchange(stream.channel(), request, id, "probe-" + id,
      FuzzRun.TIMEOUT_MS);
    stream.posts.clear();
    for (String reply : result.replies()) {
      if (Conversation.answers(reply, id) && new JsonObject(reply).getValue("result") instanceof JsonObject ok) {
        String version = ok.getString("protocolVersion", "");
        stream.batches = version.equals("2024-11-05") || version.equals("2025-03-26");
        stream.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}".getBytes(StandardCharsets.UTF_8),
          "application/json", stream.endpoint, stream.user);
        stream.posts.clear();
        return true;
      }
    }
    return false;
  }

  private Stream beforeInitialize(Dice dice, int index) {
    Stream fresh = open(run.territory.mcpUser(), dice);
    int count = dice.between(1, 3);
    for (int k = 0; k < count; k++) {
      McpGrammar.Message message = McpGrammar.beforeInitialize(dice, index * 10 + k);
      run.findings.sent(name);
      Conversation.Result result = Conversation.exchange(fresh.channel(), message.bytes(),
        Conversation.expectedId(message.bytes(), false), "probe-" + index + "-" + k, FuzzRun.TIMEOUT_MS);
      checkPosts(message.shape(), message.text(), fresh);
      if (!judge(message.shape(), message.bytes(), message.aim(), result)) {
        fresh.close();
        return null;
      }
    }
    if (!initialize(fresh, "init-after-" + index, dice)) {
      fail("initialize after refused messages", "the session could not be initialized after refused messages "
        + "(did one of them initialize it?)", "", "");
      fresh.close();
      return null;
    }
    return fresh;
  }

  /**
   * A POST broken at the HTTP level, carrying a write that must not happen; then a ping shows whether anything
   * arrived on the stream for it.
   */
  private boolean brokenPost(Dice dice, int index, Stream stream) {
    byte[] wipe = McpGrammar.callTool("w" + index, "delete_all_memories", J.obj()).bytes();
    String endpoint = stream.endpoint;
    String session = endpoint.substring(endpoint.indexOf('=') + 1);
    String base = endpoint.substring(0, endpoint.indexOf('?'));
    String parameter = endpoint.substring(endpoint.indexOf('?') + 1, endpoint.indexOf('='));
    String contentType = "application/json";
    String user = stream.user;
    byte[] body = wipe;
    String label;
    switch (dice.below(7)) {
      case 0 -> {
        contentType = dice.oneOf(null, "text/plain", "application/x-www-form-urlencoded", "", "text/json",
          "multipart/form-data");
        label = "content-type=" + (contentType == null ? "none" : contentType);
      }
      case 1 -> {
        endpoint = base + "?" + parameter + "=" + dice.oneOf(dice.uuid(), "", "%zz", "%00",
          session.toUpperCase(), session + "x", "s".repeat(5_000));
        label = "bogus session id";
      }
      case 2 -> {
        endpoint = base;
        label = "no session id";
      }
      case 3 -> {
        user = dice.oneOf(run.territory.mcpSandboxUser(), "someone-else");
        label = "another user";
      }
      case 4 -> {
        user = dice.oneOf("", "a\u0001b", "u".repeat(300));
        label = "bad user header";
      }
      case 5 -> {
        body = dice.oneOf("", " ", "\u0000").getBytes(StandardCharsets.UTF_8);
        label = "empty body";
      }
      default -> {
        body = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "p".repeat((1 << 20) + 10)
          + "\"}}").getBytes(StandardCharsets.UTF_8);
        label = "body over mcp.max_message_bytes";
      }
    }
    String shape = "POST " + label;
    run.findings.sent(name);
    stream.posts.clear();
    stream.post(body, contentType, endpoint, user);
    checkPosts(shape, Excerpts.of(new String(body, StandardCharsets.UTF_8), 200), stream);
    byte[] after = McpGrammar.request("after-" + index, "ping", null).bytes();
    Conversation.Result result = Conversation.exchange(stream.channel(), after, "after-" + index, "probe-" + index,
      FuzzRun.TIMEOUT_MS);
    stream.posts.clear();
    List<String> replies = new ArrayList<>(result.replies());
    replies.removeIf(reply -> Conversation.answers(reply, "after-" + index));
    return judge(shape, body, Aim.PROTECTED,
      new Conversation.Result(replies, result.probeAnswered(), result.expectedMissing(), result.ended()));
  }
}
