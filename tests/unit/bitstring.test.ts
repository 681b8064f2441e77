// The Bitstring Status List's bit order, encoding and random allocation.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Bitstring, MIN_LIST_ENTRIES, randomFreeIndex } from '../../main/credentials/status/bitstring.ts';

describe('bits', () => {
  it('numbers bits from the most significant bit of the first byte', () => {
    const list = new Bitstring();
    list.set(0, true);
    list.set(9, true);
    expect(list.bytes[0]).toBe(0b1000_0000);
    expect(list.bytes[1]).toBe(0b0100_0000);
    expect(list.get(0) && list.get(9) && !list.get(1)).toBe(true);
    list.set(0, false);
    expect(list.bytes[0]).toBe(0);
  });

  it('refuses indexes outside the list and lists under 131,072 entries', () => {
    const list = new Bitstring();
    expect(() => list.get(MIN_LIST_ENTRIES)).toThrow(RangeError);
    expect(() => list.set(-1, true)).toThrow(RangeError);
    expect(() => list.get(1.5)).toThrow(RangeError);
    expect(() => new Bitstring(1024)).toThrow(/at least 131072/);
  });
});

describe('encoding', () => {
  it('round-trips through GZIP and multibase base64url, and stays small when sparse', () => {
    const list = new Bitstring();
    for (const index of [0, 7, 8, 65_535, MIN_LIST_ENTRIES - 1]) list.set(index, true);
    const encoded = list.encode();
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    expect(encoded.length).toBeLessThan(400);
    const back = Bitstring.decode(encoded);
    expect(back.entries).toBe(MIN_LIST_ENTRIES);
    expect([0, 7, 8, 65_535, MIN_LIST_ENTRIES - 1].every((i) => back.get(i))).toBe(true);
    expect(back.get(1)).toBe(false);
  });

  it('refuses what is not an encoded list', () => {
    expect(() => Bitstring.decode('H4sIAAAA')).toThrow(/prefix/);
    expect(() => Bitstring.decode('u!!!')).toThrow(/base64url/);
    expect(() => Bitstring.decode('uAAAA')).toThrow(/GZIP/);
    expect(() => Bitstring.decode(`u${gzipSync(Buffer.alloc(16)).toString('base64url')}`)).toThrow(/fewer than/);
    // A zip bomb: 1 GB of zeros compresses to about 1 MB; decoding stops at the size limit.
    expect(() => Bitstring.decode(`u${gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url')}`)).toThrow(/sensible size/);
  });
});

describe('random allocation', () => {
  it('spreads indexes over the whole list and never returns one that is taken', () => {
    const taken = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const index = randomFreeIndex(MIN_LIST_ENTRIES, (n) => taken.has(n));
      expect(index).not.toBeNull();
      expect(taken.has(index!)).toBe(false);
      taken.add(index!);
    }
    const sorted = [...taken].sort((a, b) => a - b);
    // Issue order is not position order, and the indexes reach across the list.
    expect([...taken].slice(0, 50)).not.toEqual(sorted.slice(0, 50));
    expect(sorted[0]!).toBeLessThan(MIN_LIST_ENTRIES / 10);
    expect(sorted.at(-1)!).toBeGreaterThan(MIN_LIST_ENTRIES * 0.9);
  });

  it('gives up on a full list rather than looping', () => {
    expect(randomFreeIndex(MIN_LIST_ENTRIES, () => true)).toBeNull();
  });
});
