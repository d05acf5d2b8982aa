package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.CallerIdentity;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.McpSession;
import dev.memgate.mcp.protocol.SessionRegistry;
import dev.memgate.mcp.protocol.Transport;
import io.vertx.core.Context;

/**
 * MCP over stdio: one session for the life of the process, for the user initialize names or the default user.
 * Lines arrive on the channel's reader thread and are handled on the verticle's context, like every other
 * transport's messages. The channel reads at most {@code mcp.max_in_flight} lines ahead of the answers written out,
 * so a client that floods stdin, or does not read stdout, is held back by its own pipe.
 */
public final class StdioTransport {
  private final Context context;
  private final McpProtocol protocol;
  private final SessionRegistry sessions;
  private final StdioChannel channel;
  private final int maxMessageBytes;
  /** Requests being answered; stdin may end before they are, and their answers must still go out. */
  private int inFlight;
  private boolean stdinEnded;

  public StdioTransport(Context context, McpProtocol protocol, SessionRegistry sessions, StdioChannel channel,
                        int maxMessageBytes) {
    this.context = context;
    this.protocol = protocol;
    this.sessions = sessions;
    this.channel = channel;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Opens the session and starts answering, beginning with whatever the client sent while the service started. */
  public void start() {
    McpSession session = sessions.open(Transport.STDIO, CallerIdentity.NONE);
    channel.attach(line -> context.runOnContext(v -> handle(session, line)),
      () -> context.runOnContext(v -> {
        stdinEnded = true;
        finishWhenIdle();
      }), session.maxInFlight());
  }

  private void finishWhenIdle() {
    if (stdinEnded && inFlight == 0) {
      channel.finish();
    }
  }

  private void handle(McpSession session, StdioChannel.Line line) {
    if (line.oversized()) {
      channel.send(JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "message larger than " + maxMessageBytes
        + " bytes (mcp.max_message_bytes); it was skipped", null).encode(), channel::lineDone);
      return;
    }
    inFlight++;
    protocol.handleText(session, line.text()).onComplete(done -> {
      inFlight--;
      if (done.succeeded() && done.result() != null) {
        channel.send(done.result(), channel::lineDone);
      } else {
        channel.lineDone();
      }
      finishWhenIdle();
    });
  }
}
