package dev.memgate.bench.locomo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LoCoMo data set (snap-research/LoCoMo): conversations of sessions of turns, and questions whose evidence names
 * the turns (dia_id) that answer them. Evidence strings are normalised as the reference notes prescribe.
 */
public final class LocomoData {
  /** Tuning happens on these only. */
  public static final List<String> TUNE = List.of("conv-26", "conv-30", "conv-41", "conv-42", "conv-43");
  /** Reported separately, never tuned on. */
  public static final List<String> HOLDOUT = List.of("conv-44", "conv-47", "conv-48", "conv-49", "conv-50");

  private static final Pattern EVIDENCE = Pattern.compile("D:?(\\d+):0*(\\d+)");

  public record Turn(String diaId, String speaker, String text, String caption, int session, String sessionDate) {
  }

  public record Question(String text, List<String> evidence, int category) {
  }

  public record Conversation(String id, List<Turn> turns, List<Question> questions) {
  }

  private LocomoData() {
  }

  public static List<Conversation> load(Path file, List<String> ids) throws IOException {
    JsonArray samples = new JsonArray(Files.readString(file));
    List<Conversation> conversations = new ArrayList<>();
    for (Object item : samples) {
      JsonObject sample = (JsonObject) item;
      String id = sample.getString("sample_id");
      if (!ids.contains(id)) {
        continue;
      }
      JsonObject conversation = sample.getJsonObject("conversation");
      List<Turn> turns = new ArrayList<>();
      for (int session = 1; conversation.containsKey("session_" + session); session++) {
        String date = conversation.getString("session_" + session + "_date_time");
        for (Object t : conversation.getJsonArray("session_" + session)) {
          JsonObject turn = (JsonObject) t;
          turns.add(new Turn(turn.getString("dia_id"), turn.getString("speaker"), turn.getString("text"),
            turn.getString("blip_caption"), session, date));
        }
      }
      Set<String> known = new LinkedHashSet<>();
      turns.forEach(t -> known.add(t.diaId()));
      List<Question> questions = new ArrayList<>();
      for (Object q : sample.getJsonArray("qa")) {
        JsonObject qa = (JsonObject) q;
        questions.add(new Question(qa.getString("question"), normalise(qa.getJsonArray("evidence"), known),
          qa.getInteger("category")));
      }
      conversations.add(new Conversation(id, turns, questions));
    }
    conversations.sort((a, b) -> Integer.compare(ids.indexOf(a.id()), ids.indexOf(b.id())));
    return conversations;
  }

  /** Splits malformed entries ("D8:6; D9:17", "D:11:26", "D30:05"), and drops ids that name no turn. */
  static List<String> normalise(JsonArray evidence, Set<String> known) {
    Set<String> ids = new LinkedHashSet<>();
    for (Object raw : evidence == null ? new JsonArray() : evidence) {
      for (String part : String.valueOf(raw).split("[;,\\s]+")) {
        Matcher m = EVIDENCE.matcher(part.strip());
        if (m.matches()) {
          String id = "D" + Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
          if (known.contains(id)) {
            ids.add(id);
          }
        }
      }
    }
    return List.copyOf(ids);
  }
}
