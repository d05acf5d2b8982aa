package dev.memgate.graph.store;

import dev.memgate.contract.Fields;
import dev.memgate.contract.Scope;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Cypher statement of the graph store. Values always travel as parameters; the only text ever assembled is
 * from the constants here (which scope ids a read names, which validity rule applies). Relation names come from
 * the LLM, so they are a property ({@code name}) of one fixed relationship type, never a type of their own.
 *
 * <p>Data model: {@code (:MemgateEntity {id, name, type, embedding, mentions, scope, user_id?, agent_id?, run_id?,
 * created_at, updated_at})-[:MEMGATE_RELATION {id, name, text, embedding, mentions, sources (memory ids), adds (add
 * ids), created_at, updated_at, valid_from?, valid_to?, invalidated_at?, invalidated_by?, scope, user_id?, ...}]->
 * (:MemgateEntity)}, and {@code (:MemgateOp {id, node})}: the outbox entry being applied, so that a replay after a
 * crash does not apply it twice. Only these labels are ever touched, so a shared Neo4j keeps its other data.
 */
public final class Cypher {
  static final String ENTITY = "MemgateEntity";
  static final String RELATION = "MEMGATE_RELATION";

  static final List<String> SCHEMA = List.of(
    "CREATE INDEX memgate_entity_id IF NOT EXISTS FOR (e:MemgateEntity) ON (e.id)",
    "CREATE INDEX memgate_entity_scope IF NOT EXISTS FOR (e:MemgateEntity) ON (e.scope)",
    "CREATE INDEX memgate_entity_user IF NOT EXISTS FOR (e:MemgateEntity) ON (e.user_id)",
    "CREATE INDEX memgate_entity_agent IF NOT EXISTS FOR (e:MemgateEntity) ON (e.agent_id)",
    "CREATE INDEX memgate_entity_run IF NOT EXISTS FOR (e:MemgateEntity) ON (e.run_id)",
    "CREATE INDEX memgate_relation_id IF NOT EXISTS FOR ()-[r:MEMGATE_RELATION]-() ON (r.id)",
    "CREATE INDEX memgate_relation_scope IF NOT EXISTS FOR ()-[r:MEMGATE_RELATION]-() ON (r.scope)",
    "CREATE INDEX memgate_op_id IF NOT EXISTS FOR (o:MemgateOp) ON (o.id)");

  static final String PING = "RETURN 1";

  // ---- applying an outbox entry once ------------------------------------------------------------------------------

  static final String OP_APPLIED = "MATCH (o:MemgateOp {id: $op}) RETURN count(o) AS applied";
  /** Entries are applied one at a time per node: the marker of an earlier one is no longer needed. */
  static final String OP_MARK = """
    OPTIONAL MATCH (old:MemgateOp {node: $node}) DELETE old
    WITH count(*) AS ignored
    CREATE (:MemgateOp {id: $op, node: $node, at: $at})""";

  // ---- entities ----------------------------------------------------------------------------------------------------

  /**
   * Candidates of the same exact scope for each new name: the same name, or a name whose embedding is close. The
   * similarity is the plain cosine, computed here from Neo4j's normalised one ((1 + cos) / 2).
   */
  static final String ENTITY_CANDIDATES = """
    UNWIND range(0, size($entities) - 1) AS i
    WITH i, $entities[i] AS ent
    MATCH (c:MemgateEntity {scope: $scope})
    WITH i, c, CASE WHEN c.name = ent.name THEN 2.0
      ELSE 2 * vector.similarity.cosine(c.embedding, ent.vector) - 1 END AS sim
    WHERE sim >= $threshold
    RETURN i, c.id AS id, c.name AS name, sim
    ORDER BY i, sim DESC""";

  static final String ENTITY_UPSERT = """
    UNWIND $entities AS ent
    MERGE (e:MemgateEntity {id: ent.id})
    ON CREATE SET e.name = ent.name, e.type = ent.type, e.embedding = ent.vector, e.scope = $scope,
      e.user_id = $user_id, e.agent_id = $agent_id, e.run_id = $run_id, e.created_at = $at, e.mentions = 0
    SET e.mentions = e.mentions + 1, e.updated_at = $at""";

  // ---- relations ---------------------------------------------------------------------------------------------------

