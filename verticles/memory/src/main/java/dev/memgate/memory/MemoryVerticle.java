package dev.memgate.memory;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusServer;
import dev.memgate.contract.MemoryBus;
import dev.memgate.memory.add.AddPipeline;
import dev.memgate.memory.add.AddStats;
import dev.memgate.memory.add.InferenceConfig;
import dev.memgate.memory.add.InferredAdd;
import dev.memgate.memory.add.ProceduralAdd;
import dev.memgate.memory.add.VerbatimAdd;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Serves {@link MemoryBus}. It holds no state of its own: every memory lives in the vector service, so several
 * instances (and, later, several nodes) can serve the same addresses.
 *
 * <p>Configuration: {@code limits} (see {@link Limits}), {@code default_search_mode}, and {@code inference} (see
 * {@link InferenceConfig}) when an LLM is configured: then {@code infer:true} adds go through {@link InferredAdd}
 * and procedural memory through {@link ProceduralAdd}; {@code graph} (see {@link GraphLink}) when graph memory is
 * on.
 */
public final class MemoryVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    BusClient bus = new BusClient(vertx);
    RequestRules rules = new RequestRules(Limits.from(config().getJsonObject("limits", new JsonObject())));
    JsonObject inferenceConfig = config().getJsonObject("inference");
    AddStats stats = new AddStats();
    GraphLink graph = new GraphLink(bus, config().getJsonObject("graph"));
    AddPipeline inferred = null;
    AddPipeline procedural = null;
    String provider = null;
    if (inferenceConfig != null) {
      InferenceConfig inference = InferenceConfig.from(inferenceConfig);
      int maxTextChars = rules.limits().maxTextChars();
      inferred = new InferredAdd(vertx, bus, inference, maxTextChars, stats, graph);
      procedural = new ProceduralAdd(bus, inference, maxTextChars, stats);
      provider = inference.provider();
    }
    MemoryService service = new MemoryService(bus, rules, new VerbatimAdd(bus), inferred, procedural, stats,
      provider, config().getString("default_search_mode", "vector"), graph);
    return Future.all(List.of(
      BusServer.serve(vertx, MemoryBus.ADD, service::add).completion(),
      BusServer.serve(vertx, MemoryBus.SEARCH, service::search).completion(),
      BusServer.serve(vertx, MemoryBus.GET, service::get).completion(),
      BusServer.serve(vertx, MemoryBus.LIST, service::list).completion(),
      BusServer.serve(vertx, MemoryBus.UPDATE, service::update).completion(),
      BusServer.serve(vertx, MemoryBus.DELETE, service::delete).completion(),
      BusServer.serve(vertx, MemoryBus.DELETE_ALL, service::deleteAll).completion(),
      BusServer.serve(vertx, MemoryBus.HISTORY, service::history).completion(),
      BusServer.serve(vertx, MemoryBus.RESET, service::reset).completion(),
      BusServer.serve(vertx, MemoryBus.GRAPH, service::graph).completion(),
      BusServer.serve(vertx, MemoryBus.HEALTH, body -> Future.succeededFuture(service.health())).completion()));
  }
}
