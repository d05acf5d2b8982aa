package dev.memgate.gateway.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * What came back for one HTTP request: the status, headers (names in lower case) and the body (decompressed), or,
 * in {@link #failure}, why there is no complete answer (the connection closed first, the answer was cut off, none
 * came in time). Also parses the bytes of an HTTP/1.x answer, which is how raw requests are read.
 */
record HttpAnswer(int status, Map<String, List<String>> headers, byte[] body, String failure) {

  static HttpAnswer failed(String why) {
    return new HttpAnswer(0, Map.of(), new byte[0], why);
  }

  String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  String contentType() {
    String type = header("content-type");
    return type == null ? "" : type.toLowerCase(Locale.ROOT);
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Reads one answer from the start of {@code data}. Returns null while more bytes are needed (and the connection
   * is still open); at close, an answer or a failure saying what was missing. Interim 1xx answers other than 101
   * are skipped.
   */
  static HttpAnswer parse(byte[] data, boolean head, boolean closed) {
    int start = 0;
    while (true) {
      int end = indexOf(data, start, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (end < 0) {
        if (!closed) {
          return null;
        }
        return failed(data.length == start ? "the connection closed without an answer"
          : "the connection closed in the middle of the answer's headers: "
            + Excerpts.of(new String(data, start, data.length - start, StandardCharsets.ISO_8859_1), 200));
      }
      String[] lines = new String(data, start, end - start, StandardCharsets.ISO_8859_1).split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      int status;
      try {
        status = statusLine.length >= 2 && statusLine[0].startsWith("HTTP/") ? Integer.parseInt(statusLine[1]) : -1;
      } catch (NumberFormatException e) {
        status = -1;
      }
      if (status < 0) {
        return failed("not an HTTP answer: " + Excerpts.of(lines[0], 200));
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
        }
      }
      int bodyStart = end + 4;
      if (status >= 100 && status < 200 && status != 101) {
        start = bodyStart;
        continue;
      }
      if (status == 101 || status == 204 || status == 304 || head) {
        return new HttpAnswer(status, headers, new byte[0], null);
      }
      byte[] rest = java.util.Arrays.copyOfRange(data, bodyStart, data.length);
      String transfer = first(headers, "transfer-encoding");
      String length = first(headers, "content-length");
      byte[] body;
      if (transfer != null && transfer.toLowerCase(Locale.ROOT).contains("chunked")) {
        body = dechunk(rest);
        if (body == null) {
          return closed ? cutOff(status, headers, rest) : null;
        }
      } else if (length != null) {
        long expected;
        try {
          expected = Long.parseLong(length);
        } catch (NumberFormatException e) {
          return failed("the answer's Content-Length is not a number: " + length);
        }
        if (rest.length < expected) {
          return closed ? cutOff(status, headers, rest) : null;
        }
        body = java.util.Arrays.copyOf(rest, (int) expected);
      } else if (String.valueOf(first(headers, "content-type")).contains("text/event-stream")) {
        if (!closed && indexOf(rest, 0, "\n\n".getBytes(StandardCharsets.ISO_8859_1)) < 0) {
          return null;
        }
        body = rest;
      } else {
        if (!closed) {
          return null;
        }
        body = rest;
      }
      return new HttpAnswer(status, headers, decode(first(headers, "content-encoding"), body), null);
    }
  }

  /**
   * Whether {@code data} holds the final answer's headers and that answer's body lasts until the connection closes
   * (no Content-Length, not chunked): then the server is expected to close promptly.
   */
  static boolean bodyUntilClose(byte[] data, boolean head) {
    int start = 0;
    while (true) {
      int end = indexOf(data, start, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (end < 0) {
        return false;
      }
      String block = new String(data, start, end - start, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      String[] statusLine = block.split("\r\n", 2)[0].split(" ", 3);
      int status;
      try {
        status = statusLine.length >= 2 ? Integer.parseInt(statusLine[1]) : -1;
      } catch (NumberFormatException e) {
        return false;
      }
      if (status >= 100 && status < 200 && status != 101) {
        start = end + 4;
        continue;
      }
      return status >= 200 && status != 204 && status != 304 && !head && !block.contains("\r\ncontent-length:")
        && !block.contains("\r\ntransfer-encoding:") && !block.contains("text/event-stream");
    }
  }

  private static HttpAnswer cutOff(int status, Map<String, List<String>> headers, byte[] rest) {
    return new HttpAnswer(status, headers, rest, "the connection closed before the whole body arrived");
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body of a chunked answer, or null while it is incomplete. */
  private static byte[] dechunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOf(data, at, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (lineEnd < 0) {
        return null;
      }
      String sizeText = new String(data, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";", 2)[0].strip();
      int size;
      try {
        size = Integer.parseInt(sizeText, 16);
      } catch (NumberFormatException e) {
        return data;
      }
      at = lineEnd + 2;
      if (size == 0) {
        return out.toByteArray();
      }
      if (data.length < at + size + 2) {
        return null;
      }
      out.write(data, at, size);
      at += size + 2;
    }
  }

  private static byte[] decode(String encoding, byte[] body) {
    if (encoding == null || body.length == 0) {
      return body;
    }
    try (InputStream in = switch (encoding.toLowerCase(Locale.ROOT)) {
      case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(body));
      case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(body));
      default -> null;
    }) {
      return in == null ? body : in.readAllBytes();
    } catch (IOException e) {
      return body;
    }
  }

  static int indexOf(byte[] data, int from, byte[] needle) {
    outer:
    for (int i = Math.max(0, from); i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
