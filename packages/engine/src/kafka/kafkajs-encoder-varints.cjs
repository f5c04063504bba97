'use strict';
/**
 * kafkajs 2.2.4's Encoder wrote every varint through a new Buffer (`Buffer.from(byteArray)`):
 * several allocations per record encoded. These write the same bytes in place; kafkajs-fixes.ts
 * puts them on kafkajs' Encoder. A 64-bit varint outside the 32-bit range still goes through
 * kafkajs' own code.
 */
module.exports = function correctVarints(Encoder) {
  const writeVarLong = Encoder.prototype.writeVarLong;

  Encoder.prototype.writeUVarInt = function writeUVarInt(value) {
    this.ensureAvailable(5);
    while ((value & 0xffffff80) !== 0) {
      this.buf[this.offset++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.offset++] = value & 0x7f;
    return this;
  };

  Encoder.prototype.writeVarLong = function writeVarLongInPlace(value) {
    // Within 32 bits the 64-bit zigzag is the 32-bit one, read unsigned.
    if (typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) {
      return this.writeUVarInt((value << 1) ^ (value >> 31));
    }
    return writeVarLong.call(this, value);
  };
};
