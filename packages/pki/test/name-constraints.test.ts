// RFC 5280 §4.2.1.10 name constraints in path validation: a constrained CA's subtrees bind every
// certificate below it, for each name form (DNS, email, URI, IP, directory name).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createCertificateAuthority, issueLeafCertificate, nameConstraintsExtension, parseCertificate, validatePath,
} from '../src/index.js';
import type { GeneralNameSpec, IssuedCertificate, ParsedCertificate, SubtreeSpec } from '../src/index.js';

const T0 = new Date('2025-01-01T00:00:00Z');
const NOW = new Date('2025-06-01T00:00:00Z');
const caDates = { notBefore: T0, notAfter: new Date('2035-01-01T00:00:00Z') };
const dates = { notBefore: T0, notAfter: new Date('2026-01-01T00:00:00Z') };

const root = createCertificateAuthority({ subject: [['CN', 'NC Root']], ...caDates });

function constrained(spec: { permitted?: SubtreeSpec[]; excluded?: SubtreeSpec[] }, subject = 'NC Issuing', critical = true): IssuedCertificate {
  return createCertificateAuthority({ subject: [['O', 'Example'], ['CN', subject]], issuer: root, ...caDates, extraExtensions: [nameConstraintsExtension(spec, critical)] });
}

function leaf(ca: IssuedCertificate, sans: GeneralNameSpec[], subject: Array<[string, string]> = [['O', 'Example'], ['CN', 'w']]): ParsedCertificate {
  return issueLeafCertificate(ca, { subject, ...dates, ...(sans.length ? { subjectAltNames: sans } : {}) }).cert;
}

function check(ca: IssuedCertificate, l: ParsedCertificate) {
  return validatePath({ leaf: l, intermediates: [ca.cert], anchors: [root.cert], now: NOW });
}

function expectOk(ca: IssuedCertificate, l: ParsedCertificate) {
  const r = check(ca, l);
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
}

function expectViolation(ca: IssuedCertificate, l: ParsedCertificate, detail: RegExp) {
  const r = check(ca, l);
  assert.equal(r.ok ? 'ok' : r.reason, 'name-constraints');
  if (!r.ok) assert.match(r.detail, detail);
}

