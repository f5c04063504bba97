/**
 * The consumer thread (a worker thread started by threaded-consumer.ts): kafkajs consumers that
 * fetch and decode records beside the thread that runs the batches, each fetched batch handed
 * over packed straight from kafkajs' messages (KafkajsPort.packingConsumer, started as the
 * port's in-thread consumers start, so a consumer here behaves as one there); its logs go to
 * the starting thread's logger.
 */
import { parentPort } from 'node:worker_threads';
import type { LogFields, Logger } from '../internal/logger.js';
import { receiveError, sendError, sendFields, type FromThread, type ToThread } from './consumer-thread-protocol.js';
import { KafkajsPort, type PackingConsumer } from './kafkajs-port.js';

const parent = parentPort;
if (parent === null) throw new Error('consumer-thread.js runs as a worker thread');
const post = (message: FromThread, transfer: ArrayBuffer[] = []): void => parent.postMessage(message, transfer);

/** A logger whose entries the starting thread writes with consumer `id`'s logger. */
function forwardingLogger(id: number, base: LogFields = {}): Logger {
  const send = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: LogFields): void =>
    post({ op: 'log', id, level, msg, fields: sendFields({ ...base, ...fields }) });
  return { debug: send('debug'), info: send('info'), warn: send('warn'), error: send('error'), child: (fields) => forwardingLogger(id, { ...base, ...fields }) };
}

const consumers = new Map<number, PackingConsumer>();
/** Per consumer, the batches handed over and not yet delivered: their settling, by sequence number. */
const waiting = new Map<number, Map<number, (error?: Error) => void>>();
let nextSeq = 0;

async function answer(call: number, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    post({ op: 'done', call });
  } catch (err) {
    post({ op: 'done', call, error: sendError(err) });
  }
}

function consumerOf(id: number): PackingConsumer {
  const consumer = consumers.get(id);
  if (consumer === undefined) throw new Error(`consumer thread: no consumer ${id}`);
  return consumer;
}

parent.on('message', (message: ToThread) => {
  switch (message.op) {
    case 'create':
      void answer(message.call, async () => {
        // A port of its own for each consumer (kafkajs connects each consumer anyway), logging as its owner's.
        const port = new KafkajsPort({ ...message.port, logger: forwardingLogger(message.id) });
        consumers.set(message.id, await port.packingConsumer(message.options));
        waiting.set(message.id, new Map());
      });
      return;
    case 'start':
      void answer(message.call, () => consumerOf(message.id).start(message.topics, ({ packed, transfer }) => {
        const seq = nextSeq++;
        return new Promise<void>((resolve, reject) => {
          waiting.get(message.id)?.set(seq, (error) => (error === undefined ? resolve() : reject(error)));
          post({ op: 'batch', id: message.id, seq, batch: packed }, transfer);
        });
      }, message.seekTo));
      return;
    case 'delivered': {
      const settle = waiting.get(message.id)?.get(message.seq);
      waiting.get(message.id)?.delete(message.seq);
      settle?.(message.error === undefined ? undefined : receiveError(message.error));
      return;
    }
    case 'pause':
      consumers.get(message.id)?.pause(message.topic, message.partitions);
      return;
    case 'resume':
      consumers.get(message.id)?.resume(message.topic, message.partitions);
      return;
    case 'close':
      void answer(message.call, async () => {
        const consumer = consumers.get(message.id);
        consumers.delete(message.id);
        // A batch waiting for its handover when the consumer closes is not delivered.
        for (const settle of waiting.get(message.id)?.values() ?? []) settle();
        waiting.delete(message.id);
        await consumer?.close();
      });
      return;
  }
});
