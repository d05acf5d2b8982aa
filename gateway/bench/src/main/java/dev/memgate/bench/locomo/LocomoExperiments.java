package dev.memgate.bench.locomo;

import dev.memgate.contract.Scope;
import dev.memgate.contract.SearchableText;
import dev.memgate.contract.Timestamps;
import dev.memgate.contract.Vectors;
import dev.memgate.embedding.EmbeddingProvider;
import dev.memgate.embedding.onnx.OnnxEmbeddingProvider;
import dev.memgate.embedding.onnx.OnnxModel;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.lucene.LuceneMemoryStore;
import dev.memgate.vector.ranking.HybridFusion;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Retrieval experiments on LoCoMo's tuning conversations, in seconds instead of minutes: for tuning only; the
 * figures to report come from {@link LocomoBenchmark} through HTTP.
 *
 * <p>It runs what ships: turns go into the production {@link LuceneMemoryStore} through its public interface, which
 * keyword-indexes them as every store does ({@link SearchableText#forKeywords}: date, speaker and text); vectors come
 * from the production ONNX encoder (cached on disk per model and text, so a model embeds each text once), and
 * rankings from the production {@link HybridFusion}. What hybrid search chooses from is rebuilt from the store's own
 * vector and keyword searches ({@link #candidates}), so that the fusion is tuned on what the store hands it.
 *
 * <p>Only the embedded text is varied here ({@code --texts}): the words alone ({@code text}), the speaker and the
 * words as the memory service embeds them ({@code shipping}), or with the date too ({@code dated}). The keyword index
 * always holds what ships. Variants that indexed another text (words alone, speaker and words without the date)
 * needed a store that composes its keyword text as told, a hook production has no use for; they were dropped with
 * it, and the README's figures from them are marked as measured with an earlier version of this tool.
 *
 * <pre>LocomoExperiments [--model ID] [--texts text,shipping,dated] [--cache DIR]
 *   [--sweep basic|full|boosts|scales|around|none] [--query-purpose query|document] [--threads N] [--dump N]</pre>
 */
public final class LocomoExperiments {
  /** Candidates gathered per ranking; smaller depths are emulated by cutting these lists. */
  private static final int DEPTH = 200;
  private static final int RETRIEVED = 50;
  private static final int BATCH = 32;

  /** What a turn is embedded as, from its words, its speaker and its date (ISO-8601). */
  @FunctionalInterface
  private interface EmbeddedText {
    String compose(String words, String speaker, String at);
  }

  /** What turns are embedded as; the store keyword-indexes them as it always does. */
  private record Variant(String name, EmbeddedText embedded) {
  }

  private record Asked(LocomoData.Question question, List<HybridFusion.Candidate> candidates,
                       Map<String, List<String>> diaIds) {
  }

  private static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put("text", new Variant("text embedded", (words, speaker, at) -> words));
    VARIANTS.put("shipping", new Variant("speaker: text embedded (SearchableText.forEmbedding, what ships)",
      (words, speaker, at) -> SearchableText.forEmbedding(words, speaker)));
    VARIANTS.put("dated", new Variant("[date] speaker: text embedded", SearchableText::forKeywords));
  }

  private final Vertx vertx;
  private final OnnxEmbeddingProvider embedder;
  private final VectorCache cache;
  private final List<LocomoData.Conversation> conversations;
  /** QUERY as a search embeds questions; DOCUMENT to measure a model without its query instruction. */
  private EmbeddingProvider.Purpose queryPurpose = EmbeddingProvider.Purpose.QUERY;

  private LocomoExperiments(Vertx vertx, OnnxEmbeddingProvider embedder, VectorCache cache,
                            List<LocomoData.Conversation> conversations) {
    this.vertx = vertx;
    this.embedder = embedder;
    this.cache = cache;
    this.conversations = conversations;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    OnnxModel model = OnnxModel.byId(options.getOrDefault("model", "all-minilm-l6-v2"))
      .orElseThrow(() -> new IllegalArgumentException("--model: one of " + OnnxModel.knownIds()));
    Path data = Path.of(options.getOrDefault("data", "../shared/data/locomo10.json"));
    // Tuning happens on the tuning conversations only; the held-out ones are for the HTTP benchmark's report.
    List<LocomoData.Conversation> conversations = LocomoData.load(data, LocomoData.TUNE);
    Path cacheDir = Path.of(options.getOrDefault("cache", "/tmp/memgate-locomo-vectors"));
    Files.createDirectories(cacheDir);
    Vertx vertx = Vertx.vertx();
    OnnxEmbeddingProvider embedder = new OnnxEmbeddingProvider(vertx, model,
      Integer.parseInt(options.getOrDefault("threads", "2")));
    try (VectorCache cache = new VectorCache(cacheDir.resolve(model.id() + ".vectors"))) {
      embedder.start().await();
      LocomoExperiments experiments = new LocomoExperiments(vertx, embedder, cache, conversations);
      experiments.queryPurpose = EmbeddingProvider.Purpose.parse(options.getOrDefault("query-purpose", "query"));
      System.out.printf("model %s; %d conversations, %d questions%n", model.id(), conversations.size(),
        conversations.stream().mapToInt(c -> c.questions().size()).sum());
      experiments.printQueryLatency();
      for (String name : options.getOrDefault("texts", "text,shipping").split(",")) {
        Variant variant = VARIANTS.get(name);
        if (variant == null) {
          throw new IllegalArgumentException("--texts: known " + VARIANTS.keySet());
        }
        List<Asked> asked = experiments.gather(variant, model);
        experiments.report(variant, asked, options.getOrDefault("sweep", "basic"));
        if (options.containsKey("dump")) {
          experiments.dump(asked, Integer.parseInt(options.get("dump")));
        }
      }
    } finally {
      embedder.close().await();
      vertx.close().await();
    }
  }

  // ---- gathering ------------------------------------------------------------------------------------------------

  /** Loads every turn into a fresh store, embedded as this variant says, and asks every question once. */
  private List<Asked> gather(Variant variant, OnnxModel model) throws Exception {
    Path dir = Files.createTempDirectory("memgate-experiment-");
    LuceneMemoryStore store = new LuceneMemoryStore(vertx, dir, 2);
    store.open(new MemoryStore.EmbeddingSpec(model.id(), model.dimension())).await();
    try {
      List<Asked> asked = new ArrayList<>();
      Map<MemoryStore.SearchMode, List<Long>> searchNanos = new java.util.EnumMap<>(MemoryStore.SearchMode.class);
      for (LocomoData.Conversation conversation : conversations) {
        Map<String, float[]> stored = new HashMap<>();
        Map<String, List<String>> diaIds = load(store, variant, conversation, stored);
        Scope scope = new Scope(conversation.id(), null, null);
        for (LocomoData.Question question : conversation.questions()) {
          float[] vector = vectors(List.of(question.text()), queryPurpose).get(0);
          asked.add(new Asked(question, candidates(store, scope, vector, question.text(), stored), diaIds));
          for (MemoryStore.SearchMode mode : MemoryStore.SearchMode.values()) {
            long started = System.nanoTime();
            store.search(new MemoryStore.SearchQuery(scope, vector, question.text(), null, RETRIEVED, null, mode,
              false)).await();
            searchNanos.computeIfAbsent(mode, m -> new ArrayList<>()).add(System.nanoTime() - started);
          }
        }
      }
      searchNanos.forEach((mode, nanos) -> {
        nanos.sort(Long::compare);
        System.out.printf("store search, %s, limit %d: p50 %.2f ms, p95 %.2f ms%n", mode, RETRIEVED,
          nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.95)) / 1e6);
      });
      return asked;
    } finally {
      store.close().await();
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Adds the conversation's turns; returns the turns ({@code dia_id}) behind each memory, and puts each memory's
   * vector into {@code stored}.
   */
  private Map<String, List<String>> load(LuceneMemoryStore store, Variant variant,
                                         LocomoData.Conversation conversation, Map<String, float[]> stored) {
    List<LocomoData.Turn> turns = conversation.turns();
    List<String> texts = new ArrayList<>();
    List<String> times = new ArrayList<>();
    for (LocomoData.Turn turn : turns) {
      LocalDateTime time = LocomoBenchmark.sessionTime(turn);
      String at = Timestamps.format(time == null ? Instant.EPOCH : time.toInstant(ZoneOffset.UTC));
      times.add(at);
      texts.add(variant.embedded().compose(LocomoBenchmark.content(turn), turn.speaker(), at));
    }
    List<float[]> vectors = vectors(texts, EmbeddingProvider.Purpose.DOCUMENT);
    List<MemoryRecord> records = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      LocomoData.Turn turn = turns.get(i);
      String content = LocomoBenchmark.content(turn);
      records.add(new MemoryRecord(UUID.randomUUID().toString(), content, md5(content),
        new Scope(conversation.id(), null, null), turn.speaker(), "user",
        new JsonObject().put("dia_id", turn.diaId()), times.get(i), times.get(i), vectors.get(i)));
    }
    Map<String, List<String>> diaIds = new HashMap<>();
    List<MemoryStore.InsertOutcome> outcomes = store.insert(records).await();
    for (int i = 0; i < outcomes.size(); i++) {
      String id = outcomes.get(i).record().id();
      diaIds.computeIfAbsent(id, k -> new ArrayList<>()).add(turns.get(i).diaId());
      // A turn repeating an earlier one's words is that memory: the store keeps the first one's vector.
      stored.putIfAbsent(id, records.get(i).vector());
    }
    return diaIds;
  }

  /**
   * What the store's hybrid search chooses from, with memory ids: its best {@value #DEPTH} memories by vector, then
   * those of its best {@value #DEPTH} by keywords not among them, each with both scores, as the store gathers them.
   * Both rankings come from the store's own searches; the cosine of a keyword-only hit is computed from the vector
   * stored for it, as the store computes it.
   */
  private static List<HybridFusion.Candidate> candidates(MemoryStore store, Scope scope, float[] vector,
                                                         String text, Map<String, float[]> stored) {
    List<MemoryStore.ScoredMemory> byVector = store.search(new MemoryStore.SearchQuery(scope, vector, text, null,
      DEPTH, null, MemoryStore.SearchMode.VECTOR, false)).await();
    List<MemoryStore.ScoredMemory> byKeyword = store.search(new MemoryStore.SearchQuery(scope, vector, text, null,
      DEPTH, null, MemoryStore.SearchMode.KEYWORD, false)).await();
    Map<String, Integer> keywordRanks = new HashMap<>();
    Map<String, Double> keywords = new HashMap<>();
    for (int i = 0; i < byKeyword.size(); i++) {
      keywordRanks.put(byKeyword.get(i).record().id(), i + 1);
      keywords.put(byKeyword.get(i).record().id(), byKeyword.get(i).score());
    }
    List<HybridFusion.Candidate> candidates = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < byVector.size(); i++) {
      MemoryRecord record = byVector.get(i).record();
      seen.add(record.id());
      candidates.add(new HybridFusion.Candidate(record.id(), byVector.get(i).score(), i + 1,
        keywords.get(record.id()), keywordRanks.getOrDefault(record.id(), 0), record.actorId(), record.createdAt()));
    }
    for (MemoryStore.ScoredMemory hit : byKeyword) {
      MemoryRecord record = hit.record();
      if (seen.add(record.id())) {
        candidates.add(new HybridFusion.Candidate(record.id(), dot(stored.get(record.id()), vector), 0, hit.score(),
          keywordRanks.get(record.id()), record.actorId(), record.createdAt()));
      }
    }
    return candidates;
  }

  /** The cosine of unit vectors, summed as the store sums it. */
  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private List<float[]> vectors(List<String> texts, EmbeddingProvider.Purpose purpose) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    List<String> missing = new ArrayList<>();
    for (String text : texts) {
      float[] cached = cache.get(purpose, text);
      vectors.add(cached);
      if (cached == null) {
        missing.add(text);
      }
    }
    if (!missing.isEmpty()) {
      long started = System.nanoTime();
      Map<String, float[]> computed = new HashMap<>();
      for (int from = 0; from < missing.size(); from += BATCH) {
        List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
        List<float[]> raw = embedder.embed(batch, purpose).await();
        for (int i = 0; i < batch.size(); i++) {
          float[] unit = Vectors.normalize(raw.get(i));
          computed.put(batch.get(i), unit);
          cache.put(purpose, batch.get(i), unit);
        }
      }
      if (purpose == EmbeddingProvider.Purpose.DOCUMENT && missing.size() >= BATCH) {
        System.out.printf("  embedded %d texts at %.0f texts/s (batches of %d)%n", missing.size(),
          missing.size() / ((System.nanoTime() - started) / 1e9), BATCH);
      }
      for (int i = 0; i < texts.size(); i++) {
        if (vectors.get(i) == null) {
          vectors.set(i, computed.get(texts.get(i)));
        }
      }
    }
    return vectors;
  }

  /** One query at a time, as a search embeds it; the median of 50 questions, measured without the cache. */
  private void printQueryLatency() {
    List<Long> nanos = new ArrayList<>();
    List<LocomoData.Question> questions = conversations.get(0).questions();
    for (int i = 0; i < Math.min(50, questions.size()); i++) {
      long started = System.nanoTime();
      embedder.embed(List.of(questions.get(i).text()), EmbeddingProvider.Purpose.QUERY).await();
      nanos.add(System.nanoTime() - started);
    }
    nanos.sort(Long::compare);
    System.out.printf("query embedding: p50 %.1f ms, p95 %.1f ms (one question per call)%n",
      nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.95)) / 1e6);
  }

  /** Questions whose evidence the default fusion misses in its first ten, with the turns it missed. */
  private void dump(List<Asked> asked, int count) {
    Map<String, String> turnText = new HashMap<>();
    for (LocomoData.Conversation c : conversations) {
      for (LocomoData.Turn t : c.turns()) {
        turnText.put(c.id() + "/" + t.diaId(), t.speaker() + " (" + t.sessionDate() + "): "
          + LocomoBenchmark.content(t));
      }
    }
    HybridFusion fuser = new HybridFusion(HybridFusion.DEFAULT);
    int shown = 0;
    for (Asked a : asked) {
      if (a.question().evidence().isEmpty() || shown >= count) {
        continue;
      }
      List<String> top = new ArrayList<>();
      for (HybridFusion.Fused f : fuser.fuse(a.question().text(), a.candidates())) {
        top.addAll(a.diaIds().getOrDefault(f.id(), List.of()));
        if (top.size() >= 10) {
          break;
        }
      }
      List<String> missed = a.question().evidence().stream().filter(e -> !top.contains(e)).toList();
      if (missed.isEmpty()) {
        continue;
      }
      shown++;
      String conversation = conversationOf(a);
      System.out.printf("%n[cat %d] %s%n", a.question().category(), a.question().text());
      for (String e : missed) {
        System.out.printf("   missed %s %s%n", e, turnText.get(conversation + "/" + e));
      }
      System.out.printf("   top: %s%n", turnText.get(conversation + "/" + top.get(0)));
    }
  }

  private String conversationOf(Asked a) {
    for (LocomoData.Conversation c : conversations) {
      if (c.questions().contains(a.question())) {
        return c.id();
      }
    }
    return "?";
  }

  // ---- rankings -------------------------------------------------------------------------------------------------

  private void report(Variant variant, List<Asked> asked, String sweep) {
    System.out.printf("%n== embedded as: %s; indexed as it ships%n", variant.name());
    System.out.printf("%-48s %6s %6s %6s %6s %6s | %6s %6s %6s | %6s%n", "ranking", "R@1", "R@5", "R@10", "R@25",
      "R@50", "1-4@5", "1-4@10", "1-4@25", "MRR");
    row("vector", asked, (question, candidates) -> byRank(candidates, true));
    row("keyword (BM25)", asked, (question, candidates) -> byRank(candidates, false));
    for (Map.Entry<String, HybridFusion.Weights> fusion : fusions(sweep).entrySet()) {
      HybridFusion fuser = new HybridFusion(fusion.getValue());
      int depth = fusion.getValue().depth();
      row(fusion.getKey(), asked, (question, candidates) -> fuser.fuse(question, cut(candidates, depth)).stream()
        .map(HybridFusion.Fused::id).toList());
    }
  }

  private static Map<String, HybridFusion.Weights> fusions(String sweep) {
    Map<String, HybridFusion.Weights> fusions = new LinkedHashMap<>();
    HybridFusion.Weights base = HybridFusion.DEFAULT;
    for (double k : new double[] {60, 20, 5}) {
      fusions.put(String.format("rrf k=%.0f", k), new HybridFusion.Weights(HybridFusion.Method.RECIPROCAL_RANK,
        0.5, base.vectorScale(), base.keywordScale(), base.keywordHalf(), k, 100, 0, 0));
    }
    double[] alphas = sweep.equals("full") ? new double[] {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}
      : new double[] {0.3, 0.5, 0.7};
    for (HybridFusion.VectorScale vectorScale : HybridFusion.VectorScale.values()) {
      for (double alpha : alphas) {
        fusions.put(String.format("weighted %s/best a=%.1f", vectorScale, alpha), new HybridFusion.Weights(
          HybridFusion.Method.WEIGHTED_SCORES, alpha, vectorScale, HybridFusion.KeywordScale.BEST, 0, 60, 100, 0,
          0));
      }
    }
    if (sweep.equals("full")) {
      for (double half : new double[] {2, 5, 10}) {
        for (double alpha : alphas) {
          fusions.put(String.format("weighted cosine/sat(%.0f) a=%.1f", half, alpha), new HybridFusion.Weights(
            HybridFusion.Method.WEIGHTED_SCORES, alpha, HybridFusion.VectorScale.COSINE,
            HybridFusion.KeywordScale.SATURATING, half, 60, 100, 0, 0));
        }
      }
      for (int depth : new int[] {50, 100, 200}) {
        fusions.put("default, depth " + depth, new HybridFusion.Weights(base.method(), base.vectorWeight(),
          base.vectorScale(), base.keywordScale(), base.keywordHalf(), base.rrfK(), depth, base.nameBoost(),
          base.dateBoost()));
      }
    }
    if (sweep.equals("full") || sweep.equals("boosts")) {
      for (double name : new double[] {0, 0.05, 0.1, 0.2}) {
        for (double date : new double[] {0, 0.1, 0.2, 0.4}) {
          fusions.put(String.format("default, name +%.2f, date +%.2f", name, date), base.with(name, date));
        }
      }
    }
    if (sweep.equals("scales")) {
      fusions.clear();
      for (HybridFusion.VectorScale vectorScale : HybridFusion.VectorScale.values()) {
        for (HybridFusion.KeywordScale keywordScale : HybridFusion.KeywordScale.values()) {
          for (double alpha : new double[] {0.4, 0.5, 0.6, 0.7, 0.8}) {
            fusions.put(String.format("%s/%s a=%.2f, date +0.2", vectorScale, keywordScale, alpha),
              new HybridFusion.Weights(HybridFusion.Method.WEIGHTED_SCORES, alpha, vectorScale, keywordScale, 5, 60,
                100, 0, 0.2));
          }
        }
      }
    }
    if (sweep.equals("around")) {
      fusions.clear();
      for (double alpha : new double[] {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8}) {
        fusions.put(String.format("default, a=%.2f", alpha), new HybridFusion.Weights(base.method(), alpha,
          base.vectorScale(), base.keywordScale(), base.keywordHalf(), base.rrfK(), base.depth(), base.nameBoost(),
          base.dateBoost()));
      }
      for (int depth : new int[] {30, 50, 100, 200}) {
        fusions.put("default, depth " + depth, new HybridFusion.Weights(base.method(), base.vectorWeight(),
          base.vectorScale(), base.keywordScale(), base.keywordHalf(), base.rrfK(), depth, base.nameBoost(),
          base.dateBoost()));
      }
      for (double name : new double[] {0, 0.05, 0.1}) {
        for (double date : new double[] {0, 0.1, 0.2, 0.3}) {
          fusions.put(String.format("default, name +%.2f, date +%.2f", name, date), base.with(name, date));
        }
      }
    }
    fusions.put("DEFAULT", base);
    return fusions;
  }

  /** What the store would have handed over had it gathered only {@code depth} hits per ranking. */
  private static List<HybridFusion.Candidate> cut(List<HybridFusion.Candidate> candidates, int depth) {
    List<HybridFusion.Candidate> kept = new ArrayList<>();
    for (HybridFusion.Candidate c : candidates) {
      boolean byVector = c.vectorRank() > 0 && c.vectorRank() <= depth;
      boolean byKeyword = c.keywordRank() > 0 && c.keywordRank() <= depth;
      if (byVector || byKeyword) {
        kept.add(new HybridFusion.Candidate(c.id(), c.vector(), byVector ? c.vectorRank() : 0,
          byKeyword ? c.keyword() : null, byKeyword ? c.keywordRank() : 0, c.actorId(), c.createdAt()));
      }
    }
    return kept;
  }

  private static List<String> byRank(List<HybridFusion.Candidate> candidates, boolean vector) {
    return candidates.stream()
      .filter(c -> (vector ? c.vectorRank() : c.keywordRank()) > 0)
      .sorted(Comparator.comparingInt(c -> vector ? c.vectorRank() : c.keywordRank()))
      .map(HybridFusion.Candidate::id)
      .toList();
  }

  private static void row(String name, List<Asked> asked,
                          BiFunction<String, List<HybridFusion.Candidate>, List<String>> rank) {
    RetrievalScores scores = new RetrievalScores();
    for (Asked a : asked) {
      LinkedHashSet<String> retrieved = new LinkedHashSet<>();
      for (String id : rank.apply(a.question().text(), a.candidates())) {
        if (retrieved.size() >= RETRIEVED) {
          break;
        }
        retrieved.addAll(a.diaIds().getOrDefault(id, List.of()));
      }
      scores.add(a.question().category(), a.question().evidence(), new ArrayList<>(retrieved));
    }
    System.out.printf("%-48s %6.1f %6.1f %6.1f %6.1f %6.1f | %6.1f %6.1f %6.1f | %6.3f%n", name,
      100 * scores.recall("all", 1), 100 * scores.recall("all", 5), 100 * scores.recall("all", 10),
      100 * scores.recall("all", 25), 100 * scores.recall("all", 50), 100 * scores.recall("1-4", 5),
      100 * scores.recall("1-4", 10), 100 * scores.recall("1-4", 25), scores.mrr("all"));
  }

  private static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** Unit vectors by (purpose, text), kept in one append-only file per model. */
  private static final class VectorCache implements AutoCloseable {
    private final Map<String, float[]> vectors = new HashMap<>();
    private final DataOutputStream out;

    VectorCache(Path file) throws IOException {
      boolean torn = false;
      if (Files.exists(file)) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
          while (true) {
            String key;
            try {
              key = in.readUTF();
            } catch (EOFException end) {
              break;
            }
            float[] vector = new float[in.readInt()];
            for (int i = 0; i < vector.length; i++) {
              vector[i] = in.readFloat();
            }
            vectors.put(key, vector);
          }
        } catch (EOFException cutShort) {
          // An interrupted run left half a record: keep everything before it, and write the file afresh.
          torn = true;
        }
      }
      out = new DataOutputStream(new BufferedOutputStream(torn ? Files.newOutputStream(file)
        : Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)));
      if (torn) {
        for (Map.Entry<String, float[]> entry : vectors.entrySet()) {
          write(entry.getKey(), entry.getValue());
        }
      }
    }

    private void write(String key, float[] vector) throws IOException {
      out.writeUTF(key);
      out.writeInt(vector.length);
      for (float v : vector) {
        out.writeFloat(v);
      }
    }

    private static String key(EmbeddingProvider.Purpose purpose, String text) {
      return purpose.name().charAt(0) + ":" + text;
    }

    float[] get(EmbeddingProvider.Purpose purpose, String text) {
      float[] vector = vectors.get(key(purpose, text));
      return vector == null ? null : Arrays.copyOf(vector, vector.length);
    }

    void put(EmbeddingProvider.Purpose purpose, String text, float[] vector) {
      vectors.put(key(purpose, text), vector);
      try {
        write(key(purpose, text), vector);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
