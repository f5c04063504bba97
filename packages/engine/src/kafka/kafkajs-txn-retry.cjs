'use strict';
/**
 * kafkajs' AddPartitionsToTxn and AddOffsetsToTxn, retried soon on CONCURRENT_TRANSACTIONS.
 *
 * Right after a transaction commits, its coordinator is still writing the commit markers; the
 * next transaction's first request is refused with CONCURRENT_TRANSACTIONS until it is done, a
 * few milliseconds. kafkajs left that to the producer's retry, 100 ms and more later, so a
 * producer that commits a transaction per batch lost some 100 ms every few batches (workload A:
 * about half of its output time). Kafka's own producer retries these after 20 ms
 * (TransactionManager, KAFKA-5477); here after 2, 4, 8, 16 and then every 20 ms, for up to
 * RETRY_FOR_MS, before the error goes on to kafkajs' retry as before.
 */
const RETRY_FOR_MS = 2000;

function retrySoon(original) {
  return async function retried(...args) {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await original.apply(this, args);
      } catch (err) {
        if (err?.type !== 'CONCURRENT_TRANSACTIONS' || Date.now() - started >= RETRY_FOR_MS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** (attempt + 1), 20)));
      }
    }
  };
}

/** Puts the retrying methods on kafkajs' Broker class (once). */
function correctTxnRetries(Broker) {
  const proto = Broker.prototype;
  if (proto.addPartitionsToTxn.retriesSoon === true) return;
  for (const name of ['addPartitionsToTxn', 'addOffsetsToTxn']) {
    const method = retrySoon(proto[name]);
    method.retriesSoon = true;
    proto[name] = method;
  }
}

module.exports = { correctTxnRetries, retrySoon };
