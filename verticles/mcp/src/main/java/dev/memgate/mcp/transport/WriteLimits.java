package dev.memgate.mcp.transport;

/**
 * How much may be queued for a client that does not read, and for how long, on the transports that send over a
 * standing connection (WebSocket, legacy SSE streams).
 *
 * @param maxQueuedBytes     bytes of replies queued for a client; past it nothing more is read from it
 * @param slowClientMillis   how long the queue may stay full before the client is disconnected
 * @param pingIntervalMillis how often a WebSocket is pinged (and a peer that answered no ping is let go)
 */
record WriteLimits(int maxQueuedBytes, long slowClientMillis, long pingIntervalMillis) {
}
