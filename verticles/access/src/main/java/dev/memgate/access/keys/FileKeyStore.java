package dev.memgate.access.keys;

import dev.memgate.access.apps.App;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embedded default's key store: {@code <data dir>/access/keys.json} (every key and app, rewritten whole on each
 * change: keys and apps are few and change rarely) and {@code audit.jsonl} (one entry per line, appended). Both are written to a file
 * and forced to disk before the future completes, the keys file through a temporary file and an atomic rename, so a
 * crash leaves the old file or the new one, never half of one. File access runs on worker threads, in order.
 */
public final class FileKeyStore implements KeyStore {
  private final Vertx vertx;
  private final Path keysFile;
  private final Path auditFile;
  private final Map<String, StoredKey> keys = new LinkedHashMap<>();
  private final Map<String, App> apps = new TreeMap<>();
  private long auditCount;

  private FileKeyStore(Vertx vertx, Path directory) {
    this.vertx = vertx;
    this.keysFile = directory.resolve("keys.json");
    this.auditFile = directory.resolve("audit.jsonl");
  }

  public static Future<KeyStore> open(Vertx vertx, Path dataDir) {
    FileKeyStore store = new FileKeyStore(vertx, dataDir.resolve("access"));
    return vertx.executeBlocking(() -> {
      store.load();
      return store;
    });
  }

  private void load() throws IOException {
    Files.createDirectories(keysFile.getParent());
    if (Files.exists(keysFile)) {
      JsonObject stored = new JsonObject(Files.readString(keysFile));
      stored.getJsonObject("keys", new JsonObject()).forEach(entry ->
        keys.put(entry.getKey(), StoredKey.fromStored((JsonObject) entry.getValue())));
      stored.getJsonObject("apps", new JsonObject()).forEach(entry ->
        apps.put(entry.getKey(), App.fromJson((JsonObject) entry.getValue())));
      // Keys made before apps were recorded: their apps exist from the oldest key that names them.
      keys.values().stream().filter(k -> k.app() != null)
        .forEach(k -> apps.putIfAbsent(k.app(), App.named(k.app(), k.createdAt())));
    }
    if (Files.exists(auditFile)) {
      try (var lines = Files.lines(auditFile, StandardCharsets.UTF_8)) {
        auditCount = lines.filter(line -> !line.isBlank()).count();
      }
    }
  }

  @Override
  public Future<Void> put(StoredKey key) {
    return vertx.executeBlocking(() -> {
      Map<String, StoredKey> next = new LinkedHashMap<>(keys);
      next.put(key.id(), key);
      write(next, apps);
      keys.put(key.id(), key);
      return null;
    });
  }

  @Override
  public Future<Void> addApp(App app) {
    return vertx.executeBlocking(() -> {
      if (!apps.containsKey(app.name())) {
        storeApp(app);
      }
      return null;
    });
  }

  @Override
  public Future<App> app(String name) {
    return vertx.executeBlocking(() -> apps.get(name));
  }

  @Override
  public Future<List<App>> apps() {
    return vertx.executeBlocking(() -> List.copyOf(apps.values()));
  }

  @Override
  public Future<App> changeApp(String name, JsonObject changes) {
    return vertx.executeBlocking(() -> {
      App known = apps.get(name);
      if (known == null) {
        return null;
      }
      App changed = known.with(changes);
      storeApp(changed);
      return changed;
    });
  }

  private void storeApp(App app) {
    Map<String, App> next = new TreeMap<>(apps);
    next.put(app.name(), app);
    write(keys, next);
    apps.put(app.name(), app);
  }

  private void write(Map<String, StoredKey> allKeys, Map<String, App> allApps) {
    JsonObject keysJson = new JsonObject();
    allKeys.forEach((id, k) -> keysJson.put(id, k.toStored()));
    JsonObject appsJson = new JsonObject();
    allApps.forEach((name, app) -> appsJson.put(name, app.toJson()));
    writeAtomically(new JsonObject().put("keys", keysJson).put("apps", appsJson).encodePrettily());
  }

  @Override
  public Future<StoredKey> get(String id) {
    return vertx.executeBlocking(() -> keys.get(id));
  }

  @Override
  public Future<List<StoredKey>> all() {
    return vertx.executeBlocking(() -> List.copyOf(keys.values()));
  }

  @Override
  public Future<Void> append(JsonObject entry) {
    return vertx.executeBlocking(() -> {
      JsonObject line = entry.copy().put("seq", auditCount + 1);
      try (FileChannel channel = FileChannel.open(auditFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
        channel.write(StandardCharsets.UTF_8.encode(line.encode() + "\n"));
        channel.force(false);
      }
      auditCount++;
      return null;
    });
  }

  @Override
  public Future<List<JsonObject>> audit(int limit, Long before) {
    return vertx.executeBlocking(() -> {
      List<JsonObject> entries = new ArrayList<>();
      if (Files.exists(auditFile)) {
        for (String line : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            JsonObject entry = new JsonObject(line);
            if (before == null || entry.getLong("seq") < before) {
              entries.add(entry);
            }
          }
        }
      }
      List<JsonObject> newest = new ArrayList<>();
      for (int i = entries.size() - 1; i >= 0 && newest.size() < limit; i--) {
        newest.add(entries.get(i));
      }
      return newest;
    });
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private void writeAtomically(String content) {
    Path temporary = keysFile.resolveSibling("keys.json.tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(StandardCharsets.UTF_8.encode(content));
        channel.force(true);
      }
      Files.move(temporary, keysFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(keysFile.getParent(), StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + keysFile, e);
    }
  }
}