  static final String RELATIONS_VALID_BETWEEN = """
    UNWIND $relations AS rel
    MATCH (s:MemgateEntity {id: rel.source})-[r:MEMGATE_RELATION {name: rel.name}]->(d:MemgateEntity {id: rel.target})
    WHERE r.invalidated_at IS NULL
    RETURN rel.key AS key, r.id AS id""";

  static final String RELATIONS_REAFFIRM = """
    UNWIND $relations AS rel
    MATCH ()-[r:MEMGATE_RELATION {id: rel.id}]->()
    SET r.mentions = r.mentions + 1, r.updated_at = $at,
      r.sources = r.sources + [m IN rel.sources WHERE NOT m IN r.sources],
      r.adds = r.adds + [$op],
      r.valid_from = coalesce(r.valid_from, rel.valid_from)""";

  static final String RELATIONS_CREATE = """
    UNWIND $relations AS rel
    MATCH (s:MemgateEntity {id: rel.source}), (d:MemgateEntity {id: rel.target})
    CREATE (s)-[r:MEMGATE_RELATION {id: rel.id, name: rel.name, text: rel.text, embedding: rel.vector,
      created_at: $at, updated_at: $at, valid_from: rel.valid_from, mentions: 1, sources: rel.sources, adds: [$op],
      scope: $scope, user_id: $user_id, agent_id: $agent_id, run_id: $run_id}]->(d)""";

  /** Never deleted: a contradicted relation keeps its history and stops being valid. */
  static final String RELATIONS_INVALIDATE = """
    UNWIND $relations AS rel
    MATCH (s:MemgateEntity)-[r:MEMGATE_RELATION {id: rel.id}]->(d:MemgateEntity)
    WHERE r.scope = $scope AND r.invalidated_at IS NULL
    SET r.valid_to = CASE WHEN rel.valid_to IS NOT NULL AND rel.valid_to > coalesce(r.valid_from, '')
        THEN rel.valid_to ELSE $at END,
      r.invalidated_at = $at, r.invalidated_by = $op, r.updated_at = $at
    RETURN s.name AS source, r.name AS relationship, d.name AS destination, r.valid_from AS valid_from,
      r.valid_to AS valid_to, r.invalidated_at AS invalidated_at, r.invalidated_by AS invalidated_by""";

  /**
   * Valid relations touching the given entities that a new relation may contradict: the same name from the same
   * source, or a close meaning (cosine of the relation texts).
   */
  static final String RELATED = """
    UNWIND $relations AS rel
    MATCH (s:MemgateEntity)-[r:MEMGATE_RELATION]->(d:MemgateEntity)
    WHERE r.scope = $scope AND r.invalidated_at IS NULL AND (s.id IN rel.ends OR d.id IN rel.ends)
      AND NOT (s.id = rel.source AND d.id = rel.target AND r.name = rel.name)
    WITH r, s, d, max(CASE WHEN r.name = rel.name AND s.id = rel.source THEN 2.0
      ELSE 2 * vector.similarity.cosine(r.embedding, rel.vector) - 1 END) AS sim
    WHERE sim >= $threshold
    RETURN r.id AS id, s.name AS source, r.name AS relationship, d.name AS destination, r.valid_from AS valid_from,
      r.created_at AS created_at, sim
    ORDER BY sim DESC LIMIT $limit""";

  // ---- deletion ----------------------------------------------------------------------------------------------------

  /** A memory's contribution: it leaves every relation's sources; a relation with no source left goes. */
  static final String FORGET_MEMORY = """
    MATCH ()-[r:MEMGATE_RELATION]->()
    WHERE r.scope = $scope AND $memory IN r.sources
    SET r.sources = [m IN r.sources WHERE m <> $memory]
    WITH r WHERE size(r.sources) = 0
    DELETE r
    RETURN count(*) AS removed""";

  static final String DELETE_ORPHANS = """
    MATCH (e:MemgateEntity {scope: $scope})
    WHERE NOT (e)--()
    DELETE e
    RETURN count(*) AS removed""";

  static final String RESET = "MATCH (e:MemgateEntity) DETACH DELETE e";
  static final String RESET_OPS = "MATCH (o:MemgateOp) DELETE o";

  static final String COUNT_NODES = "MATCH (e:MemgateEntity) RETURN count(e) AS n";
  static final String COUNT_RELATIONS = "MATCH ()-[r:MEMGATE_RELATION]->() RETURN count(r) AS n";

  private Cypher() {
  }

