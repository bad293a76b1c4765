import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DerCursor, DerError, Tag, decodeOidBytes, derBoolean, derInteger, derOid, derSequence, derSet, derTime, derUnsignedInteger,
  derUtf8String, encodeOidBytes, readNode, readTopLevel, nodeValue,
} from '../src/index.js';
import { decodeBoolean, decodeOid, decodeTime } from '../src/der/der-reader.js';

const hex = (b: Buffer): string => b.toString('hex');
const throwsDer = (fn: () => unknown): void => assert.throws(fn, DerError);

describe('DER reader', () => {
  test('ok/short and long definite lengths', () => {
    const small = derUtf8String('abc');
    assert.equal(hex(small), '0c03616263');
    const big = derUtf8String('x'.repeat(300));
    assert.equal(hex(big.subarray(0, 4)), '0c82012c');
    const n = readTopLevel(big);
    assert.equal(n.tag, Tag.UTF8String);
    assert.equal(nodeValue(n).length, 300);
  });

  test('fail/indefinite length, overlong length, huge length and truncation are rejected', () => {
    throwsDer(() => readTopLevel(Buffer.from('3080020101' + '0000', 'hex'))); // indefinite (BER only)
    throwsDer(() => readTopLevel(Buffer.from('308103020101', 'hex'))); // 0x81 0x03: short form was possible
    throwsDer(() => readTopLevel(Buffer.from('30820003020101', 'hex'))); // leading zero length octet
    throwsDer(() => readTopLevel(Buffer.from('3084ffffffff020101', 'hex'))); // 4 GiB inside 9 bytes
    throwsDer(() => readTopLevel(Buffer.from('3089010000000000000000', 'hex'))); // 9-octet length
    throwsDer(() => readTopLevel(Buffer.from('300502010102', 'hex'))); // child runs past container
    throwsDer(() => readTopLevel(Buffer.from('30', 'hex')));
    throwsDer(() => readTopLevel(Buffer.from('', 'hex')));
    throwsDer(() => readTopLevel(Buffer.from('3003020101ff', 'hex'))); // trailing data
    throwsDer(() => readTopLevel(Buffer.from('1f2001ff', 'hex'))); // high tag number form
  });

  test('ok/cursor walks children; fail/unexpected tag and leftovers', () => {
    const seq = derSequence([derInteger(5), derBoolean(true)]);
    const c = DerCursor.inside(readTopLevel(seq));
    assert.equal(c.next(Tag.INTEGER).tag, Tag.INTEGER);
    assert.equal(c.optional(Tag.NULL), undefined);
    assert.equal(decodeBoolean(c.next(Tag.BOOLEAN)), true);
    c.finish('test');
    const c2 = DerCursor.inside(readTopLevel(seq));
    throwsDer(() => c2.next(Tag.BOOLEAN));
    const c3 = DerCursor.inside(readTopLevel(seq));
    c3.next();
    throwsDer(() => c3.finish('test'));
    throwsDer(() => DerCursor.inside(readTopLevel(derInteger(1))));
  });

  test('fail/non-DER BOOLEAN is rejected', () => {
    throwsDer(() => decodeBoolean(readNode(Buffer.from('010101', 'hex'), 0, 3)));
  });
});

describe('DER writer', () => {
  test('ok/INTEGER minimal two\'s complement', () => {
    const cases: Array<[bigint, string]> = [
      [0n, '020100'], [127n, '02017f'], [128n, '02020080'], [255n, '020200ff'], [256n, '02020100'],
      [-1n, '0201ff'], [-128n, '020180'], [-129n, '0202ff7f'], [-256n, '0202ff00'],
    ];
    for (const [v, want] of cases) assert.equal(hex(derInteger(v)), want, String(v));
    assert.equal(hex(derUnsignedInteger(Buffer.from('0000ff', 'hex'))), '020200ff');
    assert.equal(hex(derUnsignedInteger(Buffer.from('7f', 'hex'))), '02017f');
  });

  test('ok/OIDs round-trip, including arcs beyond 2^53', () => {
    for (const oid of ['1.2.840.113549.1.1.11', '2.5.29.19', '0.9.2342.19200300.100.1.25', '2.25.329800735698586629295641978511506172918', '2.999.3']) {
      assert.equal(decodeOidBytes(encodeOidBytes(oid)), oid);
      assert.equal(decodeOid(readTopLevel(derOid(oid))), oid);
    }
    assert.equal(hex(derOid('1.2.840.113549.1.1.11')), '06092a864886f70d01010b');
  });

  test('fail/non-minimal or truncated OID arcs, invalid dotted OIDs', () => {
    throwsDer(() => decodeOidBytes(Buffer.from('2a8001', 'hex')));
    throwsDer(() => decodeOidBytes(Buffer.from('2a86', 'hex')));
    throwsDer(() => decodeOidBytes(Buffer.alloc(0)));
    assert.throws(() => encodeOidBytes('1'));
    assert.throws(() => encodeOidBytes('3.1'));
    assert.throws(() => encodeOidBytes('1.40'));
  });

  test('ok/time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', () => {
    const a = new Date('2049-12-31T23:59:59Z');
    const b = new Date('2050-01-01T00:00:00Z');
    assert.equal(derTime(a).toString('latin1', 2), '491231235959Z');
    assert.equal(derTime(a)[0], Tag.UTCTime);
    assert.equal(derTime(b).toString('latin1', 2), '20500101000000Z');
    assert.equal(derTime(b)[0], Tag.GeneralizedTime);
    for (const d of [a, b, new Date('1950-01-01T00:00:00Z'), new Date('1999-06-15T12:30:45Z')]) {
      assert.equal(decodeTime(readTopLevel(derTime(d))).getTime(), d.getTime());
    }
  });

  test('fail/time with bad fields or formats', () => {
    const t = (tag: number, s: string): Buffer => Buffer.concat([Buffer.from([tag, s.length]), Buffer.from(s, 'latin1')]);
    throwsDer(() => decodeTime(readTopLevel(t(Tag.UTCTime, '251301000000Z')))); // month 13
    throwsDer(() => decodeTime(readTopLevel(t(Tag.UTCTime, '250230000000Z')))); // Feb 30
    throwsDer(() => decodeTime(readTopLevel(t(Tag.UTCTime, '2501010000Z')))); // no seconds
    throwsDer(() => decodeTime(readTopLevel(t(Tag.UTCTime, '250101000000+0100')))); // offset
    throwsDer(() => decodeTime(readTopLevel(t(Tag.GeneralizedTime, '20250101000000.5Z')))); // fraction
    throwsDer(() => decodeTime(readTopLevel(t(Tag.OCTET_STRING, '250101000000Z'))));
  });

  test('ok/SET OF is sorted by encoding (X.690 §11.6)', () => {
    const x = derInteger(2);
    const y = derInteger(1);
    const set = derSet([x, y]);
    assert.equal(hex(set), '3106' + hex(y) + hex(x));
  });
});
