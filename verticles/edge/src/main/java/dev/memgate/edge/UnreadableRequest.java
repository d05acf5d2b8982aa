package dev.memgate.edge;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * What was wrong with a request the HTTP decoder could not read, the same for every listener: a request line over
 * the limit (414), headers over the limit (431), an HTTP version this server does not speak (see
 * {@link HttpVersionCheck}) or anything else that is not HTTP (400). Each listener answers it in its own format from
 * its server's {@code invalidRequestHandler}, and closes the connection: where the next request would start is
 * unknown.
 *
 * @param status the status to answer
 * @param reason a few words for the refusal log
 * @param detail a sentence for the client
 */
public record UnreadableRequest(int status, String reason, String detail) {
  public static UnreadableRequest of(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      return new UnreadableRequest(414, "request line too long", "the request line is longer than the server reads");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new UnreadableRequest(431, "headers too large", "the headers are larger than the server reads");
    }
    if (cause instanceof HttpVersionCheck.UnsupportedVersion) {
      return new UnreadableRequest(400, "unsupported HTTP version", "the request's HTTP version is not one this "
        + "server speaks (HTTP/1.0, HTTP/1.1, HTTP/2)");
    }
    return new UnreadableRequest(400, "malformed HTTP request", "the request is not valid HTTP");
  }
}
