package dev.memgate.memory.add;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Fields;
import dev.memgate.contract.SearchableText;
import dev.memgate.contract.Timestamps;
import dev.memgate.contract.VectorBus;
import dev.memgate.memory.ChatMessage;
import dev.memgate.memory.TextHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * mem0's {@code infer:false}: each non-system message becomes one memory, word for word, with its role and
 * speaker (actor_id). All texts are embedded in one call (as {@link SearchableText#forEmbedding}) and written in one
 * durable batch.
 */
public final class VerbatimAdd implements AddPipeline {
  private final BusClient bus;

  public VerbatimAdd(BusClient bus) {
    this.bus = bus;
  }

  @Override
  public Future<JsonObject> add(AddRequest request) {
    List<ChatMessage> conversation = request.conversation();
    String now = request.createdAt() != null ? request.createdAt() : Timestamps.now();
    JsonArray texts = new JsonArray();
    conversation.forEach(m -> texts.add(SearchableText.forEmbedding(m.content(), m.name())));
    JsonObject embed = new JsonObject().put(EmbeddingBus.TEXTS, texts)
      .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_DOCUMENT);
    return bus.request(EmbeddingBus.EMBED, embed, EmbeddingBus.TIMEOUT_MS).compose(embedded -> {
      JsonArray vectors = embedded.getJsonArray(EmbeddingBus.VECTORS);
      JsonArray records = new JsonArray();
      for (int i = 0; i < conversation.size(); i++) {
        ChatMessage message = conversation.get(i);
        JsonObject record = new JsonObject()
          .put(Fields.ID, UUID.randomUUID().toString())
          .put(Fields.MEMORY, message.content())
          .put(Fields.HASH, TextHash.md5(message.content()))
          .put(Fields.METADATA, request.metadata() == null ? new JsonObject() : request.metadata().copy())
          .put(Fields.CREATED_AT, now)
          .put(Fields.UPDATED_AT, now)
          .put(Fields.ROLE, message.role())
          .put(VectorBus.VECTOR, vectors.getJsonArray(i))
          .mergeIn(request.scope().toJson());
        if (message.name() != null) {
          record.put(Fields.ACTOR_ID, message.name());
        }
        records.add(record);
      }
      return bus.request(VectorBus.INSERT, new JsonObject().put(VectorBus.RECORDS, records), VectorBus.TIMEOUT_MS);
    }).map(stored -> {
      JsonArray results = new JsonArray();
      stored.getJsonArray(Fields.RESULTS).forEach(item -> results.add(addResult((JsonObject) item)));
      return new JsonObject().put(Fields.RESULTS, results);
    });
  }

  /** mem0's add item: {id, memory, event, actor_id?, role?}. */
  private static JsonObject addResult(JsonObject item) {
    JsonObject result = new JsonObject()
      .put(Fields.ID, item.getString(Fields.ID))
      .put(Fields.MEMORY, item.getString(Fields.MEMORY))
      .put(Fields.EVENT, item.getString(Fields.EVENT));
    if (item.containsKey(Fields.ACTOR_ID)) {
      result.put(Fields.ACTOR_ID, item.getString(Fields.ACTOR_ID));
    }
    if (item.containsKey(Fields.ROLE)) {
      result.put(Fields.ROLE, item.getString(Fields.ROLE));
    }
    return result;
  }
}
