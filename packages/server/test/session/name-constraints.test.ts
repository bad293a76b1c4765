// A name-constrained issuing CA through the real APIs: leaves inside its subtrees get credentials,
// one outside gets AWS's uniform "Untrusted signing certificate" with the typed reason in the
// audit record (RFC 5280 §4.2.1.10); an anchor no path could use is refused at CreateTrustAnchor.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCertificateAuthority, derSequence, issueLeafCertificate, nameConstraintsExtension } from '@mooring/pki';
import { DAY, sessionRequest, walkthroughSuite } from '../support/in-process.js';

describe('name constraints in CreateSession', () => {
  const { h, setup } = walkthroughSuite();
  const now = new Date();
  const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY) };

  test('ok/inside the issuing CA\'s subtrees → credentials; fail/outside → Untrusted signing certificate, audited as name-constraints', async () => {
    const s = setup();
    const root = createCertificateAuthority({ subject: [['CN', 'NC Root']], ...validity });
    const issuing = createCertificateAuthority({
      subject: [['CN', 'NC Issuing']], issuer: root, ...validity,
      extraExtensions: [nameConstraintsExtension({ permitted: [{ dns: 'corp.example' }] })],
    });
    const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'nc', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: root.pem } } }));
    assert.equal(ta.status, 201, ta.body);
    const taArn = ta.json().trustAnchor.trustAnchorArn as string;
    const send = async (dns: string) => {
      const l = issueLeafCertificate(issuing, { subject: [['CN', 'myContainer']], ...validity, subjectAltNames: [{ dns }] });
      const identity = { der: l.der, key: l.key, serialHex: l.cert.serialHex, serialDecimal: l.cert.serialDecimal };
      return h.send(await sessionRequest({ identity, trustAnchorArn: taArn, profileArn: s.profileArn, roleArn: s.roleArn, chain: [issuing.der] }));
    };
    const inside = await send('build-7.ci.corp.example');
    assert.equal(inside.status, 201, inside.body);
    const outside = await send('build-7.ci.other.example');
    assert.equal(outside.status, 403, outside.body);
    assert.equal(outside.json().message, 'Untrusted signing certificate');
    const event = h.auditEvents(1)[0]!;
    const extra = event.additionalEventData as Record<string, unknown>;
    assert.equal(extra.failureReason, 'name-constraints');
    assert.match(String(extra.failureDetail), /dns "build-7\.ci\.other\.example" is outside the permitted subtrees/);
  });

  test('fail/a CA certificate with a critical extension Mooring does not process is refused at CreateTrustAnchor', async () => {
    const pc = { oid: '2.5.29.36', critical: true, valueDer: derSequence([Buffer.from([0x80, 0x01, 0x00])]) };
    const ca = createCertificateAuthority({ subject: [['CN', 'Policy Constrained']], ...validity, extraExtensions: [pc] });
    const r = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'pc', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
    assert.equal(r.status, 400, r.body);
    assert.equal(r.json().message, 'Unsupported CA certificate: unsupported critical extension(s) 2.5.29.36');
  });
});
