package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/** Creates keys through the admin API with the operator's key, as an operator would. */
final class Keys {
  static final String OPERATOR_KEY = "operator-key-0123456789abcdef";

  private Keys() {
  }

  static JsonObject create(Api operator, JsonObject request) {
    Reply created = operator.post("/keys", request);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json();
  }

  /** A key for these users with these permissions; returns its secret. */
  static String forUsers(Api operator, String name, JsonArray users, String... permissions) {
    return create(operator, new JsonObject().put("name", name).put("users", users)
      .put("permissions", new JsonArray(java.util.List.of((Object[]) permissions)))).getString("secret");
  }

  static String forUser(Api operator, String user, String... permissions) {
    return forUsers(operator, user + "'s key", new JsonArray().add(user), permissions);
  }
}