  // ---- assembled from constants only -------------------------------------------------------------------------------

  /** "x.user_id = $user_id AND ..." for the ids the scope gives (read semantics: every given id equals). */
  static String covers(Scope scope, String alias) {
    List<String> parts = new ArrayList<>();
    if (scope.userId() != null) {
      parts.add(alias + "." + Fields.USER_ID + " = $" + Fields.USER_ID);
    }
    if (scope.agentId() != null) {
      parts.add(alias + "." + Fields.AGENT_ID + " = $" + Fields.AGENT_ID);
    }
    if (scope.runId() != null) {
      parts.add(alias + "." + Fields.RUN_ID + " = $" + Fields.RUN_ID);
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a graph read needs a scope");
    }
    return String.join(" AND ", parts);
  }

  /** Which relations a read returns: currently valid ones, those valid at {@code $as_of}, or all. */
  static String validity(Validity validity, String alias) {
    return switch (validity) {
      case CURRENT -> alias + ".invalidated_at IS NULL";
      case AS_OF -> "coalesce(" + alias + ".valid_from, " + alias + ".created_at) <= $as_of AND (" + alias
        + ".valid_to IS NULL OR " + alias + ".valid_to > $as_of)";
      case ALL -> "true";
    };
  }

  static String deleteScope(Scope scope) {
    return "MATCH (e:MemgateEntity) WHERE " + covers(scope, "e") + " DETACH DELETE e RETURN count(*) AS removed";
  }

  /**
   * Relations around the query's entities (matched by exact name, or by the embedding of a query name) plus the
   * relations whose meaning is closest to the query itself; each with its cosine to the query.
   */
  static String searchCandidates(Scope scope, Validity validity) {
    return """
      CALL {
        MATCH (e:MemgateEntity)
        WHERE %1$s AND (e.name IN $names OR (size($vectors) > 0 AND
          reduce(best = -1.0, v IN $vectors | CASE WHEN 2 * vector.similarity.cosine(e.embedding, v) - 1 > best
            THEN 2 * vector.similarity.cosine(e.embedding, v) - 1 ELSE best END) >= $threshold))
        WITH e LIMIT 50
        MATCH (e)-[r:MEMGATE_RELATION]-()
        WHERE %2$s
        RETURN DISTINCT r
        LIMIT $neighbourhood
        UNION
        MATCH ()-[r:MEMGATE_RELATION]->()
        WHERE %3$s AND %2$s
        WITH r, vector.similarity.cosine(r.embedding, $query) AS sim
        ORDER BY sim DESC LIMIT $closest
        RETURN r
      }
      WITH DISTINCT r
      RETURN r.id AS id, startNode(r).name AS source, r.name AS relationship, endNode(r).name AS destination,
        r.valid_from AS valid_from, r.valid_to AS valid_to, r.created_at AS created_at,
        r.invalidated_at AS invalidated_at, r.invalidated_by AS invalidated_by,
        2 * vector.similarity.cosine(r.embedding, $query) - 1 AS semantic"""
      .formatted(covers(scope, "e"), validity(validity, "r"), covers(scope, "r"));
  }

  static String exportNodes(Scope scope) {
    return "MATCH (e:MemgateEntity) WHERE " + covers(scope, "e") + """
       RETURN e.id AS id, e.name AS name, e.type AS type, e.mentions AS mentions, e.created_at AS created_at,
        e.updated_at AS updated_at, e.user_id AS user_id, e.agent_id AS agent_id, e.run_id AS run_id
      ORDER BY e.created_at, e.id LIMIT $limit""";
  }

  static String exportEdges(Scope scope) {
    return "MATCH (s:MemgateEntity)-[r:MEMGATE_RELATION]->(d:MemgateEntity) WHERE " + covers(scope, "r") + """
       RETURN r.id AS id, s.id AS source_id, d.id AS target_id, s.name AS source, r.name AS relationship,
        d.name AS destination, r.mentions AS mentions, r.sources AS memory_ids, r.created_at AS created_at,
        r.updated_at AS updated_at, r.valid_from AS valid_from, r.valid_to AS valid_to,
        r.invalidated_at AS invalidated_at, r.invalidated_by AS invalidated_by
      ORDER BY r.created_at, r.id LIMIT $limit""";
  }

  /** Which relations a read returns. */
  public enum Validity { CURRENT, AS_OF, ALL }
}
