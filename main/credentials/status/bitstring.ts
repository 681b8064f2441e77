// W3C Bitstring Status List v1.0: the bit arithmetic and encoding, with no I/O. Bit 0 is the most
// significant bit of the first byte; the encoded list is the GZIP of the bits, base64url without
// padding, with the multibase prefix "u".
import { randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** The specification's minimum, so that one credential hides among many. */
export const MIN_LIST_ENTRIES = 131_072;

export type StatusPurpose = 'revocation' | 'suspension';

export class Bitstring {
  readonly bytes: Uint8Array;

  constructor(entries: number = MIN_LIST_ENTRIES, bytes?: Uint8Array) {
    if (!Number.isInteger(entries) || entries < MIN_LIST_ENTRIES || entries % 8 !== 0) {
      throw new RangeError(`A status list has at least ${MIN_LIST_ENTRIES} entries, a multiple of 8`);
    }
    if (bytes && bytes.length !== entries / 8) throw new RangeError('The bytes do not match the number of entries');
    this.bytes = bytes ? new Uint8Array(bytes) : new Uint8Array(entries / 8);
  }

  get entries(): number {
    return this.bytes.length * 8;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.entries) throw new RangeError(`Index ${index} is outside the list`);
  }

  get(index: number): boolean {
    this.check(index);
    return (this.bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  set(index: number, value: boolean): void {
    this.check(index);
    const mask = 0x80 >> (index & 7);
    this.bytes[index >> 3] = value ? this.bytes[index >> 3]! | mask : this.bytes[index >> 3]! & ~mask;
  }

  encode(): string {
    return `u${gzipSync(this.bytes).toString('base64url')}`;
  }

  /** Reads an encoded list; refuses anything that is not one (wrong prefix, not GZIP, too short, a zip bomb). */
  static decode(encoded: string, maxEntries = 16 * MIN_LIST_ENTRIES * 8): Bitstring {
    if (typeof encoded !== 'string' || !encoded.startsWith('u')) throw new Error('The encoded list must start with the multibase prefix "u"');
    const body = encoded.slice(1);
    if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new Error('The encoded list is not base64url');
    let bytes: Buffer;
    try {
      bytes = gunzipSync(Buffer.from(body, 'base64url'), { maxOutputLength: maxEntries / 8 });
    } catch {
      throw new Error('The encoded list is not a GZIP-compressed bitstring of a sensible size');
    }
    if (bytes.length * 8 < MIN_LIST_ENTRIES) throw new Error(`The list has fewer than ${MIN_LIST_ENTRIES} entries`);
    return new Bitstring(bytes.length * 8, bytes);
  }
}

/**
 * A random index that is not yet taken, so that position does not reveal the order of issue.
 * `taken` answers for one index; refuses once the list is too full to find one quickly.
 */
export function randomFreeIndex(entries: number, isTaken: (index: number) => boolean, attempts = 64): number | null {
  for (let i = 0; i < attempts; i++) {
    const index = randomInt(0, entries);
    if (!isTaken(index)) return index;
  }
  return null;
}
