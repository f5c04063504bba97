import { connect, createServer, type Socket } from 'node:net';
import type { Row, Schema } from '../../core/types.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../../config/ingest-config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../internal/logger.js';
import type { KafkaProducer } from '../../kafka/kafka-port.js';
import { metrics } from '../../observability/metrics.js';
import { LineSplitter } from './line-splitter.js';
import { encodeSourceRow } from '../source-records.js';
import { SourceTopicWriter } from './source-topic-writer.js';

export interface SocketIngestOptions {
  readonly host: string;
  readonly port: number;
  readonly includeTimestamp: boolean;
  /** Listen for line clients instead of connecting to a line server. */
  readonly listen?: boolean;
  /** Listen mode: the address bound; loopback unless told otherwise (option bindAddress). */
  readonly bindAddress?: string;
  readonly schema: Schema;
  readonly topic: string;
  readonly queryId: string;
  readonly producer: KafkaProducer;
  readonly clock: Clock;
  readonly log: Logger;
  readonly limits?: IngestLimits;
  /**
   * Called once, when the source first connects (or listens): from then on it has an offset,
   * and batch 0 can run (empty: Spark connects while it plans batch 0).
   */
  readonly onReady?: () => Promise<void>;
}

export interface SocketIngestStats {
  /** Connections made (or accepted) so far (bounded triggers wait for the first). */
  connections: number;
  /** Complete lines read, rejected ones included: written + rejected + unwritten in the end. */
  lines: number;
  /** Line clients refused (listen mode, ingest.maxConnections). */
  refused: number;
}

export const LOOPBACK = '127.0.0.1';
const MAX_BACKOFF_MS = 5000;
const REFUSED_LOG_EVERY_MS = 10_000;

/**
 * The socket source as Spark's: a TCP client of a line server (`nc -lk <port>`). Each line
 * (ended by LF, CR or CR LF, as BufferedReader.readLine; UTF-8) becomes one record of the
 * source topic, in arrival order. When the server is away or closes the connection, it
 * reconnects with backoff. Reading pauses while the source topic's writer holds its limit of
 * records not yet acknowledged by Kafka, so a fast sender is slowed by TCP, not dropped.
 */
export class SocketIngest {
  readonly stats: SocketIngestStats = { connections: 0, lines: 0, refused: 0 };
  private readonly writer: SourceTopicWriter;
  private readonly limits: IngestLimits;
  private readonly sockets = new Set<Socket>();
  private socket: Socket | null = null;
  private stopped = false;
  private paused = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private lastDataAt = 0;
  private ready: Promise<void> | null = null;
  private lastRefusedLogAt = Number.NEGATIVE_INFINITY;
  private rejectFailed: (err: unknown) => void = () => undefined;
  /** Rejects when the source cannot go on: its port cannot be bound, or Kafka past ingest.deliveryTimeoutMs. */
  readonly failed: Promise<never>;

