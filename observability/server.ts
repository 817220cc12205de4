import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Readiness: resolves to the list of problems, empty when the process can do its work. */
  readiness: () => Promise<string[]>;
  /** More exposition text appended to /metrics, e.g. the Temporal SDK's own (already Prometheus text). */
  extraMetrics?: () => Promise<string>;
}

/**
 * The operators' listener, apart from the public API: `GET /metrics`
 * (Prometheus text), `/health` (the process is alive) and `/ready` (it can do
 * its work: 200, or 503 with the problems). Bound to 127.0.0.1 by default
 * (METRICS_HOST): metrics name routes and stages, which is nobody else's business.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET') return send(405, 'text/plain', 'method not allowed\n');
      if (path === '/metrics') {
        const text = (await options.registry.metrics()) + (options.extraMetrics ? await options.extraMetrics() : '');
        return send(200, options.registry.contentType, text);
      }
      if (path === '/health') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
      if (path === '/ready') {
        const problems = await options.readiness();
        return send(problems.length ? 503 : 200, 'application/json', JSON.stringify({ status: problems.length ? 'not_ready' : 'ready', problems }));
      }
      return send(404, 'text/plain', 'not found\n');
    })().catch((error: unknown) => send(500, 'text/plain', `${String(error)}\n`));

    function send(status: number, type: string, body: string) {
      if (response.headersSent) return;
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}
