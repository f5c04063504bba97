/**
 * Consumers that fetch on another thread. A micro-batch's records are fetched and decoded
 * (kafkajs' protocol, record batches, records) while the batch before them runs: on one thread
 * that work took a fifth of a backlog run's time, and Node ran the query on a single core.
 * Worker threads (consumer-thread.ts) hold up to CONSUMERS_PER_THREAD such consumers each; each
 * fetched batch crosses packed (consumed-batch-transfer.ts) and is handed to the caller's
 * handler, which the thread awaits before fetching that partition again, as kafkajs awaits it
 * on one thread.
 *
 * A thread's heap is capped (THREAD_LIMITS): it holds what its consumers fetch until it is
 * handed over, a fetch at a time each, which callers keep small (ConsumerOptions.offThread).
 * Without the cap V8 let the thread's heap grow to some 90 MB before collecting it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../internal/logger.js';
import { unpackBatch } from './consumed-batch-transfer.js';
import { receiveError, sendError, type ConsumerPortSettings, type FromThread, type ToThread } from './consumer-thread-protocol.js';
import type { ConsumedBatch, ConsumerOptions, KafkaConsumer } from './kafka-port.js';

/** The thread's code: a file, or a script that loads it. */
type ThreadEntry = { readonly file: URL } | { readonly script: string };

/**
 * The compiled consumer-thread.js beside this module; when the engine runs from its TypeScript
 * sources (its own test suites), consumer-thread.ts loaded through tsx, where tsx is installed;
 * otherwise none.
 */
function threadEntry(): ThreadEntry | null {
  const compiled = new URL('./consumer-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { file: compiled };
  const source = new URL('./consumer-thread.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) return null;
  const tsx = tsxEsmApi();
  if (tsx === null) return null;
  return { script: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source.href)}); });` };
}

/** Consumers on one thread at most. */
const CONSUMERS_PER_THREAD = 4;

/** A thread's heap: its young generation and the rest, in MB. */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 } as const;

interface Owner {
  readonly log: Logger;
  onBatch: ((batch: ConsumedBatch) => Promise<void>) | null;
}

class ConsumerThread {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private readonly owners = new Map<number, Owner>();
  private nextCall = 0;
  private nextId = 0;
  private failure: Error | null = null;

  constructor(entry: ThreadEntry) {
    const options = { stdout: false, stderr: false, resourceLimits: THREAD_LIMITS };
    this.worker = 'file' in entry ? new Worker(entry.file, options) : new Worker(entry.script, { ...options, eval: true });
    this.worker.unref();
    this.worker.on('message', (message: FromThread) => this.receive(message));
    const fail = (err: Error): void => {
      if (this.failure !== null) return;
      this.failure = err;
      for (const { reject } of this.calls.values()) reject(err);
      this.calls.clear();
      // A thread stopped for having no consumer left (release) has no one to tell.
      for (const owner of this.owners.values()) owner.log.error('the Kafka consumer thread stopped; its consumers fetch no more', { err });
      threads.delete(this);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the Kafka consumer thread exited with code ${code}`)));
  }

  get size(): number {
    return this.owners.size;
  }

  async consumer(port: ConsumerPortSettings, options: ConsumerOptions, log: Logger): Promise<KafkaConsumer> {
    const id = this.nextId++;
    const owner: Owner = { log, onBatch: null };
    this.owners.set(id, owner);
    // Kept alive while a consumer is open: a call waiting for the thread keeps the process running.
    if (this.owners.size === 1) this.worker.ref();
    try {
      await this.call((call) => ({ op: 'create', call, id, port, options }));
    } catch (err) {
      this.release(id);
      throw err;
    }
    return {
      start: async (topics, onBatch, seekTo = []) => {
        owner.onBatch = onBatch;
        await this.call((call) => ({ op: 'start', call, id, topics: [...topics], seekTo: [...seekTo] }));
      },
      join: () => Promise.reject(new Error('a consumer on the consumer thread cannot join a group; only start() is offered')),
      pause: (topic, partitions) => this.post({ op: 'pause', id, topic, partitions: [...partitions] }),
      resume: (topic, partitions) => this.post({ op: 'resume', id, topic, partitions: [...partitions] }),
      close: async () => {
        try {
          if (this.failure === null) await this.call((call) => ({ op: 'close', call, id }));
        } finally {
          this.release(id);
        }
      },
      failure: () => this.failure,
    };
  }

  /** The thread stops when its last consumer closes, unless it is the only one: the next query's consumer then starts at once. */
  private release(id: number): void {
    if (!this.owners.delete(id) || this.owners.size > 0) return;
    this.worker.unref();
    if (threads.size > 1) {
      threads.delete(this);
      void this.worker.terminate();
    }
  }

  private post(message: ToThread): void {
    if (this.failure === null) this.worker.postMessage(message);
  }

  private call(message: (call: number) => ToThread): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const call = this.nextCall++;
    return new Promise<void>((resolve, reject) => {
      this.calls.set(call, { resolve, reject });
      this.worker.postMessage(message(call));
    });
  }

  private receive(message: FromThread): void {
    switch (message.op) {
      case 'done': {
        const pending = this.calls.get(message.call);
        this.calls.delete(message.call);
        if (message.error === undefined) pending?.resolve();
        else pending?.reject(receiveError(message.error));
        return;
      }
      case 'batch': {
        const { id, seq } = message;
        const handler = this.owners.get(id)?.onBatch;
        if (handler === undefined || handler === null) {
          this.post({ op: 'delivered', id, seq });
          return;
        }
        handler(unpackBatch(message.batch)).then(
          () => this.post({ op: 'delivered', id, seq }),
          (err: unknown) => this.post({ op: 'delivered', id, seq, error: sendError(err) }),
        );
        return;
      }
      case 'log': {
        const log = this.owners.get(message.id)?.log;
        log?.[message.level](message.msg, message.fields);
        return;
      }
    }
  }
}

/** Where tsx's ESM API is (its package's exports map, `tsx/esm/api` for import), or null without tsx. */
function tsxEsmApi(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
    const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> }).exports;
    const entry = exports?.['./esm/api']?.import?.default;
    return entry === undefined ? null : new URL(entry, pathToFileURL(manifest)).href;
  } catch {
    return null;
  }
}

const threads = new Set<ConsumerThread>();

/** How many consumers the process's consumer threads hold now. */
export function consumersOnThread(): number {
  let n = 0;
  for (const t of threads) n += t.size;
  return n;
}

/** A consumer on the process's consumer thread, or null where no thread can run (threadEntry). */
export async function threadedConsumer(port: ConsumerPortSettings, options: ConsumerOptions, log: Logger): Promise<KafkaConsumer | null> {
  let thread = [...threads].find((t) => t.size < CONSUMERS_PER_THREAD);
  if (thread === undefined) {
    const entry = threadEntry();
    if (entry === null) return null;
    thread = new ConsumerThread(entry);
    threads.add(thread);
  }
  return thread.consumer(port, options, log);
}
