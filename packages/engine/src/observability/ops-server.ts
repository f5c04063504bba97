import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors/config-error.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../internal/logger.js';
import { redactText, registerSecret } from '../internal/secrets.js';
import type { KafkaPort } from '../kafka/kafka-port.js';
import type { LiveQuery } from './live-query.js';
import { liveRoute } from './live-routes.js';
import { metrics } from './metrics.js';

/** A readiness check: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<void>;

export interface OpsServerOptions {
  readonly port: number;
  /** The address to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** When set, every path but /healthz and /readyz asks for it (Bearer, or Basic's password). */
  readonly token?: string;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly log: Logger;
  /** Extra JSON endpoints, e.g. `/progress`. */
  readonly json?: Readonly<Record<string, () => unknown>>;
  /** The queries of the process, where queries run: serves the live page and `/api/queries`. */
  readonly live?: () => readonly LiveQuery[];
  readonly clock?: Clock;
}

/** The readiness checks of every part: Redis answers PING, Kafka lists its topics. */
export function stackChecks(redis: { ping(): Promise<unknown> }, kafka: KafkaPort): Record<string, ReadinessCheck> {
  return {
    redis: async () => {
      await redis.ping();
    },
    kafka: async () => {
      const admin = await kafka.admin();
      try {
        await admin.listTopics();
      } finally {
        await admin.close();
      }
    },
  };
}

function withTimeout(check: ReadinessCheck, ms: number): Promise<void> {
  return Promise.race([check(), new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}

/** Paths a probe reaches without the token: liveness and readiness say nothing secret. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

/** Whether the request carries the token: `Bearer <token>`, or Basic with it as the password (browsers). */
export function authorized(headers: IncomingHttpHeaders, token: string): boolean {
  const header = headers.authorization ?? '';
  let given: string | null = null;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer !== null) given = bearer[1]?.trim() ?? null;
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic !== null) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    given = decoded.slice(decoded.indexOf(':') + 1);
  }
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The endpoints every long-running part serves: `/metrics` (Prometheus), `/healthz` (the
 * process is alive), `/readyz` (every check passes: Kafka, Redis, the query running); where
 * queries run, also the live page (`/`, `/query/<id>`) and its JSON (`/api/queries…`, see
 * live-routes.ts). It listens on loopback unless told otherwise, asks for a bearer token when
 * one is configured, and every answer goes through the redaction of secrets.
 */
export class OpsServer {
  private server: Server | null = null;

  constructor(private readonly options: OpsServerOptions) {}

  /** Listens; a port in use fails with a ConfigError naming the key and the port. */
  async start(): Promise<number> {
    const { log } = this.options;
    const host = this.options.host ?? '127.0.0.1';
    const token = this.options.token ?? '';
    registerSecret(token);
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (token !== '' && !OPEN_PATHS.has(path) && !authorized(req.headers, token)) {
        // Basic first: a browser asks for it (any user name, the token as password).
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': ['Basic realm="sluice"', 'Bearer realm="sluice"'] });
        res.end('unauthorized: send Authorization: Bearer <SLUICE_METRICS_TOKEN>\n');
        return;
      }
      void this.handle(req.url ?? '/').then(({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type });
        res.end(redactText(body));
      }).catch((err: unknown) => {
        log.error('ops endpoint failed', { err, url: req.url });
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
          const why = err.code === 'EADDRINUSE' ? `${host}:${this.options.port} is in use by another process`
            : err.code === 'EACCES' ? `${host}:${this.options.port} needs privileges` : `${host} is not an address of this machine`;
          const key = err.code === 'EADDRNOTAVAIL' ? 'metrics.host (env SLUICE_METRICS_HOST)' : 'metrics.port (env SLUICE_METRICS_PORT)';
          reject(new ConfigError(key, err.code === 'EADDRNOTAVAIL' ? host : this.options.port, `a free port on an address of this machine (${why}; port 0 picks a free one)`));
        } else {
          reject(err);
        }
      });
      server.listen(this.options.port, host, resolve);
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    log.info('serving the live page, /metrics, /healthz and /readyz', { host, port, token: token !== '' });
    return port;
  }

  private async handle(url: string): Promise<{ status: number; type: string; body: string }> {
    const path = url.split('?')[0] ?? '/';
    if (path === '/metrics') {
      const registry = metrics().registry;
      return { status: 200, type: registry.contentType, body: await registry.metrics() };
    }
    if (path === '/healthz') return { status: 200, type: 'text/plain', body: 'ok\n' };
    const live = this.options.live;
    if (live !== undefined) {
      const routed = liveRoute(path, live(), (this.options.clock ?? systemClock).now());
      if (routed !== null) return routed;
    }
    if (path === '/readyz') {
      const results: Record<string, string> = {};
      let ready = true;
      for (const [name, check] of Object.entries(this.options.checks)) {
        try {
          await withTimeout(check, 2000);
          results[name] = 'ok';
        } catch (err) {
          ready = false;
          results[name] = (err as Error).message;
        }
      }
      return { status: ready ? 200 : 503, type: 'application/json', body: `${JSON.stringify({ ready, checks: results })}\n` };
    }
    const json = this.options.json?.[path];
    if (json !== undefined) return { status: 200, type: 'application/json', body: `${JSON.stringify(json(), null, 2)}\n` };
    return { status: 404, type: 'text/plain', body: 'not found\n' };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
