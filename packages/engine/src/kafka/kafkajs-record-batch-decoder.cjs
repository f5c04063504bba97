'use strict';
/**
 * kafkajs 2.2.4's record batch decoder (protocol/recordBatch/v0/decoder.js) decoding each record
 * of an uncompressed batch where it lies, in the batch's decoder; the engine puts it in kafkajs'
 * place (kafkajs-fixes.ts) before kafkajs loads. kafkajs cut every record out as a Buffer of its
 * own and gave it a Decoder of its own first: two objects a record, some 10 % of a stateless
 * query's CPU. Records read the same, and a record's length still decides where the next begins.
 * Compressed batches are decoded as kafkajs did.
 */
const Decoder = require('kafkajs/src/protocol/decoder')
const { KafkaJSPartialMessageError } = require('kafkajs/src/errors')
const { lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression')
const RecordDecoder = require('./kafkajs-record-decoder.cjs')
const TimestampTypes = require('kafkajs/src/protocol/timestampTypes')

const TIMESTAMP_TYPE_FLAG_MASK = 0x8
const TRANSACTIONAL_FLAG_MASK = 0x10
const CONTROL_FLAG_MASK = 0x20

/**
 * v0
 * RecordBatch =>
 *  FirstOffset => int64
 *  Length => int32
 *  PartitionLeaderEpoch => int32
 *  Magic => int8
 *  CRC => int32
 *  Attributes => int16
 *  LastOffsetDelta => int32
 *  FirstTimestamp => int64
 *  MaxTimestamp => int64
 *  ProducerId => int64
 *  ProducerEpoch => int16
 *  FirstSequence => int32
 *  Records => [Record]
 */

module.exports = async fetchDecoder => {
  const firstOffset = fetchDecoder.readInt64().toString()
  const length = fetchDecoder.readInt32()
  const decoder = fetchDecoder.slice(length)
  fetchDecoder.forward(length)

  const remainingBytes = Buffer.byteLength(decoder.buffer)

  if (remainingBytes < length) {
    throw new KafkaJSPartialMessageError(
      `Tried to decode a partial record batch: remainingBytes(${remainingBytes}) < recordBatchLength(${length})`
    )
  }

  const partitionLeaderEpoch = decoder.readInt32()

  // The magic byte was read by the Fetch protocol to distinguish between
  // the record batch and the legacy message set. It's not used here but
  // it has to be read.
  const magicByte = decoder.readInt8()

  // The library is currently not performing CRC validations (the CRC is skipped).
  decoder.readInt32()

  const attributes = decoder.readInt16()
  const lastOffsetDelta = decoder.readInt32()
  const firstTimestamp = decoder.readInt64().toString()
  const maxTimestamp = decoder.readInt64().toString()
  const producerId = decoder.readInt64().toString()
  const producerEpoch = decoder.readInt16()
  const firstSequence = decoder.readInt32()

  const inTransaction = (attributes & TRANSACTIONAL_FLAG_MASK) > 0
  const isControlBatch = (attributes & CONTROL_FLAG_MASK) > 0
  const timestampType =
    (attributes & TIMESTAMP_TYPE_FLAG_MASK) > 0
      ? TimestampTypes.LOG_APPEND_TIME
      : TimestampTypes.CREATE_TIME

  const codec = lookupCodecByAttributes(attributes)

  const recordContext = {
    firstOffset,
    firstTimestamp,
    partitionLeaderEpoch,
    inTransaction,
    isControlBatch,
    lastOffsetDelta,
    producerId,
    producerEpoch,
    firstSequence,
    maxTimestamp,
    timestampType,
  }

  const records = await decodeRecords(codec, decoder, { ...recordContext, magicByte })

  return {
    ...recordContext,
    records,
  }
}

const decodeRecords = async (codec, recordsDecoder, recordContext) => {
  if (!codec) {
    return recordsDecoder.readArray(decoder => decodeRecordInPlace(decoder, recordContext))
  }

  const length = recordsDecoder.readInt32()

  if (length <= 0) {
    return []
  }

  const compressedRecordsBuffer = recordsDecoder.readAll()
  const decompressedRecordBuffer = await codec.decompress(compressedRecordsBuffer)
  const decompressedRecordDecoder = new Decoder(decompressedRecordBuffer)
  const records = new Array(length)

  for (let i = 0; i < length; i++) {
    records[i] = decodeRecord(decompressedRecordDecoder, recordContext)
  }

  return records
}

const decodeRecord = (decoder, recordContext) => {
  const recordBuffer = decoder.readVarIntBytes()
  return RecordDecoder(new Decoder(recordBuffer), recordContext)
}

/**
 * The record at the decoder's offset, read in the decoder's own buffer; the decoder then stands
 * where the record's length says it ends. A record that would run past the batch (a length
 * kafkajs would have cut short) is read as kafkajs read it.
 */
const decodeRecordInPlace = (decoder, recordContext) => {
  const start = decoder.offset
  const length = decoder.readVarInt()
  const end = decoder.offset + length
  if (length < 0 || end > decoder.buffer.length) {
    decoder.offset = start
    return decodeRecord(decoder, recordContext)
  }
  const record = RecordDecoder(decoder, recordContext)
  decoder.offset = end
  return record
}
