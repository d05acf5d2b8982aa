package dev.memgate.gateway.fuzz;

import java.util.List;
import java.util.Set;

/**
 * Where the fuzzer may aim: the protected memories (seeded before the run; no request may change them, so only
 * requests that must be refused go there) and the sandbox (throw-away memories that requests which may be valid are
 * free to change).
 *
 * @param restHost         the Host header that names the REST listener
 * @param mcpHost          the Host header that names the MCP listener
 * @param protectedUsers   REST users whose memories must not change
 * @param protectedAgent   an agent scope whose memories must not change
 * @param protectedRun     a run scope whose memories must not change
 * @param protectedIds     ids of those memories
 * @param sandboxIds       ids of memories anything may change
 * @param mcpUser          the user of the MCP sessions that may only be sent requests that must be refused
 * @param mcpIds           ids of that user's memories, which must not change
 * @param mcpSandboxUser   the user of the MCP sessions that may write
 * @param mcpSandboxIds    ids of that user's memories, which may change
 * @param leakMarkers      words that appear only in the memories of REST users: no MCP answer may contain them
 */
record Territory(String restHost, String mcpHost, List<String> protectedUsers, String protectedAgent,
                 String protectedRun, List<String> protectedIds, List<String> sandboxIds, String mcpUser,
                 List<String> mcpIds, String mcpSandboxUser, List<String> mcpSandboxIds, Set<String> leakMarkers) {
}
