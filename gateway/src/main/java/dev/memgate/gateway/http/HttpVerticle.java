package dev.memgate.gateway.http;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.MemoryBus;
import dev.memgate.edge.EdgeLimits;
import dev.memgate.edge.ListenerGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;

import java.util.UUID;

/**
 * The REST API, built from the OpenAPI contract: the contract validates every request, each operation forwards
 * to the memory service over the bus, and every failure leaves as problem+json. Stateless, so it runs as several
 * instances sharing one port.
 *
 * <p>Configuration: {@code bind}, {@code port} (0 = any free port), {@code max_body_bytes}, {@code add_timeout_ms}
 * (longer than an inferred add may take), {@code public_config}, {@code version}.
 */
public final class HttpVerticle extends VerticleBase {
  public static final String CONTRACT = "openapi/memgate.yaml";
  private static final String SHARED_MAP = "memgate.http";

  private ListenerGuard guard;

  @Override
  public Future<?> start() {
    Future<Buffer> contractText = vertx.fileSystem().readFile(CONTRACT);
    return Future.all(OpenAPIContract.from(vertx, CONTRACT), contractText).compose(loaded -> {
      OpenAPIContract contract = loaded.resultAt(0);
      Router router = router(contract, loaded.resultAt(1));
      int port = config().getInteger("port", 8080);
      HttpServerOptions options = new HttpServerOptions()
        .setHost(config().getString("bind", "127.0.0.1"))
        // A negative port asks Vert.x for one random port shared by every instance of this verticle.
        .setPort(port == 0 ? -1 : port)
        .setCompressionSupported(true)
        .setMaxInitialLineLength(8_192)
        .setMaxHeaderSize(16_384);
      guard = new ListenerGuard(vertx, "rest", EdgeLimits.from(config().getJsonObject("edge")),
        (response, status, message) -> Problems.send(response, Problems.plain(status, message)));
      return guard.attach(vertx.createHttpServer(ListenerGuard.configure(options)), router).listen();
    }).onSuccess(server -> vertx.sharedData().getLocalMap(SHARED_MAP).put("port", server.actualPort()));
  }

  @Override
  public Future<?> stop() {
    if (guard != null) {
      guard.stop();
    }
    return Future.succeededFuture();
  }

  /** The port the REST API listens on, once deployed (useful when configured as 0). */
  public static int actualPort(Vertx vertx) {
    Object port = vertx.sharedData().getLocalMap(SHARED_MAP).get("port");
    return port == null ? -1 : (Integer) port;
  }

  private Router router(OpenAPIContract contract, Buffer contractText) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, new DecodedRequestExtractor());
    String apiKey = config().getString("api_key", "");
    if (!apiKey.isEmpty()) {
      // A platform handler runs before the body is read: an unauthenticated client cannot make us buffer a body.
      builder.rootHandler(new ApiKeyCheck(apiKey));
    }
    // Vert.x wants the body handler before any other; its limit turns an oversized body into a 413.
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(config().getInteger("max_body_bytes", 1 << 20)));
    builder.rootHandler(rc -> {
      String requestId = rc.request().getHeader("X-Request-ID");
      rc.response().putHeader("X-Request-ID", requestId != null && requestId.length() <= 128 ? requestId
        : UUID.randomUUID().toString());
      rc.next();
    });
    builder.rootHandler(StrictUtf8::check);
    MemoryOperations operations = new MemoryOperations(new BusClient(vertx), config().getJsonObject("public_config",
      new JsonObject()), config().getString("version", "dev"), contractText,
      config().getLong("add_timeout_ms", MemoryBus.TIMEOUT_MS));
    operations.mount(builder);
    for (OpenAPIRoute route : builder.getRoutes()) {
      DecodedRequestExtractor.checkSupported(route.getOperation());
      if (route.getHandlers().isEmpty()) {
        // 5.0 would silently answer 503: a contract operation without a handler is a build error here.
        throw new IllegalStateException("no handler for operation " + route.getOperation().getOperationId());
      }
    }
    Router router = builder.createRouter();
    router.route().failureHandler(Problems::handle);
    router.errorHandler(404, rc -> Problems.send(rc, Problems.plain(404, null)));
    router.errorHandler(405, rc -> Problems.send(rc, Problems.plain(405, null)));
    router.errorHandler(413, rc -> Problems.send(rc, Problems.plain(413, null)));
    router.errorHandler(500, Problems::handle);
    return router;
  }
}
