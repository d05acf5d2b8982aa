// Drives Memgate with the official MCP TypeScript SDK client, the way an assistant would:
// connect (initialize), list every tool page, remember a fact, find it by meaning, forget it, check it is gone.
//
//   node --experimental-websocket client.mjs http  http://127.0.0.1:8765/mcp
//   node --experimental-websocket client.mjs sse   http://127.0.0.1:8765/sse
//   node --experimental-websocket client.mjs ws    ws://127.0.0.1:8765/mcp/ws
//   node --experimental-websocket client.mjs stdio java -jar gateway/target/memgate.jar --stdio
//
// MEMGATE_TEST_USER names the user (sent as capabilities.experimental.memgate.user_id in initialize);
// MEMGATE_TEST_BEARER, when set, is sent as "Authorization: Bearer" over Streamable HTTP.
// Prints one JSON object per step on stdout (McpTypeScriptClientIT reads them); exits 1 on any failure.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';

const [kind, target, ...rest] = process.argv.slice(2);
const user = process.env.MEMGATE_TEST_USER ?? 'ts-sdk-user';
const report = (step, fields = {}) => console.log(JSON.stringify({ step, ...fields }));

function transportFor() {
  switch (kind) {
    // MEMGATE_TEST_BEARER: an access token sent on every request, as an OAuth-capable client sends the one it got.
    case 'http': return new StreamableHTTPClientTransport(new URL(target), process.env.MEMGATE_TEST_BEARER
      ? { requestInit: { headers: { Authorization: `Bearer ${process.env.MEMGATE_TEST_BEARER}` } } } : undefined);
    case 'sse': return new SSEClientTransport(new URL(target));
    case 'ws': return new WebSocketClientTransport(new URL(target));
    // The SDK passes only a few safe variables to the child unless told otherwise; the test sets MEMGATE_*.
    case 'stdio':
      return new StdioClientTransport({ command: target, args: rest, env: { ...process.env }, stderr: 'inherit' });
    default: throw new Error(`unknown transport ${kind}`);
  }
}

// Notes the protocol revision the server chose, from its initialize answer.
function watchNegotiation(transport, onVersion) {
  const start = transport.start.bind(transport);
  transport.start = async () => {
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (message?.result?.protocolVersion) onVersion(message.result.protocolVersion);
      deliver?.(message, extra);
    };
    return start();
  };
}

function textOf(result) {
  return result.content?.filter(c => c.type === 'text').map(c => c.text).join('\n');
}

try {
  const transport = transportFor();
  let negotiated;
  watchNegotiation(transport, v => { negotiated = v; });
  const client = new Client({ name: 'memgate-ts-sdk-test', version: '1.0.0' },
    { capabilities: { experimental: { memgate: { user_id: user } } } });
  await client.connect(transport);
  report('initialize', {
    protocolVersion: negotiated,
    serverInfo: client.getServerVersion(),
    instructions: client.getInstructions() ?? null,
    capabilities: client.getServerCapabilities(),
  });

  const tools = [];
  let cursor;
  let pages = 0;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  report('tools', {
    pages,
    names: tools.map(t => t.name),
    readOnly: tools.filter(t => t.annotations?.readOnlyHint).map(t => t.name),
    destructive: tools.filter(t => t.annotations?.destructiveHint).map(t => t.name),
    withOutputSchema: tools.filter(t => t.outputSchema).map(t => t.name),
  });

  const fact = `My ${kind} test sailboat is called Quiet Harbour`;
  const added = await client.callTool({ name: 'add_memories', arguments: { text: fact, infer: false } });
  const memoryId = added.structuredContent?.results?.[0]?.id;
  report('add', { isError: added.isError ?? false, id: memoryId, text: textOf(added) });

  // callTool checks structuredContent against the tool's output schema: a mismatch would throw here.
  const question = 'what is the name of my boat?';
  const found = await client.callTool({ name: 'search_memory', arguments: { query: question, limit: 5 } });
  report('search', {
    isError: found.isError ?? false,
    ids: found.structuredContent.results.map(r => r.id),
    memories: found.structuredContent.results.map(r => r.memory),
    users: [...new Set(found.structuredContent.results.map(r => r.user_id))],
    textMatchesStructured: JSON.stringify(JSON.parse(textOf(found))) === JSON.stringify(found.structuredContent),
  });

  const bad = await client.callTool({ name: 'search_memory', arguments: { query: 'boat', limit: 'ten' } });
  report('bad-arguments', { isError: bad.isError ?? false, text: textOf(bad) });

  const deleted = await client.callTool({ name: 'delete_memories', arguments: { memory_ids: [memoryId] } });
  report('delete', { isError: deleted.isError ?? false, deleted: deleted.structuredContent?.deleted });

  const after = await client.callTool({ name: 'search_memory', arguments: { query: question } });
  report('search-after-delete', { ids: after.structuredContent.results.map(r => r.id) });

  await client.ping();
  report('ping');
  await client.close();
  report('done');
  process.exit(0);
} catch (err) {
  report('error', { message: String(err?.stack ?? err) });
  process.exit(1);
}
