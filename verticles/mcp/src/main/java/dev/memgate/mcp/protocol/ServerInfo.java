package dev.memgate.mcp.protocol;

import io.vertx.core.json.JsonObject;

/**
 * How the server introduces itself in the initialize result: its name and version, and the instructions that tell
 * an assistant when to store and when to search.
 */
public record ServerInfo(String name, String title, String version, String instructions) {

  public static final String INSTRUCTIONS = """
    Memgate is this user's long-term memory, shared by every assistant they use.
    - Search first: call search_memory before answering anything that may depend on who the user is or what they \
    said before (preferences, background, people, projects, plans, past decisions). Use what you find; do not \
    mention the lookup unless asked.
    - Store what lasts: call add_memories when the user shares a durable fact about themselves or their work, \
    states a preference, makes a decision, or asks you to remember something. One self-contained fact per call, \
    in the user's words. Do not store secrets (passwords, keys, tokens), passing small talk, or guesses.
    - Keep it true: when a fact changed, call update_memory on the old memory; when the user asks you to forget \
    something, find it with search_memory and call delete_memories with its id.
    - delete_all_memories erases everything; call it only when the user explicitly asks for exactly that.""";

  public static ServerInfo memgate(String version) {
    return new ServerInfo("memgate", "Memgate", version, INSTRUCTIONS);
  }

  JsonObject implementation() {
    return new JsonObject().put("name", name).put("title", title).put("version", version);
  }
}
