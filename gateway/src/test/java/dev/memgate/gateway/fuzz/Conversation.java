package dev.memgate.gateway.fuzz;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One exchange on a transport that carries messages both ways (WebSocket, legacy SSE, stdio), where nothing ties
 * an answer to the message that caused it but its id. After each fuzzed message a ping with an id of the
 * fuzzer's own follows; every message that arrives before the ping's answer belongs to the fuzzed message. A fuzzed
 * message that is a well-formed request must also get an answer with its own id (JSON-RPC says so), which may come
 * after the ping's, since tool calls take longer than pings.
 */
final class Conversation {
  /** A transport, seen as: send a message; take the next message the server sent. */
  interface Channel {
    void send(byte[] message);

    /** The next message, null after {@code timeoutMs}; throws {@link Ended} once the server closed the channel. */
    String next(long timeoutMs);
  }

  /** The server closed the channel; {@code how} says how ("close 1009", "dropped", "stream ended"). */
  static final class Ended extends RuntimeException {
    final String how;

    Ended(String how) {
      super(how, null, false, false);
      this.how = how;
    }
  }

  /** What came back: the replies (the probe's excluded), whether the probe and the expected reply arrived. */
  record Result(List<String> replies, boolean probeAnswered, boolean expectedMissing, String ended) {
  }

  /** Stands for "whichever reply comes next", for a request whose id may come back spelt otherwise. */
  static final Object ANY = new Object();

  private Conversation() {
  }

  /** A ping with an id no fuzzed message uses. */
  static byte[] probe(String id) {
    return ("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ping\"}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The id a reply must carry when {@code message} is a well-formed request (an object with jsonrpc "2.0", a method
   * name, an id that is a string or a modest whole number, and params that are an object or absent; other members
   * do not make it any less a request); "[]" when it
   * is a batch the session accepts; null when no particular reply is owed.
   */
  static Object expectedId(byte[] message, boolean batches) {
    Object parsed;
    try {
      parsed = Json.decodeValue(new String(message, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      return null;
    }
    if (parsed instanceof JsonArray batch) {
      return batches && batch.stream().anyMatch(Conversation::wellFormedRequest) ? "[]" : null;
    }
    if (!wellFormedRequest(parsed)) {
      return null;
    }
    Object id = ((JsonObject) parsed).getValue("id");
    return respelt(id) ? ANY : id;
  }

  private static boolean wellFormedRequest(Object item) {
    if (!(item instanceof JsonObject message)) {
      return false;
    }
    Object id = message.getValue("id");
    boolean idOk = id instanceof String || id instanceof Number n && Double.isFinite(n.doubleValue())
      && n.doubleValue() == Math.rint(n.doubleValue());
    Object params = message.getValue("params");
    return idOk && "2.0".equals(message.getValue("jsonrpc")) && message.getValue("method") instanceof String m
      && !m.isEmpty() && (params == null || params instanceof JsonObject);
  }

  /**
   * Whether the id may come back spelt otherwise: a lone surrogate cannot be written as UTF-8, and a whole number
   * past 2^53 may come back rounded. The reply is then recognised as the next one that arrives.
   */
  private static boolean respelt(Object id) {
    return id instanceof String text && Rules.unstorable(text, false)
      || id instanceof Number n && Math.abs(n.doubleValue()) >= 1e15;
  }

  /** Whether {@code reply} answers the expected id ("[]" matches any batch answer). */
  static boolean answers(String reply, Object expected) {
    try {
      Object parsed = Json.decodeValue(reply);
      if (expected == ANY) {
        return parsed instanceof JsonObject;
      }
      if ("[]".equals(expected)) {
        return parsed instanceof JsonArray;
      }
      return parsed instanceof JsonObject object && sameId(object.getValue("id"), expected);
    } catch (DecodeException e) {
      return false;
    }
  }

  private static boolean sameId(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return key(x).equals(key(y));
    }
    return a != null && a.equals(b);
  }

  /** Sends the message and the probe, and collects what belongs to the message. */
  static Result exchange(Channel channel, byte[] message, Object expected, String probeId, long timeoutMs) {
    List<String> replies = new ArrayList<>();
    boolean probeAnswered = false;
    boolean expectedSeen = expected == null;
    long deadline = System.currentTimeMillis() + timeoutMs;
    try {
      channel.send(message);
      channel.send(probe(probeId));
      while (!(probeAnswered && expectedSeen)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          break;
        }
        String reply = channel.next(left);
        if (reply == null) {
          break;
        }
        if (answers(reply, probeId)) {
          probeAnswered = true;
          continue;
        }
        if (!expectedSeen && answers(reply, expected)) {
          expectedSeen = true;
        }
        replies.add(reply);
      }
    } catch (Ended ended) {
      return new Result(replies, probeAnswered, !expectedSeen, ended.how);
    }
    return new Result(replies, probeAnswered, !expectedSeen, null);
  }

  /**
   * The ids a message carries (its own, or its items' for a batch), as comparable keys; empty when it is not JSON.
   * A reply is the message's only when it carries one of them.
   */
  static java.util.Set<String> ids(byte[] message) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    try {
      Object parsed = Json.decodeValue(new String(message, StandardCharsets.UTF_8));
      for (Object item : items(parsed)) {
        if (item instanceof JsonObject object && object.containsKey("id")) {
          ids.add(key(object.getValue("id")));
        }
      }
    } catch (DecodeException e) {
      // no ids
    }
    return ids;
  }

  private static String key(Object id) {
    if (id instanceof Number number) {
      // 1e309 parses as Infinity, which is no decimal.
      return "n:" + (number instanceof Double d && !Double.isFinite(d) ? number.toString()
        : new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
    }
    return "s:" + id;
  }

  private static List<Object> items(Object parsed) {
    List<Object> items = new ArrayList<>();
    if (parsed instanceof JsonArray batch) {
      for (int i = 0; i < batch.size(); i++) {
        items.add(batch.getValue(i));
      }
    } else {
      items.add(parsed);
    }
    return items;
  }

  /** Whether a reply answers one of {@code ids} with a tool result that succeeded (a write that went through). */
  static boolean toolSucceeded(String reply, java.util.Set<String> ids) {
    Object parsed;
    try {
      parsed = Json.decodeValue(reply);
    } catch (DecodeException e) {
      return false;
    }
    for (Object item : items(parsed)) {
      if (item instanceof JsonObject message && ids.contains(key(message.getValue("id")))
        && message.getValue("result") instanceof JsonObject result && result.containsKey("content")
        && !Boolean.TRUE.equals(result.getValue("isError"))) {
        return true;
      }
    }
    return false;
  }
}
