package dev.memgate.gateway.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated HTTP request: exactly the bytes to send (HTTP/1.1: the listeners speak HTTP/2 only over TLS), with what
 * it is aimed at. {@link #shape} names the kind of request for reports ("POST /memories body.limit=wrong-type:
 * string"), so that many failing requests of one kind read as one finding.
 *
 * @param aim       what the request could change, which decides what it may be aimed at and what a 2xx means
 * @param answerOptional the bytes are not a complete request (no line end a parser can find, TLS instead of HTTP),
 *                  so a server may rightly wait for more, or close, instead of answering
 * @param probe     a scope no other request uses ("user_id=sb-rest-17"): if the request is refused, that scope must
 *                  have no memories after the run (the request wrote nothing); null when there is nothing to check
 */
record HttpCase(String shape, String method, String target, List<String[]> headers, byte[] body, byte[] raw,
                Aim aim, String probe, boolean answerOptional) {

  /** What a request may change. */
  enum Aim {
    /** Nothing: a read, or a request that cannot write. */
    READ,
    /** Memories that must stay as they are: the request breaks a rule for certain and must be refused. */
    PROTECTED,
    /** Throw-away memories: the request may well be valid, and then it writes there. */
    SANDBOX
  }

  boolean head() {
    return "HEAD".equals(method);
  }

  /** The request as bytes on an HTTP/1.1 connection. */
  byte[] wire() {
    if (raw != null) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, method + " " + target + " HTTP/1.1\r\n");
    for (String[] header : headers) {
      write(out, header[0] + ": " + header[1] + "\r\n");
    }
    write(out, "\r\n");
    if (body != null) {
      out.write(body, 0, body.length);
    }
    return out.toByteArray();
  }

  /** A readable excerpt of the request for reports: no more than a few hundred characters, controls escaped. */
  String excerpt() {
    String text = new String(wire(), StandardCharsets.UTF_8);
    return Excerpts.of(text, 400);
  }

  private static void write(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
  }

  /** Builds well-formed requests, which the grammar then breaks in one place. */
  static final class Builder {
    private String method;
    private String target;
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body;
    private byte[] raw;
    private Aim aim = Aim.READ;
    private String probe;
    private String host;
    private boolean contentLength = true;
    private String mutation = "";
    private boolean answerOptional;

    Builder(String method, String target, String hostHeader) {
      this.method = method;
      this.target = target;
      this.host = hostHeader;
    }

    Builder method(String method) {
      this.method = method;
      return this;
    }

    Builder target(String target) {
      this.target = target;
      return this;
    }

    /** Replaces the Host header; null sends none. */
    Builder host(String host) {
      this.host = host;
      return this;
    }

    Builder header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Builder removeHeader(String name) {
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
      return this;
    }

    Builder json(J value) {
      return body(value.bytes(), "application/json");
    }

    /** A body and its Content-Type (null for none). */
    Builder body(byte[] bytes, String contentType) {
      removeHeader("Content-Type");
      if (contentType != null) {
        header("Content-Type", contentType);
      }
      this.body = bytes;
      return this;
    }

    Builder contentType(String contentType) {
      removeHeader("Content-Type");
      if (contentType != null) {
        header("Content-Type", contentType);
      }
      return this;
    }

    /** Leaves Content-Length for the caller (framing mutations). */
    Builder noContentLength() {
      this.contentLength = false;
      return this;
    }

    Builder raw(byte[] bytes) {
      this.raw = bytes;
      return this;
    }

    Builder aim(Aim aim) {
      this.aim = aim;
      return this;
    }

    /** The scope this request alone writes to, as a query ("user_id=sb-rest-17"). */
    Builder probe(String scopeQuery) {
      this.probe = scopeQuery;
      return this;
    }

    /** The request is not complete, so the server need not answer it. */
    Builder answerOptional() {
      this.answerOptional = true;
      return this;
    }

    /** What was broken, for the shape. */
    Builder mutation(String mutation) {
      this.mutation = mutation;
      return this;
    }

    HttpCase build(String route) {
      List<String[]> all = new ArrayList<>();
      if (host != null) {
        all.add(new String[] {"Host", host});
      }
      all.addAll(headers);
      if (contentLength && body != null && headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Content-Length")
        || h[0].equalsIgnoreCase("Transfer-Encoding"))) {
        all.add(new String[] {"Content-Length", Integer.toString(body.length)});
      }
      all.add(new String[] {"Connection", "close"});
      String shape = method + " " + route + (mutation.isEmpty() ? "" : " " + mutation);
      return new HttpCase(shape, method, target, all, body, raw, aim, probe, answerOptional);
    }
  }
}
