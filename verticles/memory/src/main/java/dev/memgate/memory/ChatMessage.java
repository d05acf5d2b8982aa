package dev.memgate.memory;

/** One message of a conversation sent to be remembered; {@code name} is who spoke (mem0's actor_id). */
public record ChatMessage(String role, String content, String name) {
  public boolean isSystem() {
    return "system".equals(role);
  }
}
