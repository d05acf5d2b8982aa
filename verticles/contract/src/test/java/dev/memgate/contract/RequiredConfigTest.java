package dev.memgate.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A verticle's configuration read as it must be: every key present, of its type, or one line naming it. */
class RequiredConfigTest {
  private final RequiredConfig config = RequiredConfig.of("test verticle", new JsonObject()
    .put("name", "memgate").put("port", 8080).put("big", 5_000_000_000L).put("ratio", 0.5).put("on", true)
    .put("hosts", new JsonArray().add("a").add("b")).put("limits", new JsonObject().put("max", 10)));

  @Test
  void presentKeysAreReadAsTheirTypes() {
    assertThat(config.text("name")).isEqualTo("memgate");
    assertThat(config.integer("port")).isEqualTo(8080);
    assertThat(config.longInteger("big")).isEqualTo(5_000_000_000L);
    assertThat(config.decimal("ratio")).isEqualTo(0.5);
    assertThat(config.decimal("port")).isEqualTo(8080.0);
    assertThat(config.flag("on")).isTrue();
    assertThat(config.texts("hosts")).containsExactly("a", "b");
    assertThat(config.section("limits").integer("max")).isEqualTo(10);
  }

  @Test
  void aMissingKeyIsOneLineNamingItWithItsPath() {
    assertThatThrownBy(() -> config.text("bind")).isInstanceOf(ConfigKeyException.class)
      .hasMessage("test verticle: configuration key \"bind\" is missing");
    assertThatThrownBy(() -> config.section("limits").integer("min"))
      .hasMessage("test verticle: configuration key \"limits.min\" is missing")
      .satisfies(e -> assertThat(((ConfigKeyException) e).key()).isEqualTo("limits.min"));
    assertThatThrownBy(() -> RequiredConfig.of("test verticle", null).integer("port"))
      .hasMessage("test verticle: configuration key \"port\" is missing");
  }

  @Test
  void aValueOfAnotherTypeIsNamedWithTheTypeExpected() {
    assertThatThrownBy(() -> config.integer("name"))
      .hasMessage("test verticle: configuration key \"name\" must be a whole number");
    assertThatThrownBy(() -> config.integer("ratio"))
      .hasMessage("test verticle: configuration key \"ratio\" must be a whole number");
    assertThatThrownBy(() -> config.integer("big"))
      .hasMessage("test verticle: configuration key \"big\" must be a whole number");
    assertThatThrownBy(() -> config.text("port")).hasMessage("test verticle: configuration key \"port\" must be text");
    assertThatThrownBy(() -> RequiredConfig.of("test verticle", new JsonObject().put("hosts", new JsonArray().add(1)))
      .texts("hosts")).hasMessage("test verticle: configuration key \"hosts\" must be a list of strings");
    assertThatThrownBy(() -> config.section("name"))
      .hasMessage("test verticle: configuration key \"name\" must be an object");
  }

  @Test
  void optionalKeysSayWhenTheyAreAbsent() {
    assertThat(config.optionalText("api_key")).isEmpty();
    assertThat(config.optionalText("name")).contains("memgate");
    assertThat(config.optionalLongInteger("port")).contains(8080L);
    assertThat(config.optionalSection("inference")).isEmpty();
    assertThatThrownBy(() -> config.optionalText("port")).isInstanceOf(ConfigKeyException.class);
  }

  @Test
  void aGroupReadElsewhereIsCheckedKeyByKeyFirst() {
    assertThat(config.section("limits").withIntegers(java.util.List.of("max")).getInteger("max")).isEqualTo(10);
    assertThatThrownBy(() -> config.section("limits").withIntegers(java.util.List.of("max", "min")))
      .hasMessage("test verticle: configuration key \"limits.min\" is missing");
  }
}