  constructor(private readonly options: SocketIngestOptions) {
    this.limits = options.limits ?? DEFAULT_INGEST_LIMITS;
    this.writer = new SourceTopicWriter({
      topic: options.topic, queryId: options.queryId, format: 'socket', producer: options.producer,
      limits: this.limits, clock: options.clock, log: options.log,
    });
    this.failed = new Promise<never>((_, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => undefined);
  }

  /** For /readyz: why the source topic cannot be written now, or null. */
  problem(): string | null {
    return this.writer.problem();
  }

  start(): void {
    this.loop = (this.options.listen === true ? this.listenLoop() : this.connectLoop()).catch((err: unknown) => {
      this.options.log.error('socket source cannot listen', { err, port: this.options.port });
      this.rejectFailed(err);
    });
    this.writer.failed.catch((err: unknown) => {
      this.closeSockets();
      this.rejectFailed(err);
    });
  }

  /**
   * Listen mode (a Sluice extension, `option("listen", true)`): the ingest is the line server and
   * every client that connects (`nc <host> <port>`) sends lines, as to a deployed ingest service.
   * It binds loopback unless option bindAddress names another address, and serves at most
   * ingest.maxConnections clients at once.
   */
  private async listenLoop(): Promise<void> {
    const { host, port, log } = this.options;
    const bindAddress = this.options.bindAddress ?? LOOPBACK;
    const server = createServer((socket) => {
      void this.attach(socket);
    });
    server.maxConnections = this.limits.maxConnections;
    server.on('drop', (data) => this.refused(data?.remoteAddress));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, bindAddress, () => resolve());
    });
    log.info('socket source listening', { bindAddress, port, maxConnections: this.limits.maxConnections });
    if (bindAddress === LOOPBACK && host !== LOOPBACK && host !== 'localhost') {
      log.warn('listen mode binds loopback only; set option bindAddress to take clients on another address', { host, bindAddress });
    }
    this.reportReady();
    await new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private refused(remoteAddress: string | undefined): void {
    this.stats.refused += 1;
    metrics().ingestRefused.inc({ query: this.options.queryId });
    const now = this.options.clock.now();
    if (now - this.lastRefusedLogAt >= REFUSED_LOG_EVERY_MS) {
      this.lastRefusedLogAt = now;
      this.options.log.warn('refused a line client: ingest.maxConnections reached', {
        remoteAddress, maxConnections: this.limits.maxConnections, refusedSoFar: this.stats.refused,
      });
    }
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
    const { host, port, log, queryId, clock } = this.options;
    const client = socket.remoteAddress === undefined ? `${host}:${port}` : `${socket.remoteAddress}:${socket.remotePort ?? ''}`;
    return new Promise((resolve) => {
      if (this.stopped) {
        socket.destroy();
        resolve();
        return;
      }
      this.sockets.add(socket);
      if (this.paused) socket.pause();
      let broken = false;
      const splitter = new LineSplitter(this.limits.maxLineBytes, {
        line: (text) => this.accept(text),
        tooLong: (bytes) => {
          this.stats.lines += 1;
          this.writer.reject('line-too-long', { client, bytes, maxLineBytes: this.limits.maxLineBytes });
        },
      });
      const counted = (): void => {
        this.stats.connections += 1;
        metrics().ingestConnections.inc({ query: queryId });
      };
      if (socket.connecting) socket.once('connect', counted);
      else counted();
      socket.on('data', (chunk: Buffer) => {
        this.lastDataAt = clock.now();
        metrics().ingestBytes.inc({ query: queryId, format: 'socket' }, chunk.length);
        splitter.push(chunk);
        if (this.writer.isFull) this.pauseReading();
      });
      socket.on('error', (err) => {
        broken = true;
        if (isConnected()) log.warn('socket source error', { err, client });
      });
      socket.on('close', () => {
        this.sockets.delete(socket);
        // What follows the last terminator is a line when the sender ends the stream, not when
        // the connection breaks or the ingest stops reading mid-line.
        if (this.stopped || broken || this.writer.isClosed) {
          const bytes = splitter.discard();
          if (bytes > 0) log.warn('dropped an unfinished line (no terminator) of a closed connection', { client, bytes });
        } else splitter.end();
        resolve();
      });
    });
  }

  /** Stops reading every connection until the writer has room again. */
  private pauseReading(): void {
    if (this.paused) return;
    this.paused = true;
    for (const s of this.sockets) s.pause();
    this.options.log.debug('socket source paused: records held up to the ingest limits', {
      records: this.writer.bufferedRecords, bytes: this.writer.bufferedBytes,
    });
    void this.writer.whenWritable().then(() => {
      this.paused = false;
      if (this.stopped) return;
      for (const s of this.sockets) s.resume();
      this.options.log.debug('socket source resumed');
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
    this.stats.lines += 1;
    const row: Row = includeTimestamp ? [line, clock.now() * 1000] : [line];
    this.writer.offer({ value: encodeSourceRow(schema, row) });
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
      if (this.stats.connections > 0 && quiet && this.writer.bufferedRecords === 0) break;
      await clock.sleep(25, this.abort.signal);
    }
    await this.ready;
    await this.writer.flushed();
  }

  private closeSockets(): void {
    for (const s of this.sockets) s.destroy();
    this.socket?.destroy();
  }

  /**
   * Stops reading (closes every connection and the listening port), then writes what it has
   * read, for at most `drainTimeoutMs`; what is left then is logged with its count.
   */
  async stop(drainTimeoutMs = this.limits.drainTimeoutMs): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.closeSockets();
    await this.loop;
    const held = this.writer.bufferedRecords;
    if (held > 0) this.options.log.info('socket source stopped reading; writing what it holds', { records: held, drainTimeoutMs });
    await this.writer.close(drainTimeoutMs);
    const { written, rejected, unwritten } = this.writer.stats;
    this.options.log.info('socket source stopped', {
      lines: this.stats.lines, written, rejected, unwritten, connections: this.stats.connections, refused: this.stats.refused,
    });
  }
}
