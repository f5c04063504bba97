'use strict';
/**
 * kafkajs 2.2.4's record encoder (protocol/recordBatch/record/v0/index.js) writing the same
 * bytes into one buffer of the record's size; the engine puts it in kafkajs' place
 * (kafkajs-fixes.ts) before kafkajs loads. kafkajs gave every record, and every header of it, an
 * encoder of its own with a zero-filled 512-byte buffer: at 250,000 records a batch, some
 * 130 MB to allocate and collect for records of 60 bytes.
 */
const Encoder = require('kafkajs/src/protocol/encoder');

function headerList(headers) {
  return Object.keys(headers).flatMap((key) => (Array.isArray(headers[key])
    ? headers[key].map((value) => ({ key, value }))
    : [{ key, value: headers[key] }]));
}

/** As kafkajs sizes them (a null value counted as a varint -1). */
function sizeOfHeaders(list) {
  let size = Encoder.sizeOfVarInt(list.length);
  for (const header of list) {
    const keySize = Buffer.byteLength(header.key);
    size += Encoder.sizeOfVarInt(keySize) + keySize;
    if (header.value === null) size += Encoder.sizeOfVarInt(-1);
    else {
      const valueSize = Buffer.byteLength(header.value);
      size += Encoder.sizeOfVarInt(valueSize) + valueSize;
    }
  }
  return size;
}

module.exports = function Record({ offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }) {
  const list = headerList(headers);
  const sizeOfBody = 1
    + Encoder.sizeOfVarLong(timestampDelta)
    + Encoder.sizeOfVarInt(offsetDelta)
    + Encoder.sizeOfVarIntBytes(key)
    + Encoder.sizeOfVarIntBytes(value)
    + sizeOfHeaders(list);
  const encoder = new Encoder(Encoder.sizeOfVarInt(sizeOfBody) + sizeOfBody)
    .writeVarInt(sizeOfBody)
    .writeInt8(0)
    .writeVarLong(timestampDelta)
    .writeVarInt(offsetDelta)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarInt(list.length);
  // What kafkajs' header encoder writes for each.
  for (const header of list) encoder.writeVarIntString(header.key).writeVarIntBytes(header.value);
  return encoder;
};
