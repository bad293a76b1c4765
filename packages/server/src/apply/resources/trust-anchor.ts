import type { Schema } from '../property-schema.js';
import { propertyPath, TemplateError } from '../template-error.js';
import {
  canonical,
  type CfnTag,
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

/** AWS::RolesAnywhere::TrustAnchor ([CFN] schema; service-spec §3.1). Ref returns TrustAnchorId. */

const NOTIFICATION_SETTING: Schema = {
  type: 'object',
  required: ['Enabled', 'Event'],
  properties: {
    Enabled: { type: 'boolean' },
    Event: { type: 'string', enum: ['CA_CERTIFICATE_EXPIRY', 'END_ENTITY_CERTIFICATE_EXPIRY'] },
    Threshold: { type: 'number', min: 1, max: 360 },
    Channel: { type: 'string', enum: ['ALL'] },
  },
};

const SCHEMA: Extract<Schema, { type: 'object' }> = {
  type: 'object',
  required: ['Name', 'Source'],
  properties: {
    Name: { type: 'string', min: 1, max: 255, pattern: /^[ a-zA-Z0-9-_]*$/ },
    Source: {
      type: 'object',
      required: ['SourceType', 'SourceData'],
      properties: {
        SourceType: { type: 'string', enum: ['AWS_ACM_PCA', 'CERTIFICATE_BUNDLE'] },
        SourceData: { type: 'object', properties: { X509CertificateData: { type: 'string', min: 1, max: 16000 }, AcmPcaArn: { type: 'string' } } },
      },
    },
    Enabled: { type: 'boolean' },
    Tags: RA_TAG_SCHEMA,
    NotificationSettings: { type: 'array', max: 50, items: NOTIFICATION_SETTING },
  },
};

/** PEM compared without regard to line endings and surrounding blank space. */
function normalizePem(pem: string): string {
  return pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

interface WireTrustAnchor {
  trustAnchorId: string;
  trustAnchorArn: string;
  name: string;
  enabled: boolean;
  source: { sourceType: string; sourceData: { x509CertificateData?: string; acmPcaArn?: string } };
  notificationSettings?: Array<{ enabled: boolean; event: string; threshold?: number; channel?: string; configuredBy?: string }>;
}

interface CfnNotification {
  Event: string;
  Channel: string;
  Enabled: boolean;
  Threshold?: number;
}

function sortNotifications(list: CfnNotification[]): CfnNotification[] {
  return [...list].sort((a, b) => `${a.Event}/${a.Channel}`.localeCompare(`${b.Event}/${b.Channel}`));
}

function toLive(ta: WireTrustAnchor, tags: CfnTag[], logicalId: string): LiveResource {
  const data = ta.source.sourceData;
  return {
    logicalId,
    physicalId: ta.trustAnchorId,
    ref: ta.trustAnchorId,
    attributes: { TrustAnchorId: ta.trustAnchorId, TrustAnchorArn: ta.trustAnchorArn },
    state: {
      Name: ta.name,
      Source: {
        SourceType: ta.source.sourceType,
        SourceData: data.x509CertificateData !== undefined ? { X509CertificateData: normalizePem(data.x509CertificateData) } : { AcmPcaArn: data.acmPcaArn },
      },
      Enabled: ta.enabled,
      Tags: userTags(tags),
      // Only settings someone configured: the service's defaults are not the template's business.
      NotificationSettings: sortNotifications(
        (ta.notificationSettings ?? [])
          .filter((n) => n.configuredBy !== 'rolesanywhere.amazonaws.com')
          .map((n) => ({ Event: n.event, Channel: n.channel ?? 'ALL', Enabled: n.enabled, ...(n.threshold !== undefined ? { Threshold: n.threshold } : {}) })),
      ),
    },
  };
}

function wireSource(source: Props): Record<string, unknown> {
  const data = source.SourceData as Props;
  return {
    sourceType: source.SourceType,
    sourceData: data.X509CertificateData !== undefined ? { x509CertificateData: data.X509CertificateData } : { acmPcaArn: data.AcmPcaArn },
  };
}

function wireNotifications(list: unknown): Array<Record<string, unknown>> {
  return (list as CfnNotification[]).map((n) => ({ enabled: n.Enabled, event: n.Event, channel: n.Channel, ...(n.Threshold !== undefined ? { threshold: n.Threshold } : {}) }));
}

export const trustAnchorHandler: ResourceHandler = {
  type: 'AWS::RolesAnywhere::TrustAnchor',
  schema: SCHEMA,
  attributes: ['TrustAnchorId', 'TrustAnchorArn'],

  normalize(props, target) {
    const source = props.Source as Props;
    const data = (source.SourceData ?? {}) as Props;
    const pem = data.X509CertificateData;
    // SourceData is a union: exactly one member, the one SourceType names ([CFN] SourceData oneOf).
    const member = source.SourceType === 'CERTIFICATE_BUNDLE' ? 'X509CertificateData' : 'AcmPcaArn';
    if (Object.keys(data).length !== 1 || !(member in data)) {
      throw new TemplateError(propertyPath(target.logicalId, 'Source', 'SourceData'), `a ${String(source.SourceType)} source needs exactly one member, ${member}`);
    }
    const out: Props = {
      Name: props.Name,
      Source: { SourceType: source.SourceType, SourceData: typeof pem === 'string' ? { X509CertificateData: normalizePem(pem) } : data },
      // Mooring (like ImportCrl) creates disabled when Enabled is omitted (docs/control-plane.md).
      Enabled: props.Enabled ?? false,
      Tags: userTags(props.Tags),
    };
    // Omitted: the notification settings are left as they are.
    if (props.NotificationSettings !== undefined) {
      out.NotificationSettings = sortNotifications(
        (props.NotificationSettings as Props[]).map((n) => ({
          Event: n.Event as string,
          Channel: (n.Channel as string | undefined) ?? 'ALL',
          Enabled: n.Enabled as boolean,
          ...(n.Threshold !== undefined ? { Threshold: n.Threshold as number } : {}),
        })),
      );
    }
    return out;
  },

  listOwned: (apis, stack) =>
    listOwnedRolesAnywhere<WireTrustAnchor>(apis, stack, { operation: 'ListTrustAnchors', path: '/trustanchors', key: 'trustAnchors' }, (ta) => ({
      arn: ta.trustAnchorArn,
      id: ta.trustAnchorId,
    })),

  async read(apis, owned) {
    const { trustAnchor } = await apis.ra.call<{ trustAnchor: WireTrustAnchor }>('GetTrustAnchor', 'GET', `/trustanchor/${owned.physicalId}`);
    const tags = await apis.ra.listTags(trustAnchor.trustAnchorArn);
    return toLive(trustAnchor, tags.map((t) => ({ Key: t.key, Value: t.value })), owned.logicalId);
  },

  diff(desired, live) {
    const { NotificationSettings: wanted, ...rest } = desired;
    const changes = diffProperties(rest, live.state);
    if (wanted !== undefined) {
      const current = live.state.NotificationSettings as CfnNotification[];
      // An omitted Threshold keeps the current one (docs/control-plane.md), so it never differs.
      const effective = (wanted as CfnNotification[]).map((n) => {
        const now = current.find((c) => c.Event === n.Event && c.Channel === n.Channel);
        return n.Threshold === undefined && now?.Threshold !== undefined ? { ...n, Threshold: now.Threshold } : n;
      });
      if (canonical(effective) !== canonical(current)) changes.push({ property: 'NotificationSettings', from: current, to: wanted, replace: false });
    }
    return changes;
  },

  async create(apis, desired, target) {
    const body: Record<string, unknown> = {
      name: desired.Name,
      source: wireSource(desired.Source as Props),
      enabled: desired.Enabled,
      tags: [...userTags(desired.Tags), ...ownershipTags(target)].map((t) => ({ key: t.Key, value: t.Value })),
    };
    if (desired.NotificationSettings !== undefined) body.notificationSettings = wireNotifications(desired.NotificationSettings);
    const { trustAnchor } = await apis.ra.call<{ trustAnchor: WireTrustAnchor }>('CreateTrustAnchor', 'POST', '/trustanchors', body);
    return this.read(apis, { logicalId: target.logicalId, physicalId: trustAnchor.trustAnchorId });
  },

  async update(apis, live, desired, changes) {
    const id = live.physicalId;
    const changed = new Set(changes.map((c) => c.property));
    if (changed.has('Name') || changed.has('Source')) {
      await apis.ra.call('UpdateTrustAnchor', 'PATCH', `/trustanchor/${id}`, {
        ...(changed.has('Name') ? { name: desired.Name } : {}),
        ...(changed.has('Source') ? { source: wireSource(desired.Source as Props) } : {}),
      });
    }
    if (changed.has('Enabled')) {
      await apis.ra.call(desired.Enabled ? 'EnableTrustAnchor' : 'DisableTrustAnchor', 'POST', `/trustanchor/${id}/${desired.Enabled ? 'enable' : 'disable'}`);
    }
    if (changed.has('NotificationSettings')) {
      const wanted = desired.NotificationSettings as CfnNotification[];
      const stale = (live.state.NotificationSettings as CfnNotification[]).filter((c) => !wanted.some((w) => w.Event === c.Event && w.Channel === c.Channel));
      if (stale.length > 0) {
        await apis.ra.call('ResetNotificationSettings', 'PATCH', '/reset-notifications-settings', {
          trustAnchorId: id,
          notificationSettingKeys: stale.map((s) => ({ event: s.Event, channel: s.Channel })),
        });
      }
      if (wanted.length > 0) {
        await apis.ra.call('PutNotificationSettings', 'PATCH', '/put-notifications-settings', { trustAnchorId: id, notificationSettings: wireNotifications(wanted) });
      }
    }
    if (changed.has('Tags')) {
      const { set, remove } = tagDelta(live.state.Tags, desired.Tags);
      await apis.ra.untag(live.attributes.TrustAnchorArn!, remove);
      await apis.ra.tag(live.attributes.TrustAnchorArn!, set.map((t) => ({ key: t.Key, value: t.Value })));
    }
    return this.read(apis, live);
  },

  async delete(apis, live) {
    await apis.ra.call('DeleteTrustAnchor', 'DELETE', `/trustanchor/${live.physicalId}`);
  },
};
