package dev.memgate.gateway.http;

import dev.memgate.edge.HttpVersionCheck;
import dev.memgate.access.AuthenticatorChain;
import dev.memgate.access.BootstrapKey;
import dev.memgate.access.RefusalAudit;
import dev.memgate.access.keys.StoredKeys;
import dev.memgate.access.oidc.OidcConfig;
import dev.memgate.access.oidc.TokenAuthenticator;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.edge.EdgeLimits;
import dev.memgate.edge.ListenerGuard;
import dev.memgate.edge.HostPolicy;
import dev.memgate.edge.OriginPolicy;
import dev.memgate.ratelimit.RateLimiter;
import dev.memgate.ratelimit.RateLimits;
import dev.memgate.edge.tls.ListenerTls;
import dev.memgate.edge.tls.TlsSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
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
 * (longer than an inferred add may take), {@code allowed_hosts} and {@code allowed_origins} (arrays, see
 * {@link EdgeChecks}), {@code edge} ({@link EdgeLimits}), {@code tls} ({@link TlsSettings}: HTTPS when a
 * certificate is given), {@code rate_limits} (see {@link RateLimits}), {@code public_config}, {@code version},
 * and {@code oauth} when an external authorization server's tokens are accepted.
 */
public final class HttpVerticle extends VerticleBase {
  public static final String CONTRACT = "openapi/memgate.yaml";
  private static final String SHARED_MAP = "memgate.http";
  static final int MAX_INITIAL_LINE_BYTES = 8_192;
  static final int MAX_HEADER_BYTES = 16_384;

  private ListenerGuard guard;
  private ListenerTls tls;
  private RequiredConfig config;
  private TokenAuthenticator tokens;
  private RateLimiter limiter;

  @Override
  public Future<?> start() {
    config = RequiredConfig.of("http verticle", config());
    int port = config.integer("port");
    String bind = config.text("bind");
    EdgeLimits edge = EdgeLimits.from(config.section("edge").withIntegers(EdgeLimits.KEYS));
    HostPolicy hosts = HostPolicy.of(config.texts("allowed_hosts"), bind);
    OriginPolicy origins = OriginPolicy.of(config.texts("allowed_origins"));
    limiter = RateLimiter.shared(vertx, RateLimits.from(config.section("rate_limits")));
    RequiredConfig tlsConfig = config.section("tls");
    TlsSettings tlsSettings = new TlsSettings(tlsConfig.text("cert_file"), tlsConfig.text("key_file"),
      TlsSettings.clientAuth(tlsConfig.text("client_auth")), tlsConfig.text("client_ca_file"),
      tlsConfig.longInteger("reload_interval_ms"));
    Future<ContractResource> resource = vertx.executeBlocking(() -> ContractResource.load(CONTRACT));
    Future<ListenerTls> listenerTls = ListenerTls.prepare(vertx, "rest", tlsSettings, edge.headerTimeoutMs())
      .onSuccess(prepared -> tls = prepared);
    return Future.all(resource, listenerTls).compose(both -> resolveInTurn(resource.result())).compose(contract -> {
      Router router = router(contract, resource.result().text());
      HttpServerOptions options = new HttpServerOptions()
        .setHost(bind)
        // A negative port asks Vert.x for one random port shared by every instance of this verticle.
        .setPort(port == 0 ? -1 : port)
        .setCompressionSupported(true)
        .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
        .setMaxHeaderSize(MAX_HEADER_BYTES);
      guard = new ListenerGuard(vertx, "rest", edge,
        (response, status, message) -> Problems.send(response, Problems.plain(status, message)));
      guard.alsoOnConnection(HttpVersionCheck::install);
      HttpServer server = tls.logHandshakeFailures(vertx.createHttpServer(tls.configure(
          ListenerGuard.configure(options))))
        .invalidRequestHandler(Problems::invalidRequest);
      return guard.attach(server, new EdgeChecks(hosts, origins, router))
        .listen();
    }).onSuccess(server -> {
      vertx.sharedData().getLocalMap(SHARED_MAP).put("port", server.actualPort());
      tls.watch(server);
    });
  }

