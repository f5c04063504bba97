import { connect, createServer, type Socket } from 'node:net';
import type { Row, Schema } from '../api/types.js';
import type { Clock } from '../execution/clock.js';
import type { Logger } from '../internal/logger.js';
import type { KafkaProducer, OutgoingRecord } from '../kafka/kafka-port.js';
import { metrics } from '../observability/metrics.js';
import { encodeSourceRow } from './source-records.js';

export interface SocketIngestOptions {
  readonly host: string;
  readonly port: number;
  readonly includeTimestamp: boolean;
  /** Listen for line clients instead of connecting to a line server. */
  readonly listen?: boolean;
  readonly schema: Schema;
  readonly topic: string;
  readonly queryId: string;
  readonly producer: KafkaProducer;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Called once, when the source first connects (or listens): from then on it has an offset,
   * and batch 0 can run (empty: Spark connects while it plans batch 0).
   */
  readonly onReady?: () => Promise<void>;
}

export interface SocketIngestStats {
  /** Connections made so far (bounded triggers wait for the first). */
  connections: number;
}

const MAX_BACKOFF_MS = 5000;

/**
 * The socket source as Spark's: a TCP client of a line server (`nc -lk <port>`). Each line
 * (terminator stripped, UTF-8) becomes one record of the source topic, in arrival order.
 * When the server is away or closes the connection, it reconnects with backoff.
 */
export class SocketIngest {
  readonly stats: SocketIngestStats = { connections: 0 };
  private socket: Socket | null = null;
  private stopped = false;
  private pending: OutgoingRecord[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private lastDataAt = 0;
  private ready: Promise<void> | null = null;

  constructor(private readonly options: SocketIngestOptions) {}

  start(): void {
    this.loop = this.options.listen === true ? this.listenLoop() : this.connectLoop();
  }

  /**
   * Listen mode (a Sluice extension, `option("listen", true)`): the ingest is the line server and
   * every client that connects (`nc <host> <port>`) sends lines, as to a deployed ingest service.
   */
  private async listenLoop(): Promise<void> {
    const { host, port, log } = this.options;
    const clients = new Set<Socket>();
    const server = createServer((socket) => {
      clients.add(socket);
      void this.attach(socket).then(() => clients.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    log.info('socket source listening', { host, port });
    this.reportReady();
    await new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    for (const c of clients) c.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async connectLoop(): Promise<void> {
    const { host, port, log, clock } = this.options;
    let backoff = 100;
    while (!this.stopped) {
      const connected = await this.runConnection();
      if (this.stopped) break;
      if (connected) backoff = 100;
      log.warn(connected ? 'socket source connection closed; reconnecting' : 'socket source cannot connect; retrying', {
        host, port, retryInMs: backoff,
      });
      await clock.sleep(backoff, this.abort.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /** Resolves when the connection ends; true if it had connected. */
  private async runConnection(): Promise<boolean> {
    const { host, port, log } = this.options;
    let connected = false;
    const socket = connect({ host, port });
    this.socket = socket;
    socket.on('connect', () => {
      connected = true;
      log.info('socket source connected', { host, port });
      this.reportReady();
    });
    await this.attach(socket, () => connected);
    this.socket = null;
    return connected;
  }

  /** Reads lines from one connection until it closes. */
  private attach(socket: Socket, isConnected: () => boolean = () => true): Promise<void> {
    const { host, port, log } = this.options;
    return new Promise((resolve) => {
      let partial = '';
      socket.setEncoding('utf8');
      const counted = (): void => {
        this.stats.connections += 1;
        metrics().ingestConnections.inc({ query: this.options.queryId });
      };
      if (socket.connecting) socket.once('connect', counted);
      else counted();
      socket.on('data', (chunk: string) => {
        this.lastDataAt = this.options.clock.now();
        metrics().ingestBytes.inc({ query: this.options.queryId, format: 'socket' }, Buffer.byteLength(chunk, 'utf8'));
        const text = partial + chunk;
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.accept(line.endsWith('\r') ? line.slice(0, -1) : line);
      });
      socket.on('error', (err) => {
        if (isConnected()) log.warn('socket source error', { err, host, port });
      });
      socket.on('close', () => {
        if (partial.length > 0) this.accept(partial);
        resolve();
      });
    });
  }

  /** Reports, once, that the source has its first offset. */
  private reportReady(): void {
    if (this.ready !== null || this.options.onReady === undefined) return;
    this.ready = this.options.onReady().catch((err: unknown) => {
      this.options.log.error('socket source cannot report its first offset', { err });
    });
  }

  private accept(line: string): void {
    const { schema, includeTimestamp, clock } = this.options;
    const row: Row = includeTimestamp ? [line, clock.now() * 1000] : [line];
    metrics().ingestRecords.inc({ query: this.options.queryId, format: 'socket' });
    this.pending.push({ value: encodeSourceRow(schema, row) });
    if (this.pending.length === 1) {
      // Coalesce the lines of one read into one produce request, keeping their order.
      queueMicrotask(() => this.scheduleFlush());
    }
  }

  private scheduleFlush(): void {
    this.flushing = this.flushing.then(() => this.flush());
  }

  private async flush(): Promise<void> {
    const records = this.pending;
    if (records.length === 0) return;
    this.pending = [];
    try {
      await this.options.producer.send(this.options.topic, records);
      this.options.log.debug('wrote lines to the source topic', { topic: this.options.topic, lines: records.length });
    } catch (err) {
      this.options.log.error('socket source cannot write to the source topic', { err, topic: this.options.topic, lost: records.length });
    }
  }

  /**
   * For bounded triggers (once, availableNow): resolves once the server is connected, has
   * been quiet for `quietMs` (what it had to send on connect has arrived), and those lines are
   * in the source topic; at most `maxMs` after the call.
   */
  async awaitSettled(quietMs = 250, maxMs = 5000): Promise<void> {
    const { clock } = this.options;
    const deadline = clock.now() + maxMs;
    while (clock.now() < deadline) {
      const quiet = clock.now() - Math.max(this.lastDataAt, 0) >= quietMs;
      if (this.stats.connections > 0 && quiet && this.pending.length === 0) break;
      await clock.sleep(25, this.abort.signal);
    }
    await this.ready;
    await this.flushing;
  }

  /** Stops reading, writes what was already read, and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.socket?.destroy();
    await this.loop;
    this.scheduleFlush();
    await this.flushing;
  }
}
