package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static dev.memgate.gateway.testing.Api.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The life of a memory through the REST API, whatever the vector store: adding (verbatim, without an LLM), listing,
 * reading, updating, deleting one, and erasing a whole scope with its history.
 */
public abstract class MemoryApiBehaviour extends BehaviourSuite {

  // ---- POST /memories -------------------------------------------------------------------------------------------

  @Test
  void storesEachMessageVerbatimAndFindsItByMeaning() {
    String alice = newUser();
    Reply added = add(new JsonObject()
      .put("messages", new JsonArray()
        .add(message("user", "I moved to Lisbon in May").put("name", "alice"))
        .add(message("assistant", "How do you like the city?"))
        .add(message("system", "You are a helpful assistant")))
      .put("user_id", alice)
      .put("metadata", new JsonObject().put("source", "chat"))
      .put("infer", false));

    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    JsonArray results = added.json().getJsonArray("results");
    assertThat(texts(results)).containsExactly("I moved to Lisbon in May", "How do you like the city?");
    assertThat(results.getJsonObject(0).getString("event")).isEqualTo("ADD");
    assertThat(results.getJsonObject(0).getString("actor_id")).isEqualTo("alice");
    assertThat(results.getJsonObject(0).getString("role")).isEqualTo("user");
    assertThat(results.getJsonObject(1).getString("event")).isEqualTo("ADD");
    assertThat(results.getJsonObject(1).containsKey("actor_id")).isFalse();
    assertThat(results.getJsonObject(1).getString("role")).isEqualTo("assistant");
    assertThat(added.json().getBoolean("inferred")).isFalse();
    assertThat(added.json().containsKey("reason")).isFalse();

    JsonArray found = found(alice, "Which city does she live in? Lisbon");
    assertThat(found).hasSize(2);
    JsonObject best = found.getJsonObject(0);
    assertThat(best.getString("memory")).isEqualTo("I moved to Lisbon in May");
    assertThat(best.getString("user_id")).isEqualTo(alice);
    assertThat(best.getString("actor_id")).isEqualTo("alice");
    assertThat(best.getJsonObject("metadata")).isEqualTo(new JsonObject().put("source", "chat"));
    assertThat(best.getString("hash")).isEqualTo("7f03c436749e6711768ad3e76f18bf81");
    assertThat(best.getDouble("score")).isBetween(0.0, 1.0);
    assertThat(best.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(best.getString("updated_at")).isEqualTo(best.getString("created_at"));
    assertThat(texts(listUser(alice))).containsExactlyInAnyOrder("I moved to Lisbon in May",
      "How do you like the city?");
  }

  @Test
  void aPlainStringIsOneUserMessage() {
    String bob = newUser();
    JsonArray results = added(verbatim(user(bob), "I prefer window seats on long flights"));

    assertThat(results).hasSize(1);
    assertThat(results.getJsonObject(0).getString("event")).isEqualTo("ADD");
    assertThat(results.getJsonObject(0).getString("role")).isEqualTo("user");
    JsonObject stored = get(results.getJsonObject(0).getString("id"));
    assertThat(stored.getString("memory")).isEqualTo("I prefer window seats on long flights");
    assertThat(stored.getString("role")).isEqualTo("user");
    assertThat(stored.getString("user_id")).isEqualTo(bob);
    assertThat(stored.containsKey("actor_id")).isFalse();
  }

  @Test
  void aSingleMessageObjectIsOneMessage() {
    String carol = newUser();
    JsonArray results = added(verbatim(user(carol), message("assistant", "Your table is booked for eight")
      .put("name", "concierge")));

    assertThat(results).hasSize(1);
    JsonObject stored = get(results.getJsonObject(0).getString("id"));
    assertThat(stored.getString("memory")).isEqualTo("Your table is booked for eight");
    assertThat(stored.getString("role")).isEqualTo("assistant");
    assertThat(stored.getString("actor_id")).isEqualTo("concierge");
  }

  @Test
  void everyRoleButSystemIsRememberedWithItsRoleAndSpeaker() {
    String dave = newUser();
    JsonArray results = added(verbatim(user(dave), new JsonArray()
      .add(message("system", "Be brief"))
      .add(message("user", "Book me a flight to Oslo").put("name", "dave"))
      .add(message("assistant", "Which day would you like to fly?").put("name", "travel-bot"))
      .add(message("tool", "Flights to Oslo: SK4410 at 09:15"))
      .add(new JsonObject().put("content", "I prefer mornings"))));

    assertThat(texts(results)).containsExactly("Book me a flight to Oslo", "Which day would you like to fly?",
      "Flights to Oslo: SK4410 at 09:15", "I prefer mornings");
    List<String> roles = new ArrayList<>();
    List<String> actors = new ArrayList<>();
    for (String id : ids(results)) {
      JsonObject stored = get(id);
      roles.add(stored.getString("role"));
      actors.add(stored.getString("actor_id"));
    }
    assertThat(roles).containsExactly("user", "assistant", "tool", "user");
    assertThat(actors).containsExactly("dave", "travel-bot", null, null);
    assertThat(listUser(dave)).hasSize(4);
  }

  @Test
  void theSameTextTwiceInTheSameScopeIsKeptOnce() {
    String erin = newUser();
    String first = remember(erin, "I am allergic to peanuts");

    JsonArray again = added(verbatim(user(erin), "I am allergic to peanuts"));

    assertThat(again).hasSize(1);
    assertThat(again.getJsonObject(0).getString("event")).isEqualTo("NONE");
    assertThat(again.getJsonObject(0).getString("id")).isEqualTo(first);
    assertThat(again.getJsonObject(0).getString("memory")).isEqualTo("I am allergic to peanuts");
    assertThat(ids(listUser(erin))).containsExactly(first);
    assertThat(history(first)).hasSize(1);
  }

  @Test
  void theSameTextTwiceInOneRequestIsKeptOnce() {
    String frank = newUser();
    JsonArray results = added(verbatim(user(frank), conversation("I drive a blue car", "I drive a blue car")));

    assertThat(results).hasSize(2);
    assertThat(results.getJsonObject(0).getString("event")).isEqualTo("ADD");
    assertThat(results.getJsonObject(1).getString("event")).isEqualTo("NONE");
    assertThat(results.getJsonObject(1).getString("id")).isEqualTo(results.getJsonObject(0).getString("id"));
    assertThat(listUser(frank)).hasSize(1);
  }

  @Test
  void theSameTextInAnotherScopeIsAnotherMemory() {
    String grace = newUser();
    String heidi = newUser();
    String agent = newId("agent");
    String run = newId("run");
    String text = "My birthday is on the fourth of July";

    String graceOnly = remember(user(grace), text, null);
    String graceWithAgent = remember(user(grace).put("agent_id", agent), text, null);
    String graceInRun = remember(user(grace).put("run_id", run), text, null);
    String graceWithAgentInRun = remember(user(grace).put("agent_id", agent).put("run_id", run), text, null);
    String heidiOnly = remember(user(heidi), text, null);

    assertThat(List.of(graceOnly, graceWithAgent, graceInRun, graceWithAgentInRun, heidiOnly)).doesNotHaveDuplicates();
    assertThat(ids(listUser(grace))).containsExactlyInAnyOrder(graceOnly, graceWithAgent, graceInRun,
      graceWithAgentInRun);
    // the exact triple decides what is a repeat
    JsonArray again = added(verbatim(user(grace).put("agent_id", agent), text));
    assertThat(again.getJsonObject(0).getString("event")).isEqualTo("NONE");
    assertThat(again.getJsonObject(0).getString("id")).isEqualTo(graceWithAgent);
  }

  @Test
  void aScopeMayBeAnAgentOrARunAlone() {
    String agent = newId("agent");
    String run = newId("run");
    String agentMemory = remember(new JsonObject().put("agent_id", agent), "The support bot answers in French", null);
    String runMemory = remember(new JsonObject().put("run_id", run), "This session is about tax returns", null);

    JsonObject byAgent = get(agentMemory);
    assertThat(byAgent.getString("agent_id")).isEqualTo(agent);
    assertThat(byAgent.containsKey("user_id")).isFalse();
    assertThat(byAgent.containsKey("run_id")).isFalse();
    assertThat(ids(list("agent_id=" + q(agent)))).containsExactly(agentMemory);
    assertThat(ids(found(new JsonObject().put("agent_id", agent).put("query", "language of answers"))))
      .containsExactly(agentMemory);

    JsonObject byRun = get(runMemory);
    assertThat(byRun.getString("run_id")).isEqualTo(run);
    assertThat(byRun.containsKey("user_id")).isFalse();
    assertThat(ids(list("run_id=" + q(run)))).containsExactly(runMemory);
    assertThat(ids(found(new JsonObject().put("run_id", run).put("query", "taxes")))).containsExactly(runMemory);
  }

  @Test
  void withoutAnLlmAnAddIsStoredVerbatimAndSaysWhy() {
    String ivan = newUser();
    Reply reply = add(user(ivan).put("messages", conversation("I am learning to play chess")));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().getBoolean("inferred")).isFalse();
    assertThat(reply.json().getString("reason")).isNotBlank();
    assertThat(texts(reply.json().getJsonArray("results"))).containsExactly("I am learning to play chess");
    assertThat(texts(listUser(ivan))).containsExactly("I am learning to play chess");
  }

