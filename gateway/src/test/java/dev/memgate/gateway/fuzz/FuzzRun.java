package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.testing.StdioServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every lane of one fuzz run shares: the service under test and its ports, the clients, the grammars, the
 * territory, the seed, and the findings. Also collects the probe scopes of refused writes, which are checked for
 * emptiness after the run.
 */
final class FuzzRun implements AutoCloseable {
  /** How long any single exchange may take before its silence is a finding. */
  static final long TIMEOUT_MS = 15_000;

  final String target;
  final long seed;
  final StdioServiceProcess service;
  final int restPort;
  final int mcpPort;
  final Territory territory;
  final Findings findings;
  final Vertx vertx = Vertx.vertx();
  final HttpSender http = new HttpSender(vertx, TIMEOUT_MS);
  final NetClient tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000));
  final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();
  final RestGrammar rest;
  final McpGrammar mcp;
  /** Scope query of each refused write that had one of its own, with the request's shape. */
  final Map<String, String> refusedProbes = new ConcurrentHashMap<>();

  FuzzRun(String target, long seed, StdioServiceProcess service, Territory territory, McpGrammar mcp) {
    this.target = target;
    this.seed = seed;
    this.service = service;
    this.restPort = service.restPort();
    this.mcpPort = service.mcpPort();
    this.territory = territory;
    this.findings = new Findings(target, seed);
    this.rest = new RestGrammar(territory);
    this.mcp = mcp;
  }

  Dice dice(String lane, int index) {
    return Dice.forRequest(seed, target + "/" + lane, index);
  }

  /** An answer as a report line: status, content type and the start of the body, or why there was none. */
  static String describe(HttpAnswer answer) {
    if (answer.status() == 0) {
      return answer.failure();
    }
    return answer.status() + " " + answer.header("content-type") + " " + answer.text()
      + (answer.failure() == null ? "" : " [" + answer.failure() + "]");
  }

  @Override
  public void close() {
    http.close();
    tcp.close();
    vertx.close().await();
  }
}
