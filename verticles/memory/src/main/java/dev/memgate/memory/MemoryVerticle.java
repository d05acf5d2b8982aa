package dev.memgate.memory;

import dev.memgate.access.Permission;
import dev.memgate.contract.BusClient;
import dev.memgate.memory.access.ErasureAudit;
import dev.memgate.contract.BusServer;
import dev.memgate.contract.MemoryBus;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.memory.add.AddPipeline;
import dev.memgate.memory.add.AddStats;
import dev.memgate.memory.add.InferenceConfig;
import dev.memgate.memory.add.InferredAdd;
import dev.memgate.memory.add.ProceduralAdd;
import dev.memgate.memory.add.VerbatimAdd;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.List;
import java.util.Optional;

import static dev.memgate.memory.access.CallerGuard.acrossApps;
import static dev.memgate.memory.access.CallerGuard.adding;
import static dev.memgate.memory.access.CallerGuard.byId;
import static dev.memgate.memory.access.CallerGuard.readById;
import static dev.memgate.memory.access.CallerGuard.scoped;
import static dev.memgate.memory.access.CallerGuard.serviceWide;

/**
 * Serves {@link MemoryBus}. It holds no state of its own: every memory lives in the vector service, so several
 * instances (and, later, several nodes) can serve the same addresses.
 *
 * <p>Configuration, complete from the composition root: {@code limits} (see {@link Limits}),
 * {@code default_search_mode}, {@code graph} (see {@link GraphLink}), and {@code inference}
 * (see {@link InferenceConfig}) only when an LLM is configured: then {@code infer:true} adds go through
 * {@link InferredAdd} and procedural memory through {@link ProceduralAdd}.
 */
public final class MemoryVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    RequiredConfig config = RequiredConfig.of("memory verticle", config());
    BusClient bus = new BusClient(vertx);
    RequestRules rules = new RequestRules(Limits.from(config.section("limits")));
    String defaultSearchMode = config.text("default_search_mode");
    // Absent when no LLM is configured: adds are then stored verbatim.
    Optional<InferenceConfig> inferenceConfig = config.optionalSection("inference").map(InferenceConfig::from);
    AddStats stats = new AddStats();
    GraphLink graph = new GraphLink(bus, config.section("graph"));
    AddPipeline inferred = null;
    AddPipeline procedural = null;
    String provider = null;
    if (inferenceConfig.isPresent()) {
      InferenceConfig inference = inferenceConfig.get();
      int maxTextChars = rules.limits().maxTextChars();
      inferred = new InferredAdd(vertx, bus, inference, maxTextChars, stats, graph);
      procedural = new ProceduralAdd(bus, inference, maxTextChars, stats);
      provider = inference.provider();
    }
    MemoryService service = new MemoryService(bus, rules, new VerbatimAdd(bus), inferred, procedural, stats,
      provider, defaultSearchMode, graph);
    ErasureAudit erasures = new ErasureAudit(bus);
    // Every operation keeps its caller to the caller's scope, permissions and app (CallerGuard).
    return Future.all(List.of(
      BusServer.serve(vertx, MemoryBus.ADD, adding(service::add)).completion(),
      BusServer.serve(vertx, MemoryBus.SEARCH, scoped(Permission.READ, service::search)).completion(),
      BusServer.serve(vertx, MemoryBus.GET, readById(service::get)).completion(),
      BusServer.serve(vertx, MemoryBus.LIST, scoped(Permission.READ, service::list)).completion(),
      BusServer.serve(vertx, MemoryBus.UPDATE, byId(Permission.WRITE, service::get, service::update)).completion(),
      BusServer.serve(vertx, MemoryBus.DELETE, erasures.audited("memory.delete",
        byId(Permission.DELETE, service::get, service::delete))).completion(),
      BusServer.serve(vertx, MemoryBus.DELETE_ALL, erasures.audited("memory.delete_all",
        acrossApps(Permission.DELETE, service::deleteAll))).completion(),
      BusServer.serve(vertx, MemoryBus.HISTORY, byId(Permission.READ, service::get, service::history)).completion(),
      BusServer.serve(vertx, MemoryBus.RESET, erasures.audited("memory.reset",
        serviceWide(Permission.ADMIN, service::reset))).completion(),
      BusServer.serve(vertx, MemoryBus.GRAPH, acrossApps(Permission.READ, service::graph)).completion(),
      BusServer.serve(vertx, MemoryBus.HEALTH, body -> Future.succeededFuture(service.health())).completion()));
  }
}
