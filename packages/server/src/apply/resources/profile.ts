import type { Schema } from '../property-schema.js';
import { propertyPath, TemplateError } from '../template-error.js';
import {
  canonical,
  diffProperties,
  listOwnedRolesAnywhere,
  type LiveResource,
  ownershipTags,
  type Props,
  RA_TAG_SCHEMA,
  type ResourceHandler,
  tagDelta,
  userTags,
} from './resource-handler.js';

/** AWS::RolesAnywhere::Profile ([CFN] schema; service-spec §3.2, §3.3). Ref returns ProfileId. */

const SCHEMA: Extract<Schema, { type: 'object' }> = {
  type: 'object',
  required: ['Name', 'RoleArns'],
  properties: {
    Name: { type: 'string', min: 1, max: 255, pattern: /^[ a-zA-Z0-9-_]*$/ },
    RoleArns: { type: 'array', max: 250, items: { type: 'string', min: 1, max: 1011, pattern: /^arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)$/ } },
    Enabled: { type: 'boolean' },
    DurationSeconds: { type: 'number', min: 900, max: 43200 },
    ManagedPolicyArns: { type: 'array', max: 50, items: { type: 'string', min: 1, max: 200 } },
    // A string in the [CFN] schema; a mapping is accepted too and sent as its JSON text.
    SessionPolicy: { type: 'policy' },
    AcceptRoleSessionName: { type: 'boolean' },
    RequireInstanceProperties: { type: 'boolean' },
    AttributeMappings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['CertificateField', 'MappingRules'],
        properties: {
          CertificateField: { type: 'string', enum: ['x509Subject', 'x509Issuer', 'x509SAN'] },
          MappingRules: { type: 'array', items: { type: 'object', required: ['Specifier'], properties: { Specifier: { type: 'string', min: 0, max: 60 } } } },
        },
      },
    },
    Tags: RA_TAG_SCHEMA,
  },
};

interface WireProfile {
  profileId: string;
  profileArn: string;
  name: string;
  enabled: boolean;
  roleArns: string[];
  durationSeconds?: number;
  managedPolicyArns?: string[];
  sessionPolicy?: string;
  acceptRoleSessionName?: boolean;
  requireInstanceProperties?: boolean;
  attributeMappings?: Array<{ certificateField: string; mappingRules: Array<{ specifier: string }> }>;
}

type CfnMapping = { CertificateField: string; Specifiers: string[] };

/** Mooring stores `Name` and `Name/` as `Name/*` and collapses duplicates (docs/control-plane.md). */
function normalizeSpecifiers(list: string[]): string[] {
  return [...new Set(list.map((s) => (s === 'Name' || s === 'Name/' ? 'Name/*' : s)))].sort();
}

function mappings(list: CfnMapping[]): CfnMapping[] {
  return [...list].sort((a, b) => a.CertificateField.localeCompare(b.CertificateField));
}

