import { randomUUID } from 'node:crypto';
import { checkpointKeys, deleteKeys, scanKeys, type KafkaAdmin, type KafkaPort, type KafkaProducer, type RedisClient } from 'sluice/testing';
import { PlanFile } from './plan-file.js';
import { ProcessorFleet } from './processor-fleet.js';
import { PARTITIONS, type InputRecord, type Workload } from './scale-out-workloads.js';
import { TopicCollector } from './topic-collector.js';

/** The clients a run shares with the others of the test file. */
export interface RunClients {
  readonly kafka: KafkaPort;
  readonly admin: KafkaAdmin;
  readonly producer: KafkaProducer;
  readonly redis: RedisClient;
}

/**
 * One run of a workload: its own input topics (six partitions each), output topic and
 * checkpoint, its plan, the processors running it and a reader of its output. `close` removes
 * all of it, the query's internal topics, groups and Redis keys included.
 */
export class QueryRun {
  private constructor(
    private readonly clients: RunClients,
    readonly workload: Workload,
    private readonly inputs: readonly string[],
    private readonly output: string,
    private readonly checkpoint: string,
    private readonly plan: PlanFile,
    readonly fleet: ProcessorFleet,
    readonly collector: TopicCollector,
  ) {}

  static async create(clients: RunClients, workload: Workload, scaleOut: boolean): Promise<QueryRun> {
    const id = randomUUID().slice(0, 8);
    const inputs = workload.inputs.map((_, i) => `test-scale-${id}-in${i}`);
    const output = `test-scale-${id}-out`;
    const checkpoint = `test-${id}`;
    for (const topic of inputs) await clients.admin.ensureTopic(topic, PARTITIONS);
    await clients.admin.ensureTopic(output, 1);
    const plan = await PlanFile.make(workload.program({ inputs, output }, checkpoint));
    const collector = await TopicCollector.start(clients.kafka, output);
    return new QueryRun(clients, workload, inputs, output, checkpoint, plan, new ProcessorFleet(plan, scaleOut), collector);
  }

  /** Produces the share [from, to) of every input's body (fractions of it). */
  async produce(from: number, to: number): Promise<void> {
    await this.send((input) => input.body.slice(Math.round(from * input.body.length), Math.round(to * input.body.length)));
  }

  /** Produces the closing record of every partition of every input, after the whole body. */
  async produceClosing(): Promise<void> {
    await this.send((input) => input.closing);
  }

  private async send(pick: (input: Workload['inputs'][number]) => readonly InputRecord[]): Promise<void> {
    await Promise.all(this.workload.inputs.map(async (input, i) => {
      const records = pick(input);
      if (records.length > 0) await this.clients.producer.send(this.inputs[i] ?? '', records);
    }));
  }

  async close(): Promise<void> {
    const queryId = this.fleet.queryId();
    await this.fleet.stopAll();
    await this.collector.close();
    // SLUICE_TEST_KEEP=1 leaves the topics, groups and checkpoint for a post-mortem.
    if (process.env['SLUICE_TEST_KEEP'] === '1') return;
    const { admin, redis } = this.clients;
    const internal = queryId === null ? [] : (await admin.listTopics()).filter((t) => t.startsWith(`sluice.${queryId}.`));
    await admin.deleteTopics([...this.inputs, this.output, ...internal]).catch(() => undefined);
    if (queryId !== null) {
      const groups = (await admin.listGroups()).filter((g) => g.startsWith(`sluice.${queryId}.`));
      await admin.deleteGroups(groups).catch(() => undefined);
    }
    await deleteKeys(redis, await scanKeys(redis, checkpointKeys(this.checkpoint).all));
    this.plan.remove();
  }
}