describe('name constraints', () => {
  test('ok/a critical nameConstraints extension is understood (no longer an unknown critical extension)', () => {
    const ca = constrained({ permitted: [{ dns: 'example.com' }] });
    const parsed = parseCertificate(ca.der);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.unknownCriticalExtensions, []);
    assert.deepEqual(parsed.value.nameConstraints?.permitted.map((g) => [g.type, g.value]), [['dns', 'example.com']]);
  });

  test('ok/DNS: the permitted domain and its subdomains; fail/outside it or in an excluded subtree', () => {
    const ca = constrained({ permitted: [{ dns: 'example.com' }], excluded: [{ dns: 'secret.example.com' }] });
    expectOk(ca, leaf(ca, [{ dns: 'example.com' }]));
    expectOk(ca, leaf(ca, [{ dns: 'a.b.EXAMPLE.com' }]));
    expectViolation(ca, leaf(ca, [{ dns: 'badexample.com' }]), /dns "badexample\.com" is outside the permitted subtrees/);
    expectViolation(ca, leaf(ca, [{ dns: 'ok.example.com' }, { dns: 'evil.org' }]), /evil\.org/);
    expectViolation(ca, leaf(ca, [{ dns: 'x.secret.example.com' }]), /within the excluded subtree dns "secret\.example\.com"/);
    // A form the constraints do not restrict is free: no DNS names at all passes a DNS constraint.
    expectOk(ca, leaf(ca, [{ uri: 'spiffe://elsewhere/w' }]));
  });

  test('ok/email: mailbox, host and domain forms, from the SAN and the subject emailAddress', () => {
    const ca = constrained({ permitted: [{ email: '.example.com' }, { email: 'ops@partner.org' }] });
    expectOk(ca, leaf(ca, [{ email: 'a@mail.example.com' }]));
    expectOk(ca, leaf(ca, [{ email: 'ops@PARTNER.org' }]));
    expectViolation(ca, leaf(ca, [{ email: 'dev@partner.org' }]), /email "dev@partner\.org"/);
    expectViolation(ca, leaf(ca, [], [['O', 'Example'], ['CN', 'w'], ['emailAddress', 'x@example.com']]), /email "x@example\.com"/);
  });

  test('ok/URI: the host part; a URI without a host is outside any permitted URI subtree', () => {
    const ca = constrained({ permitted: [{ uri: '.example.com' }] });
    expectOk(ca, leaf(ca, [{ uri: 'https://svc.example.com/path' }]));
    expectViolation(ca, leaf(ca, [{ uri: 'https://example.org/' }]), /uri "https:\/\/example\.org\/"/);
    expectViolation(ca, leaf(ca, [{ uri: 'urn:uuid:1234' }]), /outside the permitted/);
  });

  test('ok/IP: address and mask, per family', () => {
    const ca = constrained({ permitted: [{ ipRange: '10.0.0.0/8' }, { ipRange: 'fd00::/8' }] });
    expectOk(ca, leaf(ca, [{ ip: '10.1.2.3' }]));
    expectOk(ca, leaf(ca, [{ ip: 'fd12::1' }]));
    expectViolation(ca, leaf(ca, [{ ip: '192.168.0.1' }]), /ip "192\.168\.0\.1"/);
    expectViolation(ca, leaf(ca, [{ ip: '2001:db8::1' }]), /ip "2001:db8::1"/);
  });

  test('ok/directory name: the subject must begin with the permitted RDNs', () => {
    const ca = constrained({ permitted: [{ dirName: [['O', 'Example']] }] });
    expectOk(ca, leaf(ca, [], [['O', 'example'], ['CN', 'w']]));
    expectViolation(ca, leaf(ca, [], [['O', 'Other'], ['CN', 'w']]), /dirName "CN=w,O=Other" is outside the permitted subtrees/);
    const excluding = constrained({ excluded: [{ dirName: [['O', 'Example'], ['OU', 'Legacy']] }] }, 'NC Excluding');
    expectViolation(excluding, leaf(excluding, [], [['O', 'Example'], ['OU', 'Legacy'], ['CN', 'w']]), /excluded/);
    expectOk(excluding, leaf(excluding, [], [['O', 'Example'], ['OU', 'Current'], ['CN', 'w']]));
  });

  test('ok/the constraints of a CA bind intermediates below it too; fail/a non-critical one is still applied', () => {
    const ca = constrained({ permitted: [{ dirName: [['O', 'Example']] }] });
    const sub = createCertificateAuthority({ subject: [['O', 'Elsewhere'], ['CN', 'Sub']], issuer: ca, ...caDates });
    const l = leaf(sub, [], [['O', 'Example'], ['CN', 'w']]);
    const r = validatePath({ leaf: l, intermediates: [sub.cert, ca.cert], anchors: [root.cert], now: NOW });
    assert.equal(r.ok ? 'ok' : r.reason, 'name-constraints');
    const soft = constrained({ permitted: [{ dns: 'example.com' }] }, 'NC Soft', false);
    expectViolation(soft, leaf(soft, [{ dns: 'evil.org' }]), /evil\.org/);
  });

  test('ok/a trust anchor\'s own constraints apply to the path below it', () => {
    const anchor = constrained({ permitted: [{ dns: 'example.com' }] }, 'NC Anchor');
    const good = leaf(anchor, [{ dns: 'w.example.com' }]);
    const bad = leaf(anchor, [{ dns: 'w.example.org' }]);
    assert.ok(validatePath({ leaf: good, intermediates: [], anchors: [anchor.cert], now: NOW }).ok);
    const r = validatePath({ leaf: bad, intermediates: [], anchors: [anchor.cert], now: NOW });
    assert.equal(r.ok ? 'ok' : r.reason, 'name-constraints');
  });
});
