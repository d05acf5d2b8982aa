package dev.memgate.memory.add;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LLM call 2 and what is made of it. The model sees the existing memories under small integer ids (0..n-1, never
 * their real ids) and the new facts by number, and answers one decision per fact. Its answer is then mapped back
 * and repaired so that a model's mistake can never lose information:
 * <ul>
 *   <li>an id it invented is ignored: an UPDATE of it becomes an ADD, a DELETE of it only adds the new fact;</li>
 *   <li>a DELETE (a contradiction) always adds the new fact as well (mem0 deletes the old fact and drops the new
 *   one);</li>
 *   <li>an ADD or UPDATE without text uses the fact's own text;</li>
 *   <li>a memory is changed by one decision only; a second UPDATE of it becomes an ADD;</li>
 *   <li>a fact the model left without any decision is added;</li>
 *   <li>an ADD of a text already stored, or twice in one answer, is dropped (the store de-duplicates too).</li>
 * </ul>
 */
final class DecisionPlan {
  static final String PURPOSE = "decide_changes";
  static final JsonObject SCHEMA = new JsonObject()
    .put("type", "object")
    .put("properties", new JsonObject().put("decisions", new JsonObject()
      .put("type", "array")
      .put("items", new JsonObject()
        .put("type", "object")
        .put("properties", new JsonObject()
          .put("fact", new JsonObject().put("type", "integer"))
          .put("event", new JsonObject().put("type", "string")
            .put("enum", new JsonArray().add("ADD").add("UPDATE").add("DELETE").add("NONE")))
          .put("id", new JsonObject().put("type", "string"))
          .put("text", new JsonObject().put("type", "string")))
        .put("required", new JsonArray().add("fact").add("event").add("id").add("text"))
        .put("additionalProperties", false))))
    .put("required", new JsonArray().add("decisions"))
    .put("additionalProperties", false);

  /** A memory already stored that the model may change; its position in the list is its id in the prompt. */
  record Existing(String id, String text) {
  }

  /** One change to apply: ADD (memoryId null), UPDATE or DELETE of a real memory id. */
  record Planned(String event, String memoryId, String text, String previousText) {
  }

  /** The changes, how many decisions had to be repaired, and how many facts were already known. */
  record Result(List<Planned> changes, int repairs, int known) {
  }

  private DecisionPlan() {
  }

  static JsonObject request(List<Existing> existing, List<String> facts, Prompts prompts) {
    JsonArray memories = new JsonArray();
    for (int i = 0; i < existing.size(); i++) {
      memories.add(new JsonObject().put("id", String.valueOf(i)).put("text", existing.get(i).text()));
    }
    JsonArray newFacts = new JsonArray();
    for (int i = 0; i < facts.size(); i++) {
      newFacts.add(new JsonObject().put("fact", i).put("text", facts.get(i)));
    }
    String content = "Existing memories:\n" + memories.encodePrettily()
      + "\n\nNew facts:\n" + newFacts.encodePrettily();
    return new JsonObject()
      .put(LlmBus.SYSTEM, prompts.update())
      .put(LlmBus.MESSAGES, new JsonArray().add(new JsonObject().put(LlmBus.ROLE, "user")
        .put(LlmBus.CONTENT, content)))
      .put(LlmBus.OUTPUT, new JsonObject().put(LlmBus.OUTPUT_NAME, "memory_decisions")
        .put(LlmBus.OUTPUT_DESCRIPTION, "One decision per new fact: ADD, UPDATE, DELETE or NONE")
        .put(LlmBus.OUTPUT_SCHEMA, SCHEMA))
      .put(LlmBus.PURPOSE, PURPOSE);
  }

  /** Without existing memories there is nothing to decide: every fact is added, and no LLM call is needed. */
  static Result allNew(List<String> facts) {
    return finish(facts.stream().map(f -> new Planned("ADD", null, f, null)).toList(), List.of(), 0, 0);
  }

