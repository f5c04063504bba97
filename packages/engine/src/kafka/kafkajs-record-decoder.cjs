'use strict';
/**
 * kafkajs 2.2.4's record decoder (protocol/recordBatch/record/v0/decoder.js) without 64-bit
 * Long arithmetic where plain numbers are exact; the engine puts it in kafkajs' place
 * (kafkajs-fixes.ts) before kafkajs loads. kafkajs read every timestamp delta as a Long and
 * built each record's offset and timestamp with Long.fromValue(...).add(...).toString(): several
 * objects and a string parse per record. The result is the same object, the same strings.
 */
const Long = require('kafkajs/src/utils/long');
const HeaderDecoder = require('kafkajs/src/protocol/recordBatch/header/v0/decoder');
const TimestampTypes = require('kafkajs/src/protocol/timestampTypes');

/** The zigzag varlong at the decoder's offset, as a number when within ±2^53; else null, nothing read. */
function readSafeVarLong(decoder) {
  const buffer = decoder.buffer;
  let offset = decoder.offset;
  let unsigned = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const byte = buffer[offset++];
    if (byte === undefined) return null;
    unsigned += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (unsigned > Number.MAX_SAFE_INTEGER) return null;
      decoder.offset = offset;
      return unsigned % 2 === 0 ? unsigned / 2 : -(unsigned + 1) / 2;
    }
    scale *= 128;
  }
  return null;
}

/** The last base parsed: a batch's records share their first offset and first timestamp. */
const parsed = { offset: { text: null, value: Number.NaN }, timestamp: { text: null, value: Number.NaN } };

/** "000" to "999". */
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * String(n) for a safe integer n. Past 2^31 (timestamps in ms), V8 writes a number as a
 * double, some 230 ns; this writes its millions, then the rest three digits at a time (~30 ns).
 */
function decimal(n) {
  if (n <= 0x7fffffff) return String(n);
  const high = Math.floor(n / 1e6);
  const low = n - high * 1e6;
  const thousands = Math.floor(low / 1000);
  return String(high) + THREE_DIGITS[thousands] + THREE_DIGITS[low - thousands * 1000];
}

/** `base + delta` as kafkajs writes it (Long's decimal string). */
function addToString(base, delta, last) {
  if (typeof delta === 'number' && (typeof base === 'string' || typeof base === 'number')) {
    if (last.text !== base) {
      last.text = base;
      last.value = Number(base);
    }
    const b = last.value;
    const sum = b + delta;
    if (Number.isSafeInteger(b) && Number.isSafeInteger(sum)) return decimal(sum);
  }
  return Long.fromValue(base).add(delta).toString();
}

module.exports = function decodeRecord(decoder, batchContext = {}) {
  const { firstOffset, firstTimestamp, magicByte, isControlBatch = false, timestampType, maxTimestamp } = batchContext;
  const attributes = decoder.readInt8();

  const safeDelta = readSafeVarLong(decoder);
  const timestampDelta = safeDelta === null ? decoder.readVarLong() : safeDelta;
  const timestamp = timestampType === TimestampTypes.LOG_APPEND_TIME && maxTimestamp
    ? maxTimestamp
    : addToString(firstTimestamp, timestampDelta, parsed.timestamp);

  const offsetDelta = decoder.readVarInt();
  const offset = addToString(firstOffset, offsetDelta, parsed.offset);

  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers = decoder.readVarIntArray(HeaderDecoder).reduce(
    (obj, header) => ({
      ...obj,
      [header.key]: obj[header.key] === undefined
        ? header.value
        : Array.isArray(obj[header.key]) ? obj[header.key].concat([header.value]) : [obj[header.key], header.value],
    }),
    {},
  );

  return {
    magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext,
  };
};
module.exports.decimal = decimal;
