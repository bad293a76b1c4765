import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributeOid, attributeShortName, buildName, derOid, derSequence, derSet, derUtf8String, escapeRdnValue, formatName, nameEquals,
  parseName, tlv, Tag,
} from '../src/index.js';
import type { Name } from '../src/index.js';

const ALL_SHORT_NAMES = [
  'CN', 'C', 'L', 'ST', 'O', 'OU', 'STREET', 'DC', 'UID', 'SERIALNUMBER', 'emailAddress', 'title', 'GN', 'SN', 'initials',
  'pseudonym', 'generationQualifier', 'dnQualifier', 'businessCategory', 'postalCode',
];

describe('formatName (RFC 4514)', () => {
  test('ok/RDNs in reverse order, comma-joined without spaces', () => {
    assert.equal(formatName(buildName([['C', 'US'], ['O', 'Example'], ['CN', 'myContainer']])), 'CN=myContainer,O=Example,C=US');
    // The only DN string AWS documents (EventBridge): certificate order C, ST, CN, L.
    const aws = buildName([['C', 'US'], ['ST', 'Washington'], ['CN', 'CA Root v1'], ['L', 'Seattle']]);
    assert.equal(formatName(aws), 'L=Seattle,CN=CA Root v1,ST=Washington,C=US');
  });

  test('ok/every supported short name round-trips through DER', () => {
    const spec = ALL_SHORT_NAMES.map((s): [string, string] => [s, s === 'C' ? 'US' : `v-${s}`]);
    const name = parseName(buildName(spec).der);
    assert.deepEqual(name.rdns.map((r) => r[0]!.shortName), ALL_SHORT_NAMES);
    assert.equal(attributeShortName('1.2.840.113549.1.9.1'), 'emailAddress');
    assert.equal(attributeOid('emailaddress'), '1.2.840.113549.1.9.1');
    assert.equal(attributeOid('cn'), '2.5.4.3');
    assert.equal(attributeOid('1.2.3.4'), '1.2.3.4');
    assert.throws(() => attributeOid('NOPE'));
    assert.ok(formatName(name).startsWith('postalCode=v-postalCode,businessCategory=v-businessCategory,'));
  });

  test('ok/multi-valued OU (separate RDNs) and a multi-attribute RDN joined with +', () => {
    const n = buildName([['O', 'Example'], ['OU', 'Security'], ['OU', 'Engineering'], ['OU', 'Research'], [['CN', 'alice'], ['UID', 'a1']]]);
    assert.equal(formatName(n), 'CN=alice+UID=a1,OU=Research,OU=Engineering,OU=Security,O=Example');
    assert.deepEqual(n.rdns.flat().filter((a) => a.shortName === 'OU').map((a) => a.value), ['Security', 'Engineering', 'Research']);
    assert.equal(n.rdns[4]!.length, 2);
  });

  test('ok/special characters are escaped (RFC 4514 §2.4)', () => {
    assert.equal(escapeRdnValue('a,b+c"d\\e<f>g;h'), 'a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    assert.equal(escapeRdnValue('#x'), '\\#x');
    assert.equal(escapeRdnValue(' lead and trail '), '\\ lead and trail\\ ');
    assert.equal(escapeRdnValue('in#side'), 'in#side');
    assert.equal(escapeRdnValue('nul\0'), 'nul\\00');
    assert.equal(formatName(buildName([['O', 'Acme, Inc.'], ['CN', 'a+b']])), 'CN=a\\+b,O=Acme\\, Inc.');
  });

  test('ok/unknown attribute types print as dotted OID with hex value', () => {
    const n = buildName([['1.3.6.1.4.1.99999.7', 'abc'], ['CN', 'x']]);
    assert.equal(formatName(n), 'CN=x,1.3.6.1.4.1.99999.7=#0c03616263');
    assert.equal(n.rdns[0]![0]!.shortName, undefined);
    // A known type whose value is not a string also uses the hex form.
    const odd = parseName(derSequence([derSet([derSequence([derOid('2.5.4.3'), tlv(Tag.OCTET_STRING, Buffer.from('hi'))])])]));
    assert.equal(formatName(odd), 'CN=#04026869');
  });

  test('ok/string types: PrintableString, IA5String, BMPString, T61String', () => {
    const bmp = tlv(Tag.BMPString, Buffer.from('00e90041', 'hex')); // 'éA'
    const t61 = tlv(Tag.T61String, Buffer.from('caf\xe9', 'latin1'));
    const n = parseName(derSequence([
      derSet([derSequence([derOid('2.5.4.3'), bmp])]),
      derSet([derSequence([derOid('2.5.4.10'), t61])]),
    ]));
    assert.deepEqual(n.rdns.map((r) => r[0]!.value), ['éA', 'café']);
  });

  test('fail/malformed names throw (callers wrap them into a malformed result)', () => {
    assert.throws(() => parseName(derSequence([derSet([])]))); // empty RDN
    assert.throws(() => parseName(derSequence([derSequence([])]))); // RDN not a SET
    assert.throws(() => parseName(derSequence([derSet([derSequence([derOid('2.5.4.3')])])]))); // no value
    assert.throws(() => buildName([['C', 'not printable é']]));
  });
});

describe('nameEquals (RFC 5280 §7.1, simplified)', () => {
  const n = (spec: Parameters<typeof buildName>[0]): Name => buildName(spec);

  test('ok/identical DER, case and whitespace differences, different string types', () => {
    assert.ok(nameEquals(n([['C', 'US'], ['CN', 'Root']]), n([['C', 'US'], ['CN', 'Root']])));
    assert.ok(nameEquals(n([['O', 'Example  Corp'], ['CN', 'Root']]), n([['O', ' example corp '], ['CN', 'ROOT']])));
    // PrintableString vs UTF8String encodings of the same CN compare equal although the DER differs.
    const printable = parseName(derSequence([derSet([derSequence([derOid('2.5.4.3'), tlv(Tag.PrintableString, Buffer.from('Root'))])])]));
    const utf8 = parseName(derSequence([derSet([derSequence([derOid('2.5.4.3'), derUtf8String('Root')])])]));
    assert.ok(!printable.der.equals(utf8.der));
    assert.ok(nameEquals(printable, utf8));
    // Multi-attribute RDNs match as sets.
    assert.ok(nameEquals(n([[['CN', 'a'], ['UID', 'b']]]), { der: Buffer.alloc(0), rdns: [[{ oid: '0.9.2342.19200300.100.1.1', value: 'b' }, { oid: '2.5.4.3', value: 'a' }]] }));
  });

  test('fail/different values, order, types or RDN count', () => {
    assert.ok(!nameEquals(n([['CN', 'Root']]), n([['CN', 'Root2']])));
    assert.ok(!nameEquals(n([['O', 'X'], ['CN', 'Y']]), n([['CN', 'Y'], ['O', 'X']])));
    assert.ok(!nameEquals(n([['O', 'X']]), n([['OU', 'X']])));
    assert.ok(!nameEquals(n([['O', 'X']]), n([['O', 'X'], ['CN', 'Y']])));
    assert.ok(!nameEquals(n([[['CN', 'a'], ['UID', 'b']]]), n([['CN', 'a'], ['UID', 'b']])));
    assert.ok(!nameEquals(n([['CN', 'a b']]), n([['CN', 'ab']])));
  });
});
