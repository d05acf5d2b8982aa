package dev.memgate.gateway.fuzz;

/** REST: each request on a connection of its own (HTTP/1.1 as raw bytes), checked by the oracle. */
final class RestLane extends Lane {
  RestLane(FuzzRun run, int quota, int workers) {
    super(run, "rest", quota, workers);
  }

  @Override
  Worker worker() {
    return index -> {
      HttpCase request = run.rest.next(run.dice(name, index), index);
      run.findings.sent(name);
      long started = System.nanoTime();
      HttpAnswer answer = run.http.exchange(run.restPort, request);
      run.findings.took(name, request.shape(), (System.nanoTime() - started) / 1_000_000);
      run.findings.outcome(name, answer.status() == 0 ? "no-answer" : Integer.toString(answer.status()));
      for (String problem : Oracle.rest(request, answer)) {
        fail(request.shape(), problem, request.excerpt(), FuzzRun.describe(answer));
      }
      if (request.probe() != null && answer.status() >= 400) {
        run.refusedProbes.put(request.probe(), request.shape() + " -> " + answer.status());
      }
    };
  }
}
