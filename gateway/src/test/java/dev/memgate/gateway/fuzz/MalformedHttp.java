package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.fuzz.HttpCase.Aim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/1.1 requests broken below the API: versions, request lines, header syntax, line endings, framing
 * (Content-Length and chunked), sizes, bytes that are not HTTP at all. Written as raw bytes, since no client would
 * send them; aimed at reads and at sandbox adds, never at anything that could erase data if a parser guessed.
 */
final class MalformedHttp {
  private MalformedHttp() {
  }

  /**
   * A request broken at the HTTP level, to {@code host}: a search, or an add whose scope is {@code probe}'s user.
   */
  static HttpCase next(Dice dice, String host, J.Obj addBody, J.Obj searchBody, String probe) {
    boolean add = dice.chance(0.4);
    byte[] body = add ? addBody.bytes() : searchBody.bytes();
    String method = "POST";
    String path = add ? "/memories" : "/search";
    String version = "HTTP/1.1";
    String requestLine = null;
    List<String> headers = new ArrayList<>(List.of("Host: " + host, "Content-Type: application/json"));
    boolean length = true;
    String eol = "\r\n";
    byte[] rawTail = null;
    boolean incomplete = false;
    String prefix = "";
    String label;
    switch (dice.below(30)) {
      case 0 -> {
        version = dice.oneOf("HTTP/1.x", "HTTP/2.0", "HTTP/9.9", "http/1.1", "HTTP/1", "HTTP/1.1.1", "HTTP/01.1",
          "HTTP/1.10", "HTTPS/1.1", "HTTP/-1.1");
        label = "version " + version;
      }
      case 1 -> {
        version = "HTTP/1.0";
        headers.remove(0);
        label = "HTTP/1.0 without Host";
      }
      case 2 -> {
        requestLine = dice.oneOf("GET /health", "GET", "GET  /health  HTTP/1.1", "GET\t/health\tHTTP/1.1",
          "GET /health HTTP/1.1 extra", " GET /health HTTP/1.1", "GET health HTTP/1.1", "GET ? HTTP/1.1",
          "GET /health#frag HTTP/1.1", "GET /mem ories HTTP/1.1", "OPTIONS * HTTP/1.1", "GET * HTTP/1.1",
          "GET http://evil.example/health HTTP/1.1", "GET //health HTTP/1.1", "GET /%zz HTTP/1.1",
          "GET /memories/%zz HTTP/1.1", "GET /memories?user_id=%zz HTTP/1.1", "GET /\u00e9 HTTP/1.1",
          "GET /\u0000 HTTP/1.1", "GET / HTTP/1.1\u0000");
        label = "request-line " + Excerpts.of(requestLine.replace(host, "HOST"), 40);
        incomplete = !requestLine.contains("HTTP/");
        method = "GET";
        body = null;
      }
      case 3 -> {
        requestLine = "GET /memories/" + "a".repeat(dice.oneOf(8_200, 20_000, 70_000)) + " HTTP/1.1";
        label = "uri-too-long";
        method = "GET";
        body = null;
      }
      case 4 -> {
        headers.add("X-Big: " + "b".repeat(dice.oneOf(16_500, 40_000)));
        label = "header-too-large";
      }
      case 5 -> {
        for (int i = 0; i < dice.oneOf(200, 2_000); i++) {
          headers.add("X-H" + i + ": v");
        }
        label = "many-headers";
      }
      case 6 -> {
        headers.add(dice.oneOf("NoColonHere", "X Bad: 1", "Host : evil", ": empty-name", "X-\u0001: 1",
          "X-Ok: a\u0000b", "X-Ok: a\rb", "\u00e9: 1", "X-Fold: a", " folded-continuation", "X-Ok:\u0007"));
        label = "header-syntax";
      }
      case 7 -> {
        eol = dice.oneOf("\n", "\r");
        label = "line-endings " + (eol.equals("\n") ? "LF" : "CR");
        incomplete = eol.equals("\r");
      }
      case 8 -> {
        length = false;
        headers.add("Content-Length: " + dice.oneOf("-1", "abc", "1e3", "99999999999999999999", "+5", " ", "0x10"));
        label = "content-length-invalid";
      }
      case 9 -> {
        length = false;
        headers.add("Content-Length: " + body.length);
        headers.add("Content-Length: " + (body.length + 1));
        label = "content-length-twice";
      }
      case 10 -> {
        length = false;
        headers.add("Content-Length: " + body.length);
        headers.add("Transfer-Encoding: chunked");
        rawTail = chunked(body);
        label = "content-length-and-chunked";
      }
      case 11 -> {
        length = false;
        headers.add("Transfer-Encoding: chunked");
        rawTail = (dice.oneOf("zz", "-1", "ffffffffffffffff", "5;" + "e".repeat(9_000), "3\r\nabcXX") + "\r\n"
          + "abc\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        label = "chunk-size-invalid";
        // Broken framing in the middle of a body: closing without an answer is what RFC 9112 allows (the end of
        // the message cannot be found); a 4xx is fine too. Never a 5xx, never a stack trace in the log.
        incomplete = true;
      }
      case 12 -> {
        length = false;
        headers.add("Transfer-Encoding: " + dice.oneOf("gzip, chunked", "chunked, chunked", "identity",
          "chunked;x=1", "CHUNKED", "xchunked"));
        rawTail = chunked(body);
        label = "transfer-encoding-odd";
      }
      case 13 -> {
        headers.clear();
        rawTail = dice.bytes(dice.oneOf(16, 512, 8_192));
        requestLine = "";
        label = "binary-garbage";
        incomplete = true;
      }
      case 14 -> {
        headers.clear();
        rawTail = java.util.HexFormat.of().parseHex("160301006b010000670303" + "00".repeat(32) + "000002002f0100");
        requestLine = "";
        label = "tls-client-hello";
        incomplete = true;
      }
      case 15 -> {
        prefix = dice.oneOf("\r\n", "\r\n\r\n", "\n");
        label = "leading-empty-line";
      }
      case 16 -> {
        headers.add("Expect: 100-continue");
        label = "expect-100-continue";
      }
      case 17 -> {
        requestLine = "GET /health HTTP/1.1";
        method = "GET";
        label = "pipelined";
        rawTail = ("GET /nope HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        body = null;
        length = false;
      }
      case 18 -> {
        headers.add("Content-Encoding: gzip");
        label = "gzip-claimed-not-gzip";
      }
      case 19 -> {
        method = "GET";
        requestLine = "GET /memories/\u00c0\u00af HTTP/1.1";
        label = "latin1-bytes-in-path";
        body = null;
      }
      case 20 -> {
        requestLine = "GET /memories?user_id=" + "q".repeat(8_000) + "&limit=1 HTTP/1.1";
        label = "query-too-long";
        method = "GET";
        body = null;
      }
      case 21 -> {
        headers.add("Connection: keep-alive, Upgrade");
        headers.add("Upgrade: h2c");
        headers.add("HTTP2-Settings: " + dice.oneOf("AAMAAABkAARAAAAAAAIAAAAA", "!!!", ""));
        method = "GET";
        requestLine = "GET /health HTTP/1.1";
        body = null;
        label = "h2c-upgrade";
      }
      case 22 -> {
        method = dice.oneOf("GET", "HEAD", "DELETE");
        requestLine = method + " /health HTTP/1.1";
        label = method + "-with-body";
      }
      case 23 -> {
        headers.add("Content-Type: application/json");
        label = "content-type-twice";
      }
      case 24 -> {
        headers.set(1, "Content-Type:application/json");
        headers.add("X-Trailing-Space: v ");
        label = "no-space-after-colon";
      }
      case 25 -> {
        length = false;
        headers.add("Content-Length: " + (body.length - dice.between(1, Math.min(10, body.length - 1))));
        label = "content-length-short";
      }
      case 26 -> {
        headers.set(0, "host: " + host);
        headers.add("HOST: " + host);
        label = "host-twice-same";
      }
      case 27 -> {
        version = "HTTP/1.1";
        requestLine = "POST " + path + "?" + "%".repeat(dice.oneOf(1, 3)) + " HTTP/1.1";
        label = "bare-percent-in-query";
      }
      case 28 -> {
        headers.add("Content-Type: " + "x".repeat(9_000));
        headers.remove(1);
        label = "content-type-huge";
      }
      default -> {
        requestLine = "GET /health HTTP/1.1";
        method = "GET";
        body = null;
        headers.add("Connection: close");
        label = "control-" + "health";
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    String line = requestLine != null ? requestLine : method + " " + path + " " + version;
    StringBuilder head = new StringBuilder(prefix);
    if (!line.isEmpty() || !headers.isEmpty()) {
      head.append(line).append(eol);
      for (String header : headers) {
        head.append(header).append(eol);
      }
      if (length && body != null) {
        head.append("Content-Length: ").append(body.length).append(eol);
      }
      if (!label.equals("pipelined")) {
        head.append("Connection: close").append(eol);
      }
      head.append(eol);
    }
    byte[] headBytes = head.toString().getBytes(label.equals("latin1-bytes-in-path") ? StandardCharsets.ISO_8859_1
      : StandardCharsets.UTF_8);
    out.write(headBytes, 0, headBytes.length);
    byte[] tail = rawTail != null ? rawTail : body;
    if (tail != null) {
      out.write(tail, 0, tail.length);
    }
    boolean writes = add && "POST".equals(method) && (requestLine == null || requestLine.startsWith("POST"));
    HttpCase.Builder request = new HttpCase.Builder(method, path, host).raw(out.toByteArray()).mutation("http " + label)
      .aim(writes ? Aim.SANDBOX : Aim.READ);
    if (incomplete) {
      request.answerOptional();
    }
    if (writes) {
      request.probe("user_id=" + probe);
    }
    return request.build("(raw)");
  }

  private static byte[] chunked(byte[] body) {
    int half = body.length / 2;
    String text = Integer.toHexString(half) + "\r\n" + new String(body, 0, half, StandardCharsets.ISO_8859_1)
      + "\r\n" + Integer.toHexString(body.length - half) + "\r\n"
      + new String(body, half, body.length - half, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n";
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
