'use strict';
/**
 * kafkajs 2.2.4's produce request (protocol/requests/produce/v3/request.js, which v4 to v7 reuse)
 * writing the same bytes straight into one buffer of the request's size; kafkajs-fixes.ts puts
 * it behind kafkajs' produce protocol (correctProduceProtocol), whenever kafkajs loaded. kafkajs built each record as an object
 * spread and an encoder of its own, sorted the timestamps as strings, then copied every record
 * into the batch's encoder, the batch into the partition's and the partition's into the
 * request's: some 4 µs a record, most of a stateless query's time. This one measures every
 * record, then writes each once.
 *
 * Uncompressed batches only; a compressed request, a record with headers, a key or value that
 * is not a string or Buffer, or a timestamp that is not a safe integer goes kafkajs' own way.
 * One difference, on purpose: kafkajs took the batch's first and max timestamps from a string
 * sort, which for timestamps of different lengths gave a wrong MaxTimestamp; these are the
 * numeric least and greatest (each record's own timestamp is the same either way).
 */
const Long = require('kafkajs/src/utils/long');
const Encoder = require('kafkajs/src/protocol/encoder');
const { Produce: apiKey } = require('kafkajs/src/protocol/requests/apiKeys');
const { Types } = require('kafkajs/src/protocol/message/compression');
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C');
const Record = require('./kafkajs-record.cjs');
// kafkajs' own request, for what this one leaves to it (by package path: Jest maps only the
// relative names kafkajs requires it by).
const kafkajsRequest = require('kafkajs/src/protocol/requests/produce/v3/request.js');

const MAGIC_BYTE = 2;
const TRANSACTIONAL_MASK = 16;
/** RecordBatch from PartitionLeaderEpoch to the record count (int32 + int8 + uint32 + 40). */
const BATCH_HEADER_SIZE = 49;
/** Past 2^52 the zigzag of a number is no longer exact. */
const MAX_VARLONG = 2 ** 52;

/** Bytes of the unsigned varint `z` (z ≥ 0, exact below 2^53). */
function sizeOfUVarLong(z) {
  let bytes = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    bytes += 1;
  }
  return bytes;
}

/** Bytes of the zigzag varint of `n`, a safe integer within ±2^52. */
function sizeOfVarLong(n) {
  return sizeOfUVarLong(n >= 0 ? n * 2 : -n * 2 - 1);
}

/** Writes the unsigned varint `z` at `at`; returns the offset after it. */
function writeUVarLong(buf, at, z) {
  while (z >= 128) {
    buf[at++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[at++] = z;
  return at;
}

function writeVarLong(buf, at, n) {
  return writeUVarLong(buf, at, n >= 0 ? n * 2 : -n * 2 - 1);
}

function hasHeaders(headers) {
  if (headers == null) return false;
  for (const _ in headers) return true;
  return false;
}

/** Length of a key or value as kafkajs writes it (-1 for null), or NaN when kafkajs must. */
function bytesLength(value) {
  if (value == null) return -1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Buffer.isBuffer(value)) return value.length;
  return NaN;
}

function sizeOfBytes(length) {
  return length < 0 ? 1 : sizeOfVarLong(length) + length;
}

function writeBytes(buf, at, value, length) {
  at = writeVarLong(buf, at, length);
  if (length <= 0) return at;
  if (typeof value === 'string') buf.write(value, at, length, 'utf8');
  else value.copy(buf, at);
  return at + length;
}

/**
 * A partition's record batch, measured: each record's lengths, or null when kafkajs must
 * encode the request.
 */
function measureBatch(messages, dateNow) {
  const n = messages.length;
  let first = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = messages[i].timestamp;
    if (t == null) continue;
    const ms = Number(t);
    if (!Number.isSafeInteger(ms)) return null;
    if (ms < first) first = ms;
    if (ms > max) max = ms;
  }
  if (first === Infinity) first = max = dateNow;
  const deltas = new Float64Array(n);
  const keyLengths = new Int32Array(n);
  const valueLengths = new Int32Array(n);
  const bodySizes = new Int32Array(n);
  /** Records with headers, encoded by kafkajs' record encoder (kafkajs-record.cjs). */
  const encoded = new Map();
  let recordsSize = 0;
  for (let i = 0; i < n; i++) {
    const m = messages[i];
    const delta = Number(m.timestamp || dateNow) - first;
    if (!(Math.abs(delta) <= MAX_VARLONG)) return null;
    if (hasHeaders(m.headers)) {
      const record = Record({ key: m.key, value: m.value, headers: m.headers, offsetDelta: i, timestampDelta: delta }).buffer;
      encoded.set(i, record);
      recordsSize += record.length;
      continue;
    }
    const keyLength = bytesLength(m.key);
    const valueLength = bytesLength(m.value);
    if (Number.isNaN(keyLength) || Number.isNaN(valueLength)) return null;
    // attributes, timestamp delta, offset delta, key, value, header count (0).
    const body = 1 + sizeOfVarLong(delta) + sizeOfVarLong(i) + sizeOfBytes(keyLength) + sizeOfBytes(valueLength) + 1;
    deltas[i] = delta;
    keyLengths[i] = keyLength;
    valueLengths[i] = valueLength;
    bodySizes[i] = body;
    recordsSize += sizeOfVarLong(body) + body;
  }
  return { messages, first, max, deltas, keyLengths, valueLengths, bodySizes, encoded, recordsSize };
}

