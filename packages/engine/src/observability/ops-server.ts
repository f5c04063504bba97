import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../execution/clock.js';
import type { Logger } from '../internal/logger.js';
import type { KafkaPort } from '../kafka/kafka-port.js';
import type { LiveQuery } from './live-query.js';
import { liveRoute } from './live-routes.js';
import { metrics } from './metrics.js';

/** A readiness check: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<void>;

export interface OpsServerOptions {
  readonly port: number;
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

/**
 * The endpoints every long-running part serves: `/metrics` (Prometheus), `/healthz` (the
 * process is alive), `/readyz` (every check passes: Kafka, Redis, the query running); where
 * queries run, also the live page (`/`, `/query/<id>`) and its JSON (`/api/queries…`, see
 * live-routes.ts).
 */
export class OpsServer {
  private server: Server | null = null;

  constructor(private readonly options: OpsServerOptions) {}

  async start(): Promise<number> {
    const { log } = this.options;
    this.server = createServer((req, res) => {
      void this.handle(req.url ?? '/').then(({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      }).catch((err: unknown) => {
        log.error('ops endpoint failed', { err, url: req.url });
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.options.port, '0.0.0.0', resolve));
    const port = (this.server.address() as AddressInfo).port;
    log.info('serving the live page, /metrics, /healthz and /readyz', { port });
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
