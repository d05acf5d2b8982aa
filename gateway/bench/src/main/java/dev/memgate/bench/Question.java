package dev.memgate.bench;

/** One search: a query scoped to one user, asked about the fact {@code sourceKey} (see {@link Fact#key()}). */
record Question(String userId, String text, String sourceKey) {
}
