'use strict';
/**
 * kafkajs 2.2.4's read_committed filter (src/consumer/filterAbortedMessages.js), corrected; the
 * engine puts it in kafkajs' place (kafkajs-fixes.ts) before kafkajs loads.
 *
 * A fetch response lists the aborted transactions of its range, in the order the broker's
 * transaction index holds them: by the offset of their abort marker, not of their first record.
 * kafkajs took them as ordered by first offset and started at most one aborted transaction per
 * record, so records of an aborted transaction that began before another one ended (two
 * transactional producers writing to one partition, then both fenced) were handed out as
 * committed. As Kafka's own consumer does (Fetcher's consumeAbortedTransactionsUpTo), every
 * aborted transaction whose first offset is at or below a record's offset is started before the
 * record is judged, and an abort marker ends its producer's.
 */
const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

/** A control record whose key says ABORT (version 0, type 0). */
function isAbortMarker(message) {
  return message.isControlRecord === true && message.key != null && Buffer.from(message.key).equals(ABORT_MARKER_KEY);
}

function offsetOrder(a, b) {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

module.exports = function filterAbortedMessages({ messages, abortedTransactions }) {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = [...abortedTransactions].sort((a, b) => offsetOrder(a.firstOffset, b.firstOffset));
  const aborting = new Set();
  return messages.filter((message) => {
    while (pending.length > 0 && offsetOrder(pending[0].firstOffset, message.offset) <= 0) aborting.add(String(pending.shift().producerId));
    const producerId = String(message.batchContext.producerId);
    if (isAbortMarker(message)) {
      aborting.delete(producerId);
      return true;
    }
    return !(message.batchContext.inTransaction && aborting.has(producerId));
  });
};
