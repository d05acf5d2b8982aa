package dev.memgate.gateway.fuzz;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * MCP over the service's own stdin and stdout: one session for the life of the process, so one worker. It first
 * gets messages before initialize (calls that must wait, initializes that must be refused), then the real
 * initialize for the protected user (revision 2024-11-05, which allows batches), then fuzzed messages, which on this
 * transport never include a write that might be valid.
 */
final class StdioLane extends Lane {
  private static final int BEFORE_INITIALIZE = 12;

  private boolean batches;
  /** Set once stdio stopped answering: the rest of its quota would only wait for nothing. */
  private volatile boolean dead;

  StdioLane(FuzzRun run, int quota) {
    super(run, "mcp-stdio", quota, 1);
  }

  private final Conversation.Channel channel = new Conversation.Channel() {
    @Override
    public void send(byte[] message) {
      byte[] line = java.util.Arrays.copyOf(message, message.length + 1);
      line[message.length] = '\n';
      run.service.write(line);
    }

    @Override
    public String next(long timeoutMs) {
      try {
        return run.service.nextLine(Duration.ofMillis(timeoutMs));
      } catch (IllegalStateException ended) {
        throw new Conversation.Ended("stdout ended");
      }
    }
  };

  @Override
  void prepare() {
    Dice dice = run.dice(name, -1);
    for (int k = 0; k < BEFORE_INITIALIZE; k++) {
      McpGrammar.Message message = McpGrammar.beforeInitialize(dice, k);
      run.findings.sent(name);
      Conversation.Result result = Conversation.exchange(channel, message.bytes(),
        Conversation.expectedId(message.bytes(), false), "probe-pre-" + k, FuzzRun.TIMEOUT_MS);
      judge(message.shape(), message.bytes(), message.aim(), result);
    }
    String id = "init";
    byte[] initialize = McpGrammar.request(id, "initialize", McpGrammar.initializeParams("2024-11-05",
      run.territory.mcpUser())).bytes();
    Conversation.Result result = Conversation.exchange(channel, initialize, id, "probe-init", FuzzRun.TIMEOUT_MS);
    boolean initialized = false;
    for (String reply : result.replies()) {
      if (Conversation.answers(reply, id) && new JsonObject(reply).getValue("result") instanceof JsonObject ok) {
        initialized = true;
        batches = ok.getString("protocolVersion", "").equals("2024-11-05");
      }
    }
    if (!initialized) {
      fail("initialize after refused messages", "the stdio session could not be initialized after refused messages "
        + "(did one of them initialize it?)", "", String.join("\n", result.replies()));
    }
    channel.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Override
  Worker worker() {
    return index -> {
      if (dead) {
        return;
      }
      McpGrammar.Message message = run.mcp.next(run.dice(name, index), index, false);
      run.findings.sent(name);
      // stdio is line-delimited: a message with a line break in it is several messages, none of them whole.
      Object expected = new String(message.bytes(), StandardCharsets.UTF_8).indexOf('\n') >= 0 ? null
        : Conversation.expectedId(message.bytes(), batches);
      Conversation.Result result = Conversation.exchange(channel, message.bytes(), expected, "probe-" + index,
        FuzzRun.TIMEOUT_MS);
      dead = !judge(message.shape(), message.bytes(), message.aim(), result);
    };
  }
}
