package dev.memgate.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a request whose body, path or query string is not well-formed UTF-8 before anything parses it. JSON must
 * be UTF-8, and the JSON parser is lenient: it reads the overlong form C0 AF as '/', so one text could pass for
 * another past every check made on the decoded text. Percent-escapes in the URL would otherwise be decoded with
 * replacement characters, silently turning an id into another.
 */
final class StrictUtf8 {
  private StrictUtf8() {
  }

  static void check(RoutingContext rc) {
    String query = rc.request().query();
    if (!percentDecodedWellFormed(rc.request().path()) || (query != null && !percentDecodedWellFormed(query))) {
      Problems.send(rc, Problems.plain(400, "the request URL is not valid UTF-8 once percent-decoded"));
      return;
    }
    Buffer body = rc.body() == null ? null : rc.body().buffer();
    if (body != null && !wellFormed(body.getBytes())) {
      Problems.send(rc, Problems.plain(400, "the request body is not valid UTF-8"));
      return;
    }
    rc.next();
  }

  /** True when every {@code %} in this raw path or query is followed by two hex digits. */
  static boolean wellFormedEscapes(String raw) {
    if (raw == null) {
      return true;
    }
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
        || Character.digit(raw.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  static boolean percentDecodedWellFormed(String raw) {
    if (raw == null || raw.indexOf('%') < 0) {
      return true;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high >= 0 && low >= 0) {
          bytes.write(high * 16 + low);
          i += 2;
          continue;
        }
      }
      byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      bytes.write(plain, 0, plain.length);
    }
    return wellFormed(bytes.toByteArray());
  }

  static boolean wellFormed(byte[] bytes) {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return true;
    }
    try {
      // The JDK's decoder follows RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF.
      StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException malformed) {
      return false;
    }
  }
}
