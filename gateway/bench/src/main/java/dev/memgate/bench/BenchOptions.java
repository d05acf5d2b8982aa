package dev.memgate.bench;

import java.nio.file.Path;

/**
 * What to measure, from the command line. Parsing never touches the machine; {@link #parse} refuses bad values with
 * a {@link UsageException} naming the option. The size of the workload defaults by store: the PostgreSQL issue asks
 * for 100,000 memories over 100 users, sent in batches so that a full run ends within the hour on two cores.
 *
 * @param databaseUrl an existing database for the pgvector store, or null for a fresh one made for the run
 */
record BenchOptions(int memories, int users, int searches, int concurrency, int messagesPerAdd, String store,
                    Path dataDir, boolean keep, Path jsonFile, long seed, int warmup, boolean help,
                    String databaseUrl, int recallQueries) {

  /** The service's default limits.max_messages: a larger batch would be refused with a 400. */
  static final int MAX_MESSAGES_PER_ADD = 500;

  static final String USAGE = """
    usage: memgate bench [OPTIONS]

    Starts Memgate in this JVM (as `memgate run` does, on a free loopback port), loads memories through the HTTP
    API with infer:false, searches them through HTTP one at a time (timing each query's embedding alone right
    after it) and then concurrently, stops the service and makes the same searches directly against the store
    in-process. Prints a table on stdout; logs go to stderr.

      --memories N          memories to load (default 10000; 100000 with --store pgvector)
      --users U             users they are spread over; every search is scoped to one user
                            (default 10; 100 with --store pgvector)
      --searches S          searches per search phase (default 1000)
      --concurrency C       requests in flight in the load and concurrent-search phases (default 16)
      --messages-per-add K  messages (= memories) per HTTP add; more than 1 shows batching
                            (default 1; 32 with --store pgvector; max 500)
      --store NAME          vector store: lucene or pgvector (default lucene)
      --database-url URL    pgvector: an existing database holding no memories, left in place afterwards (its
                            Memgate tables are emptied unless --keep); default: a fresh database on the local
                            server (postgresql://postgres@127.0.0.1:5432), dropped afterwards unless --keep
      --recall-queries Q    pgvector: queries (of phase 2) whose HNSW top 10 is compared with an exact scan,
                            within their user's scope and over the whole table (default 200)
      --warmup W            untimed adds and searches on each path before timing (default 300)
      --data-dir DIR        where the store is written; must be empty or absent, and is kept afterwards
                            (default: a temporary directory, deleted afterwards)
      --keep                keep the temporary data directory (and the pgvector database) and say where
      --json FILE           also write every figure as JSON to FILE
      --seed SEED           seed of the generated sentences and queries (default 42)
      --help                this text

    With --store pgvector, phase 4 sends the store's own statements for each scoped search (the scope count,
    then the exact scan or the HNSW search it chooses) as raw SQL through the same driver, and a fifth phase
    measures the HNSW index's recall@10 against an exact scan.

    The service runs with its built-in defaults (conf/memgate.yaml) whatever the shell's MEMGATE_* variables say,
    so that two runs differ only by these options and the machine.
    """;

  /** The workload the PostgreSQL issue asks for. */
  static final int PGVECTOR_MEMORIES = 100_000;
  static final int PGVECTOR_USERS = 100;
  static final int PGVECTOR_MESSAGES_PER_ADD = 32;

  static BenchOptions defaults() {
    return new BenchOptions(10_000, 10, 1_000, 16, 1, "lucene", null, false, null, 42L, 300, false, null, 200);
  }

  static BenchOptions parse(String... args) {
    BenchOptions d = defaults();
    Integer memories = null;
    Integer users = null;
    int searches = d.searches();
    int concurrency = d.concurrency();
    Integer messagesPerAdd = null;
    String store = d.store();
    Path dataDir = d.dataDir();
    boolean keep = d.keep();
    Path jsonFile = d.jsonFile();
    long seed = d.seed();
    int warmup = d.warmup();
    boolean help = d.help();
    String databaseUrl = d.databaseUrl();
    int recallQueries = d.recallQueries();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--keep" -> keep = true;
        case "--memories" -> memories = count(name, value(args, ++i, name), 1, 100_000_000);
        case "--users" -> users = count(name, value(args, ++i, name), 1, 1_000_000);
        case "--searches" -> searches = count(name, value(args, ++i, name), 1, 10_000_000);
        case "--concurrency" -> concurrency = count(name, value(args, ++i, name), 1, 1_024);
        case "--messages-per-add" -> messagesPerAdd = count(name, value(args, ++i, name), 1, MAX_MESSAGES_PER_ADD);
        case "--warmup" -> warmup = count(name, value(args, ++i, name), 0, 1_000_000);
        case "--store" -> store = storeName(name, value(args, ++i, name));
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, name));
        case "--json" -> jsonFile = Path.of(value(args, ++i, name));
        case "--seed" -> seed = whole(name, value(args, ++i, name));
        case "--database-url" -> databaseUrl = databaseUrl(name, value(args, ++i, name));
        case "--recall-queries" -> recallQueries = count(name, value(args, ++i, name), 1, 1_000_000);
        default -> throw new UsageException("unknown option " + name);
      }
    }
    boolean pgvector = store.equals("pgvector");
    memories = memories != null ? memories : pgvector ? PGVECTOR_MEMORIES : d.memories();
    users = users != null ? users : pgvector ? PGVECTOR_USERS : d.users();
    messagesPerAdd = messagesPerAdd != null ? messagesPerAdd : pgvector ? PGVECTOR_MESSAGES_PER_ADD
      : d.messagesPerAdd();
    if (!help && users > memories) {
      throw new UsageException("--users (" + users + ") cannot exceed --memories (" + memories
        + "): every user needs memories to search");
    }
    if (!help && databaseUrl != null && !pgvector) {
      throw new UsageException("--database-url is for --store pgvector only");
    }
    return new BenchOptions(memories, users, searches, concurrency, messagesPerAdd, store, dataDir, keep, jsonFile,
      seed, warmup, help, databaseUrl, recallQueries);
  }

  private static String value(String[] args, int index, String name) {
    if (index >= args.length) {
      throw new UsageException(name + " needs a value");
    }
    return args[index];
  }

  private static int count(String name, String text, int min, int max) {
    long value = whole(name, text);
    if (value < min || value > max) {
      throw new UsageException(name + " must be between " + min + " and " + max + " (got " + text + ")");
    }
    return (int) value;
  }

  private static long whole(String name, String text) {
    try {
      return Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a whole number (got " + text + ")");
    }
  }

  /** Only the form is checked here; the database is reached when the run starts. */
  private static String databaseUrl(String name, String text) {
    if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
      throw new UsageException(name + " must be a postgresql:// URL");
    }
    return text;
  }

  private static String storeName(String name, String text) {
    if (!StoreTarget.names().contains(text)) {
      throw new UsageException(name + " must be one of " + String.join(", ", StoreTarget.names()) + " (got " + text
        + ")");
    }
    return text;
  }

  /** A bad command line: the message names the option. */
  static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }
}