/** A session policy compared as JSON when it is JSON, else as text. */
function policyValue(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toLive(p: WireProfile, tags: Array<{ key: string; value: string }>, logicalId: string): LiveResource {
  return {
    logicalId,
    physicalId: p.profileId,
    ref: p.profileId,
    attributes: { ProfileId: p.profileId, ProfileArn: p.profileArn },
    state: {
      Name: p.name,
      RoleArns: [...p.roleArns].sort(),
      Enabled: p.enabled,
      DurationSeconds: p.durationSeconds ?? 3600,
      ManagedPolicyArns: [...(p.managedPolicyArns ?? [])].sort(),
      SessionPolicy: policyValue(p.sessionPolicy),
      AcceptRoleSessionName: p.acceptRoleSessionName ?? false,
      RequireInstanceProperties: p.requireInstanceProperties ?? false,
      AttributeMappings: mappings(
        (p.attributeMappings ?? []).map((m) => ({ CertificateField: m.certificateField, Specifiers: normalizeSpecifiers(m.mappingRules.map((r) => r.specifier)) })),
      ),
      Tags: userTags(tags.map((t) => ({ Key: t.key, Value: t.value }))),
    },
  };
}

async function putMappings(apis: Parameters<ResourceHandler['create']>[0], id: string, wanted: CfnMapping[], current: CfnMapping[]): Promise<void> {
  for (const m of wanted) {
    const now = current.find((c) => c.CertificateField === m.CertificateField);
    if (now && canonical(now) === canonical(m)) continue;
    await apis.ra.call('PutAttributeMapping', 'PUT', `/profiles/${id}/mappings`, {
      certificateField: m.CertificateField,
      mappingRules: m.Specifiers.map((specifier) => ({ specifier })),
    });
  }
  for (const c of current) {
    if (!wanted.some((w) => w.CertificateField === c.CertificateField)) {
      await apis.ra.call('DeleteAttributeMapping', 'DELETE', `/profiles/${id}/mappings`, undefined, { certificateField: c.CertificateField });
    }
  }
}

export const profileHandler: ResourceHandler = {
  type: 'AWS::RolesAnywhere::Profile',
  schema: SCHEMA,
  attributes: ['ProfileId', 'ProfileArn'],

  normalize(props, target) {
    const out: Props = {
      Name: props.Name,
      RoleArns: [...(props.RoleArns as string[])].sort(),
      Enabled: props.Enabled ?? false,
      DurationSeconds: props.DurationSeconds ?? 3600, // "the default value will be 3600" (service-spec §3.2)
      ManagedPolicyArns: [...((props.ManagedPolicyArns as string[] | undefined) ?? [])].sort(),
      SessionPolicy: props.SessionPolicy ?? null,
      AcceptRoleSessionName: props.AcceptRoleSessionName ?? false,
      Tags: userTags(props.Tags),
    };
    if (props.RequireInstanceProperties !== undefined) out.RequireInstanceProperties = props.RequireInstanceProperties;
    if (props.AttributeMappings !== undefined) {
      const list = (props.AttributeMappings as Props[]).map((m) => ({
        CertificateField: m.CertificateField as string,
        Specifiers: normalizeSpecifiers((m.MappingRules as Props[]).map((r) => r.Specifier as string)),
      }));
      const fields = list.map((m) => m.CertificateField);
      const dup = fields.find((f, i) => fields.indexOf(f) !== i);
      if (dup) throw new TemplateError(propertyPath(target.logicalId, 'AttributeMappings'), `CertificateField ${dup} appears twice`);
      out.AttributeMappings = mappings(list);
    }
    return out;
  },

  listOwned: (apis, stack) =>
    listOwnedRolesAnywhere<WireProfile>(apis, stack, { operation: 'ListProfiles', path: '/profiles', key: 'profiles' }, (p) => ({ arn: p.profileArn, id: p.profileId })),

  async read(apis, owned) {
    const { profile } = await apis.ra.call<{ profile: WireProfile }>('GetProfile', 'GET', `/profile/${owned.physicalId}`);
    return toLive(profile, await apis.ra.listTags(profile.profileArn), owned.logicalId);
  },

  diff(desired, live) {
    // RequireInstanceProperties is create-only ([CFN] createOnlyProperties); a session policy
    // cannot be removed through UpdateProfile (it takes 1..100000 characters), only replaced.
    return diffProperties(desired, live.state, new Set(['RequireInstanceProperties'])).map((c) =>
      c.property === 'SessionPolicy' && c.to === null ? { ...c, replace: true } : c,
    );
  },

  async create(apis, desired, target) {
    const body: Record<string, unknown> = {
      name: desired.Name,
      roleArns: desired.RoleArns,
      enabled: desired.Enabled,
      durationSeconds: desired.DurationSeconds,
      acceptRoleSessionName: desired.AcceptRoleSessionName,
      tags: [...userTags(desired.Tags), ...ownershipTags(target)].map((t) => ({ key: t.Key, value: t.Value })),
    };
    if ((desired.ManagedPolicyArns as string[]).length > 0) body.managedPolicyArns = desired.ManagedPolicyArns;
    if (desired.SessionPolicy !== null) body.sessionPolicy = JSON.stringify(desired.SessionPolicy);
    if (desired.RequireInstanceProperties !== undefined) body.requireInstanceProperties = desired.RequireInstanceProperties;
    const { profile } = await apis.ra.call<{ profile: WireProfile }>('CreateProfile', 'POST', '/profiles', body);
    if (desired.AttributeMappings !== undefined) {
      const live = toLive(profile, [], target.logicalId);
      await putMappings(apis, profile.profileId, desired.AttributeMappings as CfnMapping[], live.state.AttributeMappings as CfnMapping[]);
    }
    return this.read(apis, { logicalId: target.logicalId, physicalId: profile.profileId });
  },

  async update(apis, live, desired, changes) {
    const id = live.physicalId;
    const changed = new Set(changes.map((c) => c.property));
    const patch: Record<string, unknown> = {};
    if (changed.has('Name')) patch.name = desired.Name;
    if (changed.has('RoleArns')) patch.roleArns = desired.RoleArns;
    if (changed.has('ManagedPolicyArns')) patch.managedPolicyArns = desired.ManagedPolicyArns;
    if (changed.has('DurationSeconds')) patch.durationSeconds = desired.DurationSeconds;
    if (changed.has('AcceptRoleSessionName')) patch.acceptRoleSessionName = desired.AcceptRoleSessionName;
    if (changed.has('SessionPolicy')) patch.sessionPolicy = JSON.stringify(desired.SessionPolicy);
    // UpdateProfile is a PATCH: omitted members stay as they are (service-spec §3.2).
    if (Object.keys(patch).length > 0) await apis.ra.call('UpdateProfile', 'PATCH', `/profile/${id}`, patch);
    if (changed.has('Enabled')) {
      await apis.ra.call(desired.Enabled ? 'EnableProfile' : 'DisableProfile', 'POST', `/profile/${id}/${desired.Enabled ? 'enable' : 'disable'}`);
    }
    if (changed.has('AttributeMappings')) {
      await putMappings(apis, id, desired.AttributeMappings as CfnMapping[], live.state.AttributeMappings as CfnMapping[]);
    }
    if (changed.has('Tags')) {
      const { set, remove } = tagDelta(live.state.Tags, desired.Tags);
      await apis.ra.untag(live.attributes.ProfileArn!, remove);
      await apis.ra.tag(live.attributes.ProfileArn!, set.map((t) => ({ key: t.Key, value: t.Value })));
    }
    return this.read(apis, live);
  },

  async delete(apis, live) {
    await apis.ra.call('DeleteProfile', 'DELETE', `/profile/${live.physicalId}`);
  },
};