  @Test
  void openAiStyleTextPartsAreJoinedIntoOneMemory() {
    String judy = newUser();
    JsonArray parts = new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "My flight lands at 6pm."))
      .add(new JsonObject().put("type", "text").put("text", "Please book a taxi."));
    JsonArray results = added(verbatim(user(judy), new JsonArray().add(new JsonObject().put("role", "user")
      .put("content", parts))));

    assertThat(texts(results)).containsExactly("My flight lands at 6pm.\nPlease book a taxi.");
    assertThat(texts(listUser(judy))).containsExactly("My flight lands at 6pm.\nPlease book a taxi.");
  }

  @Test
  void metadataIsKeptExactlyAsGiven() {
    String ken = newUser();
    JsonObject metadata = new JsonObject()
      .put("source", "mobile app")
      .put("priority", 3)
      .put("confidence", 0.875)
      .put("big", new BigInteger("123456789012345678901234567890"))
      .put("verified", true)
      .put("tags", new JsonArray().add("travel").add(42).add(false))
      .put("place", new JsonObject().put("city", "São Paulo").put("geo", new JsonArray().add(-23.55).add(-46.63)))
      .put("note", "emoji 🚀 and 日本語");
    String id = remember(user(ken), "I am flying to Brazil next week", metadata);

    assertThat(get(id).getJsonObject("metadata")).isEqualTo(metadata);
    assertThat(listUser(ken).getJsonObject(0).getJsonObject("metadata")).isEqualTo(metadata);
  }

  @Test
  void textInAnyScriptIsKeptExactlyAndHashedAsUtf8() {
    String lena = newUser();
    String text = "Olá! Moro em São Paulo 🇧🇷 e falo 日本語 — ça va?";
    String id = remember(lena, text);

    JsonObject stored = get(id);
    assertThat(stored.getString("memory")).isEqualTo(text);
    assertThat(stored.getString("hash")).isEqualTo(md5(text));
  }

  @Test
  void onlySystemMessagesAreRefusedAsNothingToRemember() {
    String mia = newUser();
    remember(mia, "I like jazz");
    String before = snapshot(mia);

    Reply reply = add(verbatim(user(mia), new JsonArray().add(message("system", "You are terse"))
      .add(message("system", "Answer in English"))));

    assertProblem(reply, 422, "messages");
    assertThat(snapshot(mia)).isEqualTo(before);
  }

  @Test
  void emptyMessagesAreRefusedNamingTheMessage() {
    String ned = newUser();
    remember(ned, "I like blues");
    String before = snapshot(ned);

    assertProblem(add(verbatim(user(ned), new JsonArray())), 400, "messages");
    assertProblem(add(verbatim(user(ned), "")), 400, "messages");
    assertProblem(add(verbatim(user(ned), "   ")), 400, "messages");
    assertProblem(add(verbatim(user(ned), conversation(""))), 400, "messages[0].content");
    assertProblem(add(verbatim(user(ned), conversation("fine", " \n\t "))), 400, "messages[1].content");
    assertProblem(add(verbatim(user(ned), new JsonArray().add(new JsonObject().put("role", "user")))), 400,
      "messages[0].content");
    assertThat(snapshot(ned)).isEqualTo(before);
  }

  @Test
  void anAddWithoutScopeIsRefusedNamingUserId() {
    assertProblem(add(new JsonObject().put("messages", "I have no owner").put("infer", false)), 400, "user_id");
    assertProblem(add(new JsonObject().put("messages", "Blank owner").put("user_id", " ")), 400, "user_id");
  }

  @ParameterizedTest(name = "infer = {0}")
  @ValueSource(strings = {"'yes'", "1", "'false'", "[]"})
  void inferMustBeABoolean(String value) {
    String olga = newUser();
    remember(olga, "I collect vinyl records");
    String before = snapshot(olga);

    Reply reply = add(json("{'messages': 'I collect tapes', 'user_id': '" + olga + "', 'infer': " + value + "}"));

    assertProblem(reply, 400, "infer");
    assertThat(snapshot(olga)).isEqualTo(before);
  }

  @ParameterizedTest(name = "metadata.{0}")
  @ValueSource(strings = {"id", "memory", "hash", "metadata", "score", "created_at", "updated_at", "user_id",
    "agent_id", "run_id", "actor_id", "role"})
  void metadataMayNotUseTheNameOfAMemoryField(String key) {
    String pat = newUser();
    remember(pat, "I speak three languages");
    String before = snapshot(pat);

    Reply reply = add(verbatim(user(pat), "I speak four languages")
      .put("metadata", new JsonObject().put("source", "chat").put(key, "spoofed")));

    assertProblem(reply, 400, "metadata." + key);
    assertThat(snapshot(pat)).isEqualTo(before);
  }

  @Test
  void aContentPartThatIsNotTextIsUnprocessable() {
    String quinn = newUser();
    remember(quinn, "I paint landscapes");
    String before = snapshot(quinn);
    JsonArray parts = new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "Look at this picture"))
      .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "http://x/y.png")));

    Reply reply = add(verbatim(user(quinn), new JsonArray().add(message("user", "fine"))
      .add(new JsonObject().put("role", "user").put("content", parts))));

    assertProblem(reply, 422, "messages[1].content[1]");
    assertThat(snapshot(quinn)).isEqualTo(before);
  }

  // ---- GET /memories and /memories/{id} -------------------------------------------------------------------------

  @Test
  void aListIsNewestFirstWithinItsLimitAndScope() {
    String rosa = newUser();
    String other = newUser();
    List<String> order = List.of("First I lived in Rome", "Then I moved to Berlin", "Then I moved to Oslo",
      "Then I moved to Porto", "Now I live in Tokyo");
    List<String> ids = new ArrayList<>();
    for (String text : order) {
      ids.add(remember(rosa, text));
    }
    remember(other, "I live in Paris");

    assertThat(texts(list("user_id=" + q(rosa)))).containsExactlyElementsOf(order.reversed());
    assertThat(ids(list("user_id=" + q(rosa)))).containsExactlyElementsOf(ids.reversed());
    assertThat(texts(list("user_id=" + q(rosa) + "&limit=3"))).containsExactly("Now I live in Tokyo",
      "Then I moved to Porto", "Then I moved to Oslo");
    assertThat(texts(list("user_id=" + q(rosa) + "&top_k=2"))).containsExactly("Now I live in Tokyo",
      "Then I moved to Porto");
    JsonArray all = list("user_id=" + q(rosa));
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.getJsonObject(i).getString("created_at"))
        .isLessThanOrEqualTo(all.getJsonObject(i - 1).getString("created_at"));
    }
  }

  @Test
  void aListMatchesEveryIdGivenAndAnyValueOfTheOthers() {
    String sam = newUser();
    String tess = newUser();
    String agent = newId("agent");
    String samAlone = remember(user(sam), "I sleep eight hours", null);
    String samWithAgent = remember(user(sam).put("agent_id", agent), "I want to sleep better", null);
    String tessWithAgent = remember(user(tess).put("agent_id", agent), "I wake up at six", null);

    assertThat(ids(listUser(sam))).containsExactlyInAnyOrder(samAlone, samWithAgent);
    assertThat(ids(list("user_id=" + q(sam) + "&agent_id=" + q(agent)))).containsExactly(samWithAgent);
    assertThat(ids(list("agent_id=" + q(agent)))).containsExactlyInAnyOrder(samWithAgent, tessWithAgent);
    assertThat(list("user_id=" + q(sam) + "&run_id=" + q(newId("run")))).isEmpty();
    assertThat(list("user_id=" + q(newUser()))).isEmpty();
  }

  @Test
  void aListWithoutScopeIsRefusedNamingUserId() {
    assertProblem(api.get("/memories"), 400, "user_id");
    assertProblem(api.get("/memories?limit=5"), 400, "user_id");
  }

  @Test
  void aMemoryCanBeReadByItsId() {
    String uma = newUser();
    String id = remember(user(uma).put("agent_id", "planner"), "I run every Tuesday",
      new JsonObject().put("sport", "running"));

    JsonObject item = get(id);

    assertThat(item.getString("id")).isEqualTo(id);
    assertThat(item.getString("memory")).isEqualTo("I run every Tuesday");
    assertThat(item.getString("hash")).isEqualTo(md5("I run every Tuesday"));
    assertThat(item.getJsonObject("metadata")).isEqualTo(new JsonObject().put("sport", "running"));
    assertThat(item.getString("user_id")).isEqualTo(uma);
    assertThat(item.getString("agent_id")).isEqualTo("planner");
    assertThat(item.getString("role")).isEqualTo("user");
    assertThat(item.getString("created_at")).isEqualTo(item.getString("updated_at"));
    assertThat(item.containsKey("score")).isFalse();
  }

  @Test
  void anUnknownIdIsNotFound() {
    assertProblem(api.get("/memories/" + newId("memory")), 404);
    assertProblem(api.get("/memories/" + newId("memory") + "/history"), 404);
  }

  // ---- PUT /memories/{id} ---------------------------------------------------------------------------------------

  @Test
  void newTextIsEmbeddedAgainAndKeepsTheMemorysIdentity() {
    String vera = newUser();
    String id = remember(vera, "I live in Lisbon near the river");
    remember(vera, "I work as a nurse at night");
    JsonObject before = get(id);

    Reply reply = api.put("/memories/" + q(id), new JsonObject().put("text", "I moved to Tokyo last spring"));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().getString("message")).isNotBlank();
    assertThat(reply.json().getString("previous_memory")).isEqualTo("I live in Lisbon near the river");
    JsonObject updated = reply.json().getJsonObject("memory");
    assertThat(updated.getString("id")).isEqualTo(id);
    assertThat(updated.getString("memory")).isEqualTo("I moved to Tokyo last spring");
    assertThat(updated.getString("hash")).isEqualTo(md5("I moved to Tokyo last spring")).isNotEqualTo(
      before.getString("hash"));
    assertThat(updated.getString("created_at")).isEqualTo(before.getString("created_at"));
    assertThat(updated.getString("updated_at")).isGreaterThan(before.getString("updated_at"));
    assertThat(updated.getString("user_id")).isEqualTo(vera);
    assertThat(get(id)).isEqualTo(updated);

    JsonArray byMeaning = found(vera, "Which city in Japan does she live in?");
    assertThat(byMeaning.getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(byMeaning.getJsonObject(0).getString("memory")).isEqualTo("I moved to Tokyo last spring");
    assertThat(texts(found(user(vera).put("query", "Tokyo").put("mode", "keyword"))))
      .containsExactly("I moved to Tokyo last spring");
    assertThat(found(user(vera).put("query", "Lisbon river").put("mode", "keyword"))).isEmpty();
    assertThat(listUser(vera)).hasSize(2);
  }

  @Test
  void newMetadataIsMergedKeyByKey() {
    String walt = newUser();
    String id = remember(user(walt), "I am training for a half marathon", new JsonObject()
      .put("sport", "running").put("level", "beginner").put("coach", "Ana"));
    JsonObject before = get(id);

    Reply reply = api.put("/memories/" + q(id), new JsonObject().put("metadata", new JsonObject()
      .put("level", "intermediate").put("coach", null).put("weeks", new JsonArray().add(1).add(2))));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonObject after = get(id);
    assertThat(after.getJsonObject("metadata")).isEqualTo(new JsonObject()
      .put("sport", "running").put("level", "intermediate").put("weeks", new JsonArray().add(1).add(2)));
    assertThat(after.getString("memory")).isEqualTo(before.getString("memory"));
    assertThat(after.getString("hash")).isEqualTo(before.getString("hash"));
    assertThat(after.getString("created_at")).isEqualTo(before.getString("created_at"));
    assertThat(after.getString("updated_at")).isGreaterThan(before.getString("updated_at"));
    // searches filter on the merged metadata from now on
    JsonObject query = user(walt).put("query", "running");
    assertThat(ids(found(query.copy().put("filters", json("{'level': 'intermediate'}"))))).containsExactly(id);
    assertThat(found(query.copy().put("filters", json("{'level': 'beginner'}")))).isEmpty();
    assertThat(found(query.copy().put("filters", json("{'coach': '*'}")))).isEmpty();
  }

  @Test
  void everyChangeIsInTheHistoryOldestFirst() {
    String xena = newUser();
    JsonArray results = added(verbatim(user(xena), new JsonArray()
      .add(message("user", "My favourite colour is green").put("name", "xena"))));
    String id = results.getJsonObject(0).getString("id");
    JsonObject created = get(id);
    api.put("/memories/" + q(id), new JsonObject().put("text", "My favourite colour is blue"));
    Reply second = api.put("/memories/" + q(id), new JsonObject().put("text", "My favourite colour is red")
      .put("metadata", new JsonObject().put("certain", true)));
    JsonObject updated = second.json().getJsonObject("memory");

    JsonArray rows = history(id);

    assertThat(rows).hasSize(3);
    JsonObject add = rows.getJsonObject(0);
    assertThat(add.getString("event")).isEqualTo("ADD");
    assertThat(add.getString("memory_id")).isEqualTo(id);
    assertThat(add.getValue("old_memory")).isNull();
    assertThat(add.getString("new_memory")).isEqualTo("My favourite colour is green");
    assertThat(add.getString("created_at")).isEqualTo(created.getString("created_at"));
    assertThat(add.getBoolean("is_deleted")).isFalse();
    assertThat(add.getString("actor_id")).isEqualTo("xena");
    assertThat(add.getString("role")).isEqualTo("user");
    JsonObject firstUpdate = rows.getJsonObject(1);
    assertThat(firstUpdate.getString("event")).isEqualTo("UPDATE");
    assertThat(firstUpdate.getString("old_memory")).isEqualTo("My favourite colour is green");
    assertThat(firstUpdate.getString("new_memory")).isEqualTo("My favourite colour is blue");
    assertThat(firstUpdate.getString("updated_at")).isGreaterThan(add.getString("created_at"));
    JsonObject secondUpdate = rows.getJsonObject(2);
    assertThat(secondUpdate.getString("event")).isEqualTo("UPDATE");
    assertThat(secondUpdate.getString("old_memory")).isEqualTo("My favourite colour is blue");
    assertThat(secondUpdate.getString("new_memory")).isEqualTo("My favourite colour is red");
    assertThat(secondUpdate.getString("created_at")).isEqualTo(created.getString("created_at"));
    assertThat(secondUpdate.getString("updated_at")).isEqualTo(updated.getString("updated_at"))
      .isGreaterThan(firstUpdate.getString("updated_at"));
    assertThat(secondUpdate.getBoolean("is_deleted")).isFalse();
    assertThat(ids(rows)).doesNotHaveDuplicates().doesNotContain(id);
  }

  @Test
  void anUpdateOfAnUnknownMemoryIsNotFound() {
    assertProblem(api.put("/memories/" + newId("memory"), new JsonObject().put("text", "anything")), 404);
  }

  @Test
  void anUpdateWithNothingToChangeIsRefused() {
    String yuri = newUser();
    String id = remember(user(yuri), "I keep bees", new JsonObject().put("hives", 2));
    String before = snapshot(yuri);

    assertProblem(api.put("/memories/" + q(id), new JsonObject()), 400, "text");
    assertProblem(api.put("/memories/" + q(id), new JsonObject().put("text", "  ")), 400, "text");
    assertProblem(api.put("/memories/" + q(id), new JsonObject().put("text", "I keep wasps")
      .put("metadata", new JsonObject().put("user_id", "someone-else"))), 400, "metadata.user_id");
    assertThat(snapshot(yuri)).isEqualTo(before);
  }

  // ---- DELETE /memories/{id} ------------------------------------------------------------------------------------

  @Test
  void aDeletedMemoryIsGoneButItsHistoryStays() {
    String zoe = newUser();
    String id = remember(zoe, "I am afraid of spiders");
    String kept = remember(zoe, "I love gardening");

    Reply reply = api.delete("/memories/" + q(id));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().getString("message")).isNotBlank();
    assertProblem(api.get("/memories/" + q(id)), 404);
    assertThat(ids(listUser(zoe))).containsExactly(kept);
    assertThat(ids(found(zoe, "spiders"))).containsExactly(kept);
    assertThat(found(user(zoe).put("query", "spiders").put("mode", "keyword"))).isEmpty();
    JsonArray rows = history(id);
    assertThat(rows).hasSize(2);
    assertThat(rows.getJsonObject(0).getString("event")).isEqualTo("ADD");
    JsonObject deleted = rows.getJsonObject(1);
    assertThat(deleted.getString("event")).isEqualTo("DELETE");
    assertThat(deleted.getString("old_memory")).isEqualTo("I am afraid of spiders");
    assertThat(deleted.getValue("new_memory")).isNull();
    assertThat(deleted.getBoolean("is_deleted")).isTrue();
    assertThat(deleted.getString("updated_at")).isGreaterThanOrEqualTo(rows.getJsonObject(0).getString("created_at"));

    assertProblem(api.delete("/memories/" + q(id)), 404);
    assertProblem(api.put("/memories/" + q(id), new JsonObject().put("text", "I am afraid of snakes")), 404);
    // the text can be remembered again, as a new memory
    String again = remember(zoe, "I am afraid of spiders");
    assertThat(again).isNotEqualTo(id);
  }

  @Test
  void deletingAnUnknownMemoryIsNotFound() {
    assertProblem(api.delete("/memories/" + newId("memory")), 404);
  }

  // ---- DELETE /memories?user_id=... -----------------------------------------------------------------------------

  @Test
  void erasingAUserRemovesEveryMemoryAndItsHistoryAndNothingElse() {
    String adam = newUser();
    String bea = newUser();
    List<String> adamIds = new ArrayList<>();
    for (int request = 0; request < 2; request++) {
      String[] texts = new String[75];
      for (int i = 0; i < texts.length; i++) {
        texts[i] = "Note number " + (request * 75 + i) + " about my week";
      }
      adamIds.addAll(ids(added(verbatim(user(adam), conversation(texts)))));
    }
    assertThat(adamIds).hasSize(150).doesNotHaveDuplicates();
    String adamWithAgent = remember(user(adam).put("agent_id", newId("agent")), "I work with an agent", null);
    String updated = adamIds.get(3);
    api.put("/memories/" + q(updated), new JsonObject().put("text", "Note number 3 was changed"));
    String deletedBefore = adamIds.get(4);
    api.delete("/memories/" + q(deletedBefore));
    remember(bea, "I have two sisters");
    remember(bea, "I play tennis");
    String beaBefore = snapshot(bea);

    Reply reply = api.delete("/memories?user_id=" + q(adam));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().getString("message")).isNotBlank();
    // 150 notes, less the one deleted before, plus the one with an agent: every memory whose user_id is adam's
    assertThat(reply.json().getInteger("deleted")).isEqualTo(150);
    assertThat(listUser(adam)).isEmpty();
    assertThat(found(adam, "my week")).isEmpty();
    for (String id : List.of(adamIds.get(0), updated, deletedBefore, adamIds.get(100), adamIds.get(149),
      adamWithAgent)) {
      assertProblem(api.get("/memories/" + q(id)), 404);
      assertProblem(api.get("/memories/" + q(id) + "/history"), 404);
    }
    assertThat(snapshot(bea)).isEqualTo(beaBefore);
    // erasing again finds nothing more to erase
    assertThat(api.delete("/memories?user_id=" + q(adam)).json().getInteger("deleted")).isZero();
  }

  @Test
  void erasingAScopeLeavesTheUsersOtherScopes() {
    String cleo = newUser();
    String agent = newId("agent");
    String plain = remember(user(cleo), "I take the train to work", null);
    String withAgent = remember(user(cleo).put("agent_id", agent), "Remind me about the train strike", null);
    String withOtherAgent = remember(user(cleo).put("agent_id", newId("agent")), "I like trains", null);

    Reply reply = api.delete("/memories?user_id=" + q(cleo) + "&agent_id=" + q(agent));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().getInteger("deleted")).isEqualTo(1);
    assertThat(ids(listUser(cleo))).containsExactlyInAnyOrder(plain, withOtherAgent);
    assertProblem(api.get("/memories/" + q(withAgent) + "/history"), 404);
    assertThat(history(plain)).hasSize(1);
  }

  @Test
  void erasingWithoutScopeIsRefusedAndErasesNothing() {
    String dora = newUser();
    remember(dora, "I have a parrot");
    String before = snapshot(dora);

    assertProblem(api.delete("/memories"), 400, "user_id");
    assertProblem(api.delete("/memories?user_id=%20"), 400, "user_id");
    assertThat(snapshot(dora)).isEqualTo(before);
  }

  /** Query parameters are decoded once: an e-mail with a plus, a percent sign or an ampersand names the same user. */
  @ParameterizedTest(name = "user id [{0}]")
  @ValueSource(strings = {"ana+work@example.org", "100%", "a&b=c", "x y", "slash/and?question", "ünï cødé 😀",
    "%2B", "a+b%20c"})
  void aUserIdIsTheSameUserInABodyAndInAQueryString(String suffix) {
    String userId = newUser() + suffix;
    String other = newUser();
    remember(userId, "I collect stamps from " + suffix);
    remember(other, "I collect coins");

    JsonArray listed = listUser(userId);
    assertThat(texts(listed)).containsExactly("I collect stamps from " + suffix);
    assertThat(listed.getJsonObject(0).getString("user_id")).isEqualTo(userId);

    Reply erased = api.delete("/memories?user_id=" + q(userId));
    assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
    assertThat(erased.json().getInteger("deleted")).isEqualTo(1);
    assertThat(listUser(userId)).isEmpty();
    assertThat(listUser(other)).hasSize(1);
  }

  // ---- expiration (mem0 v3's expiration_date) -------------------------------------------------------------------

  private static String day(int fromToday) {
    return java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(fromToday).toString();
  }

  @Test
  void aMemoryPastItsExpirationDateIsNoLongerFoundButIsKept() {
    String ivy = newUser();
    String expired = remember(user(ivy).put("expiration_date", day(-1)), "My hotel in Rome is the Hotel Roma", null);
    String lastDay = remember(user(ivy).put("expiration_date", day(0)), "My rental car in Rome is a red Fiat", null);
    String lasting = remember(ivy, "I am allergic to peanuts");

    assertThat(ids(listUser(ivy))).containsExactlyInAnyOrder(lastDay, lasting);
    assertThat(ids(found(ivy, "Where am I staying in Rome?"))).containsExactlyInAnyOrder(lastDay, lasting);
    for (String mode : List.of("vector", "keyword", "hybrid")) {
      assertThat(ids(found(user(ivy).put("query", "Hotel Roma in Rome").put("mode", mode))))
        .as(mode).doesNotContain(expired);
    }
    assertThat(ids(found(user(ivy).put("query", "Where am I staying in Rome?").put("show_expired", true))))
      .containsExactlyInAnyOrder(expired, lastDay, lasting);
    assertThat(ids(list("user_id=" + q(ivy) + "&show_expired=true"))).containsExactlyInAnyOrder(expired, lastDay,
      lasting);

    JsonObject item = get(expired);
    assertThat(item.getString("expiration_date")).isEqualTo(day(-1));
    assertThat(item.getJsonObject("metadata", new JsonObject()).containsKey("expiration_date")).isFalse();
    assertThat(get(lasting).containsKey("expiration_date")).isFalse();
  }

  @Test
  void anUpdateSetsOrClearsTheExpirationDate() {
    String jon = newUser();
    String id = remember(user(jon), "I park on level 3 this week", new JsonObject().put("source", "chat"));

    Reply expire = api.put("/memories/" + q(id), new JsonObject().put("expiration_date", day(-2)));
    assertThat(expire.status()).as(expire.toString()).isEqualTo(200);
    assertThat(listUser(jon)).isEmpty();
    assertThat(get(id).getString("expiration_date")).isEqualTo(day(-2));
    assertThat(get(id).getJsonObject("metadata").getString("source")).isEqualTo("chat");

    Reply clear = api.put("/memories/" + q(id), new JsonObject().putNull("expiration_date"));
    assertThat(clear.status()).as(clear.toString()).isEqualTo(200);
    assertThat(ids(listUser(jon))).containsExactly(id);
    assertThat(get(id).containsKey("expiration_date")).isFalse();
    assertThat(get(id).getString("memory")).isEqualTo("I park on level 3 this week");
  }

  @ParameterizedTest(name = "expiration_date [{0}]")
  @ValueSource(strings = {"next friday", "2026-02-30", "2026-1-5", "2026-12-31T10:00:00Z", ""})
  void aBadExpirationDateIsRefusedNamingItAndNothingIsWritten(String bad) {
    String kim = newUser();
    assertProblem(add(verbatim(user(kim), conversation("I left my keys at the gym")).put("expiration_date", bad)),
      400, "expiration_date");
    assertThat(listUser(kim)).isEmpty();

    String id = remember(kim, "I left my umbrella at the office");
    assertProblem(api.put("/memories/" + q(id), new JsonObject().put("expiration_date", bad)), 400,
      "expiration_date");
    assertThat(get(id).containsKey("expiration_date")).isFalse();
    assertProblem(add(verbatim(user(kim), conversation("I left my hat"))
      .put("metadata", new JsonObject().put("expiration_date", day(3)))), 400, "metadata.expiration_date");
  }
}
