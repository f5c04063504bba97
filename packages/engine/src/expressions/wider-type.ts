import { typeName, type DataType } from '../core/types.js';
import { commonType } from './extra-functions.js';

/**
 * The type values of several types meet at, nested types included (Spark's findWiderCommonType):
 * atomic types as `commonType` widens them; arrays and maps element by element (`array()` is an
 * ARRAY<VOID> that meets any array); structs with the same field names field by field. Types
 * that differ only in nullability meet at the nullable one. Null when they do not meet.
 */
export function widerType(types: readonly DataType[]): DataType | null {
  let acc: DataType = 'void';
  for (const t of types) {
    const next = widerOfTwo(acc, t);
    if (next === null) return null;
    acc = next;
  }
  return acc;
}

function widerOfTwo(a: DataType, b: DataType): DataType | null {
  if (a === 'void') return b;
  if (b === 'void') return a;
  if (typeof a === 'string' || typeof b === 'string') return typeof a === 'string' && typeof b === 'string' ? commonType([a, b]) : null;
  if (a.kind === 'array' && b.kind === 'array') {
    const elementType = widerOfTwo(a.elementType, b.elementType);
    return elementType === null ? null : { kind: 'array', elementType, containsNull: a.containsNull || b.containsNull };
  }
  if (a.kind === 'map' && b.kind === 'map') {
    const keyType = widerOfTwo(a.keyType, b.keyType);
    const valueType = widerOfTwo(a.valueType, b.valueType);
    if (keyType === null || valueType === null) return null;
    return { kind: 'map', keyType, valueType, valueContainsNull: a.valueContainsNull || b.valueContainsNull };
  }
  if (a.kind === 'struct' && b.kind === 'struct' && a.fields.length === b.fields.length) {
    const fields = [];
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i];
      const fb = b.fields[i];
      if (fa === undefined || fb === undefined || fa.name.toLowerCase() !== fb.name.toLowerCase()) return null;
      const type = widerOfTwo(fa.type, fb.type);
      if (type === null) return null;
      fields.push({ name: fa.name, type, nullable: fa.nullable || fb.nullable });
    }
    return { kind: 'struct', fields };
  }
  return typeName(a) === typeName(b) ? a : null;
}