/** Writes a measured record batch (RecordBatch v2, from PartitionLeaderEpoch) at encoder.offset. */
function writeBatch(encoder, batch, { transactional, producerId, producerEpoch, firstSequence = 0 }) {
  const { messages, deltas, keyLengths, valueLengths, bodySizes, encoded } = batch;
  const n = messages.length;
  const start = encoder.offset;
  encoder.writeInt32(0).writeInt8(MAGIC_BYTE).writeUInt32(0);
  const crcFrom = encoder.offset;
  encoder
    .writeInt16(transactional ? TRANSACTIONAL_MASK : 0)
    .writeInt32(n - 1)
    .writeInt64(batch.first)
    .writeInt64(batch.max)
    .writeInt64(producerId)
    .writeInt16(producerEpoch)
    .writeInt32(firstSequence)
    .writeInt32(n);
  const buf = encoder.buf;
  let at = encoder.offset;
  for (let i = 0; i < n; i++) {
    const record = encoded.get(i);
    if (record !== undefined) {
      record.copy(buf, at);
      at += record.length;
      continue;
    }
    const m = messages[i];
    at = writeVarLong(buf, at, bodySizes[i]);
    buf[at++] = 0;
    at = writeVarLong(buf, at, deltas[i]);
    at = writeVarLong(buf, at, i);
    at = writeBytes(buf, at, m.key, keyLengths[i]);
    at = writeBytes(buf, at, m.value, valueLengths[i]);
    buf[at++] = 0;
  }
  encoder.offset = at;
  buf.writeUInt32BE(crc32C(buf.subarray(crcFrom, at)), start + 5);
}

/** The request's bytes, or null when kafkajs must encode it. */
function encodeRequest({ acks, timeout, transactionalId, producerId, producerEpoch, topicData }) {
  const dateNow = Date.now();
  const measured = [];
  let size = (transactionalId == null ? 2 : 2 + Buffer.byteLength(transactionalId, 'utf8')) + 2 + 4 + 4;
  for (const { topic, partitions } of topicData) {
    size += 2 + Buffer.byteLength(topic, 'utf8') + 4;
    const batches = [];
    for (const p of partitions) {
      const batch = measureBatch(p.messages, dateNow);
      if (batch === null) return null;
      batches.push(batch);
      // partition, record set size, FirstOffset, Length, the batch.
      size += 4 + 4 + 8 + 4 + BATCH_HEADER_SIZE + batch.recordsSize;
    }
    measured.push(batches);
  }
  const encoder = new Encoder(size)
    .writeString(transactionalId)
    .writeInt16(acks)
    .writeInt32(timeout)
    .writeInt32(topicData.length);
  const transactional = !!transactionalId;
  topicData.forEach(({ topic, partitions }, t) => {
    encoder.writeString(topic).writeInt32(partitions.length);
    partitions.forEach(({ partition, firstSequence }, k) => {
      const batch = measured[t][k];
      const batchLength = BATCH_HEADER_SIZE + batch.recordsSize;
      encoder.writeInt32(partition).writeInt32(8 + 4 + batchLength).writeInt64(Long.fromInt(0)).writeInt32(batchLength);
      writeBatch(encoder, batch, { transactional, producerId, producerEpoch, firstSequence });
    });
  });
  return encoder;
}

function produceRequest({
  acks,
  timeout,
  transactionalId = null,
  producerId = Long.fromInt(-1),
  producerEpoch = 0,
  compression = Types.None,
  topicData,
}) {
  const kafkajs = () => kafkajsRequest({ acks, timeout, transactionalId, producerId, producerEpoch, compression, topicData });
  if (compression !== Types.None) return kafkajs();
  return {
    apiKey,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => acks !== 0,
    encode: async () => encodeRequest({ acks, timeout, transactionalId, producerId, producerEpoch, topicData }) ?? kafkajs().encode(),
  };
}

/**
 * Makes kafkajs' produce protocol (protocol/requests/produce/index.js, whose `protocol` kafkajs
 * looks up at each request) build v3 and later requests with produceRequest, under the version
 * kafkajs chose.
 */
function correctProduceProtocol(produce) {
  const protocol = produce.protocol;
  if (protocol.corrected === true) return;
  produce.protocol = ({ version }) => {
    const build = protocol({ version });
    if (Number(version) < 3) return build;
    return (args) => {
      const built = build(args);
      return { ...built, request: Object.assign(produceRequest(args), { apiVersion: built.request.apiVersion }) };
    };
  };
  produce.protocol.corrected = true;
}

module.exports = { produceRequest, correctProduceProtocol };
