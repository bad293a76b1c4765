import type { Schema } from '../property-schema.js';
import { propertyPath, TemplateError } from '../template-error.js';
import {
  diffProperties,
  listOwnedRolesAnywhere,
  type LiveResource,
  ownershipTags,
  type ResourceHandler,
  tagDelta,
  userTags,
} from './resource-handler.js';

/**
 * AWS::RolesAnywhere::CRL ([CFN] schema; service-spec §3.4, §7). Ref returns CrlId. CrlData is a
 * string in the schema: PEM text is sent as its bytes (ImportCrl takes PEM, service-spec §7);
 * any other value must be the base64 of a DER CRL.
 */

const SCHEMA: Extract<Schema, { type: 'object' }> = {
  type: 'object',
  // TrustAnchorArn is optional in the [CFN] schema, but ImportCrl requires it (service-spec §3.4).
  required: ['Name', 'CrlData', 'TrustAnchorArn'],
  properties: {
    Name: { type: 'string', min: 1, max: 255, pattern: /^[ a-zA-Z0-9-_]*$/ },
    CrlData: { type: 'string', min: 1 },
    TrustAnchorArn: { type: 'string', pattern: /^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:trust-anchor.*)$/ },
    Enabled: { type: 'boolean' },
    Tags: {
      type: 'array',
      max: 200,
      items: { type: 'object', required: ['Key', 'Value'], properties: { Key: { type: 'string', min: 1, max: 128 }, Value: { type: 'string', max: 256 } } },
    },
  },
};

interface WireCrl {
  crlId: string;
  crlArn: string;
  name: string;
  enabled: boolean;
  crlData: string;
  trustAnchorArn: string;
}

function crlBytesBase64(data: string, where: string): string {
  if (data.includes('-----BEGIN')) return Buffer.from(data, 'utf8').toString('base64');
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new TemplateError(where, 'must be a PEM CRL or the base64 of a DER CRL');
  return Buffer.from(compact, 'base64').toString('base64');
}

function toLive(c: WireCrl, tags: Array<{ key: string; value: string }>, logicalId: string): LiveResource {
  return {
    logicalId,
    physicalId: c.crlId,
    ref: c.crlId,
    attributes: { CrlId: c.crlId, CrlArn: c.crlArn },
    state: {
      Name: c.name,
      CrlData: c.crlData,
      TrustAnchorArn: c.trustAnchorArn,
      Enabled: c.enabled,
      Tags: userTags(tags.map((t) => ({ Key: t.key, Value: t.value }))),
    },
  };
}

export const crlHandler: ResourceHandler = {
  type: 'AWS::RolesAnywhere::CRL',
  schema: SCHEMA,
  attributes: ['CrlId', 'CrlArn'],

  normalize(props, target) {
    const data = props.CrlData;
    return {
      Name: props.Name,
      CrlData: typeof data === 'string' ? crlBytesBase64(data, propertyPath(target.logicalId, 'CrlData')) : data,
      TrustAnchorArn: props.TrustAnchorArn,
      Enabled: props.Enabled ?? false,
      Tags: userTags(props.Tags),
    };
  },

  listOwned: (apis, stack) =>
    listOwnedRolesAnywhere<WireCrl>(apis, stack, { operation: 'ListCrls', path: '/crls', key: 'crls' }, (c) => ({ arn: c.crlArn, id: c.crlId })),

  async read(apis, owned) {
    const { crl } = await apis.ra.call<{ crl: WireCrl }>('GetCrl', 'GET', `/crl/${owned.physicalId}`);
    return toLive(crl, await apis.ra.listTags(crl.crlArn), owned.logicalId);
  },

  diff(desired, live) {
    // UpdateCrl cannot move a CRL to another trust anchor (docs/control-plane.md).
    return diffProperties(desired, live.state, new Set(['TrustAnchorArn']));
  },

  async create(apis, desired, target) {
    const { crl } = await apis.ra.call<{ crl: WireCrl }>('ImportCrl', 'POST', '/crls', {
      name: desired.Name,
      crlData: desired.CrlData,
      trustAnchorArn: desired.TrustAnchorArn,
      enabled: desired.Enabled,
      tags: [...userTags(desired.Tags), ...ownershipTags(target)].map((t) => ({ key: t.Key, value: t.Value })),
    });
    return this.read(apis, { logicalId: target.logicalId, physicalId: crl.crlId });
  },

  async update(apis, live, desired, changes) {
    const id = live.physicalId;
    const changed = new Set(changes.map((c) => c.property));
    if (changed.has('Name') || changed.has('CrlData')) {
      await apis.ra.call('UpdateCrl', 'PATCH', `/crl/${id}`, {
        ...(changed.has('Name') ? { name: desired.Name } : {}),
        ...(changed.has('CrlData') ? { crlData: desired.CrlData } : {}),
      });
    }
    if (changed.has('Enabled')) {
      await apis.ra.call(desired.Enabled ? 'EnableCrl' : 'DisableCrl', 'POST', `/crl/${id}/${desired.Enabled ? 'enable' : 'disable'}`);
    }
    if (changed.has('Tags')) {
      const { set, remove } = tagDelta(live.state.Tags, desired.Tags);
      await apis.ra.untag(live.attributes.CrlArn!, remove);
      await apis.ra.tag(live.attributes.CrlArn!, set.map((t) => ({ key: t.Key, value: t.Value })));
    }
    return this.read(apis, live);
  },

  async delete(apis, live) {
    await apis.ra.call('DeleteCrl', 'DELETE', `/crl/${live.physicalId}`);
  },
};