  /**
   * The contract resolved for this instance, once the instances before it have resolved theirs: the first one's
   * resolution makes Vert.x unpack the JSON Schema files it reads from the jar (walking every entry of the jar for
   * each), and the others then find them unpacked instead of walking the jar at the same time.
   */
  private Future<OpenAPIContract> resolveInTurn(ContractResource resource) {
    Context here = vertx.getOrCreateContext();
    Promise<Void> resolved = Promise.promise();
    Object before = vertx.sharedData().getLocalMap(SHARED_MAP).put("contract-turn", new Turn(resolved.future()));
    Future<Void> previous = before instanceof Turn turn ? turn.done() : Future.succeededFuture();
    Promise<Void> myTurn = Promise.promise();
    previous.onComplete(done -> here.runOnContext(v -> myTurn.complete()));
    return myTurn.future().compose(v -> OpenAPIContract.from(vertx, resource.json().copy()))
      .andThen(done -> resolved.complete());
  }

  /** The last instance's contract resolution, which the next one waits for. */
  private record Turn(Future<Void> done) implements Shareable {
  }

  @Override
  public Future<?> stop() {
    if (guard != null) {
      guard.stop();
    }
    if (tokens != null) {
      tokens.close();
    }
    if (tls != null) {
      tls.stop();
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
    // Empty when no key is set: then the REST API asks for none (unless it accepts an issuer's tokens).
    String apiKey = config.text("api_key");
    // The same tokens as MCP; each instance keeps its own copy of the issuer's keys, on its own event loop.
    tokens = config.optionalSection("oauth").isPresent()
      ? TokenAuthenticator.start(vertx, OidcConfig.from(config().getJsonObject("oauth"))) : null;
    // Stored keys are created with the operator's key: without one there are none to look up.
    AuthenticatorChain authenticators = new AuthenticatorChain(apiKey.isEmpty() ? null : new BootstrapKey(apiKey),
      !apiKey.isEmpty() && config.flag("stored_keys") ? new StoredKeys(vertx) : null, tokens);
    // A platform handler runs before the body is read: an unauthenticated client cannot make us buffer a body.
    builder.rootHandler(new Authentication(authenticators, new RefusalAudit(vertx, "rest")));
    // Also before the body: a flood over its budget is refused without buffering its bodies.
    boolean llmConfigured = !"none".equals(config.object("public_config").getJsonObject("llm").getString("provider"));
    RateLimiting rateLimiting = new RateLimiting(limiter, contract, llmConfigured);
    builder.rootHandler(rateLimiting);
    // From here a failure may be the client's broken body: Problems answers it as such, without a trace.
    builder.rootHandler((PlatformHandler) rc -> {
      rc.put(Problems.READING_BODY, true);
      rc.next();
    });
    // Vert.x wants the body handler before any other; its limit turns an oversized body into a 413.
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(config.integer("max_body_bytes")));
    builder.rootHandler(rc -> {
      rc.put(Problems.BODY_READ, true);
      String requestId = rc.request().getHeader("X-Request-ID");
      rc.response().putHeader("X-Request-ID", requestId != null && requestId.length() <= 128 ? requestId
        : UUID.randomUUID().toString());
      rc.next();
    });
    builder.rootHandler(StrictUtf8::check);
    MemoryOperations operations = new MemoryOperations(new BusClient(vertx), config.object("public_config"),
      config.text("version"), contractText, config.longInteger("add_timeout_ms"));
    // An inferred add's inference is charged once its body is validated, before the add is forwarded.
    builder.getRoute("addMemories").addHandler(rateLimiting.inferences());
    operations.mount(builder);
    new AdminOperations(new BusClient(vertx), config.flag("stored_keys")).mount(builder);
    for (OpenAPIRoute route : builder.getRoutes()) {
      DecodedRequestExtractor.checkSupported(route.getOperation());
      if (route.getHandlers().isEmpty()) {
        // 5.0 would silently answer 503: a contract operation without a handler is a build error here.
        throw new IllegalStateException("no handler for operation " + route.getOperation().getOperationId());
      }
    }
    Router router = builder.createRouter();
    router.route().failureHandler(Problems::handle);
    // What the router refuses on its own (no route, another method, a path it cannot decode) is problem+json too,
    // and is not logged with a trace.
    for (int status : new int[] {400, 404, 405, 406, 413, 415}) {
      router.errorHandler(status, rc -> Problems.send(rc, Problems.plain(status, null)));
    }
    router.errorHandler(500, Problems::handle);
    return router;
  }
}
