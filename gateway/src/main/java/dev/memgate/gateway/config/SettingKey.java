package dev.memgate.gateway.config;

import java.util.List;
import java.util.Set;

/**
 * One configuration key: its dotted name in {@code conf/memgate.yaml}, what kind of value it takes, and the
 * environment variables that set it (first one wins).
 */
record SettingKey(String name, Kind kind, List<String> env, Set<String> choices, long min, long max) {

  /** DATABASE_URL: a postgresql:// URL whose password is masked wherever the value is shown. */
  enum Kind { TEXT, INTEGER, DECIMAL, PORT, CHOICE, URL, SECRET, PROMPT, DATABASE_URL }

  static SettingKey text(String name, String... env) {
    return new SettingKey(name, Kind.TEXT, List.of(env), Set.of(), 0, 0);
  }

  static SettingKey secret(String name, String... env) {
    return new SettingKey(name, Kind.SECRET, List.of(env), Set.of(), 0, 0);
  }

  static SettingKey url(String name, String... env) {
    return new SettingKey(name, Kind.URL, List.of(env), Set.of(), 0, 0);
  }

  static SettingKey databaseUrl(String name, String... env) {
    return new SettingKey(name, Kind.DATABASE_URL, List.of(env), Set.of(), 0, 0);
  }

  static SettingKey port(String name, String... env) {
    return new SettingKey(name, Kind.PORT, List.of(env), Set.of(), 0, 65_535);
  }

  static SettingKey integer(String name, long min, long max, String... env) {
    return new SettingKey(name, Kind.INTEGER, List.of(env), Set.of(), min, max);
  }

  static SettingKey decimal(String name, long min, long max, String... env) {
    return new SettingKey(name, Kind.DECIMAL, List.of(env), Set.of(), min, max);
  }

  /** A prompt: its text, or the path of a file holding it. */
  static SettingKey prompt(String name, String... env) {
    return new SettingKey(name, Kind.PROMPT, List.of(env), Set.of(), 0, 0);
  }

  static SettingKey choice(String name, Set<String> choices, String... env) {
    return new SettingKey(name, Kind.CHOICE, List.of(env), choices, 0, 0);
  }

  /** How to name this key in an error: the environment variable a user would most likely have set, and the key. */
  String label() {
    return env.isEmpty() ? name : env.get(0) + " (" + name + ")";
  }
}
