package dev.memgate.memory.add;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Fields;
import dev.memgate.contract.LlmBus;
import dev.memgate.contract.Timestamps;
import dev.memgate.contract.VectorBus;
import dev.memgate.memory.TextHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * mem0's procedural memory ({@code memory_type:"procedural_memory"} with an agent_id): one plain LLM call that
 * summarises what the agent did, step by step, stored as ONE memory with {@code metadata.memory_type}. The
 * request's {@code prompt} replaces our summarising prompt.
 */
public final class ProceduralAdd implements AddPipeline {
  public static final String MEMORY_TYPE = "procedural_memory";
  static final String PURPOSE = "procedural_summary";

  private final BusClient bus;
  private final LlmCalls llm;
  private final InferenceConfig config;
  private final int maxTextChars;
  private final AddStats stats;

  public ProceduralAdd(BusClient bus, InferenceConfig config, int maxTextChars, AddStats stats) {
    this.bus = bus;
    this.llm = new LlmCalls(bus, config.llmTimeoutMs());
    this.config = config;
    this.maxTextChars = maxTextChars;
    this.stats = stats;
  }

  @Override
  public Future<JsonObject> add(AddRequest request) {
    Usage usage = new Usage();
    JsonObject chat = new JsonObject()
      .put(LlmBus.SYSTEM, config.prompts().procedural(request.prompt(), Prompts.today()))
      .put(LlmBus.MESSAGES, new JsonArray().add(new JsonObject().put(LlmBus.ROLE, "user").put(LlmBus.CONTENT,
        "Conversation:\n" + FactExtraction.transcript(request.conversation())
          + "\nWrite the procedural memory of this conversation.")))
      .put(LlmBus.PURPOSE, PURPOSE);
    return llm.chat(chat, usage).compose(reply -> {
      String summary = FactText.clean(reply.getString(LlmBus.CONTENT), maxTextChars);
      if (summary == null) {
        return Future.failedFuture(BusFailure.unavailable("llm:" + reply.getString(LlmBus.PROVIDER),
          "the model returned an empty summary").toException());
      }
      JsonObject embed = new JsonObject().put(EmbeddingBus.TEXTS, new JsonArray().add(summary))
        .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_DOCUMENT);
      return bus.request(EmbeddingBus.EMBED, embed, EmbeddingBus.TIMEOUT_MS).compose(embedded -> {
        String now = request.createdAt() != null ? request.createdAt() : Timestamps.now();
        JsonObject metadata = request.metadata() == null ? new JsonObject() : request.metadata().copy();
        metadata.put("memory_type", MEMORY_TYPE);
        JsonObject record = new JsonObject()
          .put(Fields.ID, UUID.randomUUID().toString())
          .put(Fields.MEMORY, summary)
          .put(Fields.HASH, TextHash.md5(summary))
          .put(Fields.METADATA, metadata)
          .put(Fields.CREATED_AT, now)
          .put(Fields.UPDATED_AT, now)
          .put(VectorBus.VECTOR, embedded.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0))
          .mergeIn(request.scope().toJson());
        return bus.request(VectorBus.APPLY, new JsonObject().put(VectorBus.SCOPE, request.scope().toJson())
          .put(VectorBus.CHANGES, new JsonArray().add(new JsonObject().put(Fields.EVENT, "ADD")
            .put(VectorBus.RECORD, record))), VectorBus.TIMEOUT_MS);
      }).map(applied -> {
        JsonObject outcome = applied.getJsonArray(Fields.RESULTS).getJsonObject(0);
        JsonObject memory = outcome.getJsonObject(Fields.MEMORY);
        stats.event(outcome.getString(Fields.EVENT));
        stats.succeeded(usage, 1, 0);
        return InferredAdd.reply(new JsonArray().add(new JsonObject()
          .put(Fields.ID, memory.getString(Fields.ID))
          .put(Fields.MEMORY, memory.getString(Fields.MEMORY))
          .put(Fields.EVENT, outcome.getString(Fields.EVENT))), usage, null);
      });
    }).onFailure(err -> stats.failed(usage));
  }
}
