package dev.memgate.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the pgvector store is configured, and that its password never shows. */
class PgvectorSettingsTest {

  @Test
  void supabaseIsAnotherNameForThePgvectorStore() {
    Settings settings = Settings.load(Map.of("VECTOR_STORE", "supabase",
      "SUPABASE_DB_URL", "postgresql://postgres:pw@db.example.supabase.co:5432/postgres?sslmode=require"), null);
    assertThat(settings.text("vector.store")).isEqualTo("pgvector");
    assertThat(settings.text("pgvector.url")).startsWith("postgresql://postgres:pw@db.example.supabase.co");
  }

  @Test
  void thePgvectorStoreWithoutADatabaseStopsStartUpWithOneLineNamingTheVariables() {
    assertThatThrownBy(() -> Settings.load(Map.of("VECTOR_STORE", "pgvector"), null))
      .isInstanceOf(ConfigurationException.class)
      .hasMessageContaining("DATABASE_URL").hasMessageContaining("PGHOST")
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void thePgVariablesAreEnoughToReachADatabase() {
    Settings settings = Settings.load(Map.of("VECTOR_STORE", "pgvector", "PGHOST", "db.internal", "PGPORT", "6543",
      "PGDATABASE", "memories", "PGUSER", "memgate", "PGPASSWORD", "hunter2"), null);
    assertThat(settings.text("pgvector.host")).isEqualTo("db.internal");
    assertThat(settings.integer("pgvector.port")).isEqualTo(6543);
    assertThat(settings.publicView().getJsonObject("pgvector").getString("password")).isEqualTo("***");
    assertThat(settings.publicView().encode()).doesNotContain("hunter2");
  }

  @Test
  void aDatabaseUrlIsShownWithoutItsPasswordAndABadOneIsNotRepeated() {
    Settings settings = Settings.load(Map.of("VECTOR_STORE", "pgvector",
      "DATABASE_URL", "postgresql://memgate:s3cr%40t@db.internal:5432/mem?password=other&sslmode=require"), null);
    String shown = settings.publicView().getJsonObject("pgvector").getString("url");
    assertThat(shown).isEqualTo("postgresql://memgate:***@db.internal:5432/mem?password=***&sslmode=require");

    assertThatThrownBy(() -> Settings.load(Map.of("DATABASE_URL", "mysql://root:hunter2@db/x"), null))
      .isInstanceOf(ConfigurationException.class)
      .hasMessageContaining("DATABASE_URL")
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void databaseUrlWinsOverTheOtherNames() {
    Settings settings = Settings.load(Map.of("DATABASE_URL", "postgresql://a@first/db",
      "MEMGATE_DATABASE_URL", "postgresql://b@second/db"), null);
    assertThat(settings.text("pgvector.url")).isEqualTo("postgresql://a@first/db");
  }
}