  static Result plan(JsonObject reply, List<Existing> existing, List<String> facts, int maxChars) {
    JsonObject json = reply.getJsonObject(LlmBus.JSON, new JsonObject());
    Object raw = json.getValue("decisions", json.getValue("memory"));
    if (!(raw instanceof JsonArray items)) {
      throw BusFailure.unavailable("llm:" + reply.getString(LlmBus.PROVIDER),
        "the model's reply has no \"decisions\" list: " + FactExtraction.excerpt(json)).toException();
    }
    List<Planned> changes = new ArrayList<>();
    Set<String> touched = new HashSet<>();
    Set<Integer> handled = new HashSet<>();
    boolean numbered = false;
    int repairs = 0;
    int known = 0;
    for (Object rawItem : items) {
      if (!(rawItem instanceof JsonObject item)) {
        repairs++;
        continue;
      }
      Integer fact = factIndex(item.getValue("fact"), facts.size());
      numbered |= fact != null;
      String factText = fact == null ? null : facts.get(fact);
      String given = FactText.clean(item.getValue("text"), maxChars);
      String text = given != null ? given : factText;
      Existing target = existing(item.getValue("id"), existing);
      if (target != null && touched.contains(target.id())) {
        target = null;
        repairs++;
      }
      String event = item.getValue("event") instanceof String e ? e.strip().toUpperCase(Locale.ROOT) : "";
      switch (event) {
        case "ADD" -> {
          if (text != null) {
            changes.add(new Planned("ADD", null, text, null));
            handle(handled, fact);
          }
        }
        case "UPDATE" -> {
          if (text == null) {
            repairs++;
          } else if (target == null) {
            repairs++;
            changes.add(new Planned("ADD", null, text, null));
            handle(handled, fact);
          } else if (FactText.normalized(text).equals(FactText.normalized(target.text()))) {
            known++;
            handle(handled, fact);
          } else {
            touched.add(target.id());
            changes.add(new Planned("UPDATE", target.id(), text, target.text()));
            handle(handled, fact);
          }
        }
        case "DELETE" -> {
          if (target != null) {
            touched.add(target.id());
            changes.add(new Planned("DELETE", target.id(), null, target.text()));
          } else {
            repairs++;
          }
          // A contradiction replaces the old fact: the new one is kept whatever the model forgot to say.
          if (given == null) {
            repairs++;
          }
          if (text != null && (target == null
            || !FactText.normalized(text).equals(FactText.normalized(target.text())))) {
            changes.add(new Planned("ADD", null, text, null));
            handle(handled, fact);
          }
        }
        case "NONE" -> {
          if (target != null) {
            known++;
            handle(handled, fact);
          } else {
            repairs++;
          }
        }
        default -> repairs++;
      }
    }
    if (numbered) {
      for (int i = 0; i < facts.size(); i++) {
        if (!handled.contains(i)) {
          repairs++;
          changes.add(new Planned("ADD", null, facts.get(i), null));
        }
      }
    }
    return finish(changes, existing, repairs, known);
  }

  /** Drops ADDs of texts already stored or already planned. */
  private static Result finish(List<Planned> changes, List<Existing> existing, int repairs, int known) {
    Set<String> deleted = new HashSet<>();
    changes.stream().filter(c -> c.event().equals("DELETE")).forEach(c -> deleted.add(c.memoryId()));
    Map<String, Boolean> stored = new LinkedHashMap<>();
    existing.stream().filter(e -> !deleted.contains(e.id()))
      .forEach(e -> stored.put(FactText.normalized(e.text()), true));
    changes.stream().filter(c -> c.event().equals("UPDATE"))
      .forEach(c -> stored.put(FactText.normalized(c.text()), true));
    List<Planned> kept = new ArrayList<>();
    Set<String> added = new HashSet<>();
    int alreadyKnown = known;
    for (Planned change : changes) {
      if (change.event().equals("ADD")) {
        String key = FactText.normalized(change.text());
        if (stored.containsKey(key) || !added.add(key)) {
          alreadyKnown++;
          continue;
        }
      }
      kept.add(change);
    }
    return new Result(List.copyOf(kept), repairs, alreadyKnown);
  }

  private static void handle(Set<Integer> handled, Integer fact) {
    if (fact != null) {
      handled.add(fact);
    }
  }

  private static Integer factIndex(Object raw, int count) {
    Integer index = null;
    if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      index = n.intValue();
    } else if (raw instanceof String s && s.strip().matches("\\d{1,6}")) {
      index = Integer.parseInt(s.strip());
    }
    return index != null && index >= 0 && index < count ? index : null;
  }

  /** The existing memory behind a prompt id ("0".."n-1"); null for anything else, which the model made up. */
  private static Existing existing(Object raw, List<Existing> existing) {
    String id = raw == null ? "" : raw.toString().strip();
    if (!id.matches("\\d{1,6}")) {
      return null;
    }
    int index = Integer.parseInt(id);
    return index < existing.size() ? existing.get(index) : null;
  }
}
