package dev.memgate.gateway.edge;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.RawHttp;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No single client can take every connection: one address holds at most its share over both listeners, the
 * process at most its budget, and what goes over is closed at once while other clients keep being served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionLimitsTest {
  private static final int PER_ADDRESS = 4;
  private static final int TOTAL = 12;

  private RunningService service;
  private Api api;
  private int restPort;
  private int mcpPort;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_MAX_CONNECTIONS_PER_ADDRESS", String.valueOf(PER_ADDRESS),
      "MEMGATE_MAX_CONNECTIONS", String.valueOf(TOTAL)));
    api = service.api();
    restPort = URI.create(api.base()).getPort();
    mcpPort = URI.create(service.mcpBase()).getPort();
  }

  @AfterAll
  void stop() {
    service.close();
  }

  private JsonObject edge() {
    return api.get("/health").json().getJsonObject("components").getJsonObject("edge");
  }

  @Test
  void oneAddressGetsItsShareOverBothListenersAndOthersAreStillServed() {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        RawHttp connection = RawHttp.connect(restPort, "127.0.0.2");
        held.add(connection);
        assertThat(connection.get("/health")).isEqualTo(200);
      }
      try (RawHttp oneTooMany = RawHttp.connect(restPort, "127.0.0.2");
           RawHttp onMcpToo = RawHttp.connect(mcpPort, "127.0.0.2")) {
        assertThat(oneTooMany.get("/health")).as("a fifth connection from the same address").isEqualTo(-1);
        assertThat(onMcpToo.get("/mcp")).as("the MCP listener shares the budget").isEqualTo(-1);
      }
      assertThat(api.get("/health").status()).as("another address is served").isEqualTo(200);
      assertThat(edge().getLong("refused_over_max_connections_per_address")).isGreaterThanOrEqualTo(2);

      held.remove(0).close();
      try (RawHttp again = RawHttp.connect(restPort, "127.0.0.2")) {
        // The server notices the close on its event loop; until then the address is still at its limit.
        int status = again.get("/health");
        for (int tries = 0; status != 200 && tries < 50; tries++) {
          again.close();
          try (RawHttp retry = RawHttp.connect(restPort, "127.0.0.2")) {
            status = retry.get("/health");
          }
        }
        assertThat(status).as("a connection freed by the address can be used again").isEqualTo(200);
      }
    } finally {
      held.forEach(RawHttp::close);
    }
  }

  @Test
  void theProcessBudgetHoldsAcrossAddresses() {
    int alreadyOpen = edge().getInteger("connections");
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; held.size() < TOTAL - alreadyOpen; i++) {
        RawHttp connection = RawHttp.connect(restPort, "127.0.1." + (10 + i));
        held.add(connection);
        assertThat(connection.get("/health")).as("connection " + held.size()).isEqualTo(200);
      }
      try (RawHttp overBudget = RawHttp.connect(restPort, "127.0.1.200")) {
        assertThat(overBudget.get("/health")).as("a connection over edge.max_connections").isEqualTo(-1);
      }
    } finally {
      held.forEach(RawHttp::close);
    }
    assertThat(edge().getLong("refused_over_max_connections")).isGreaterThanOrEqualTo(1);
    assertThat(edge().getJsonObject("limits").getInteger("max_connections")).isEqualTo(TOTAL);
  }
}
