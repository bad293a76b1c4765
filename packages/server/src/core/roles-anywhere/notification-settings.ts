import { defaultNotificationSettings, type NotificationEvent, type NotificationSetting } from './trust-anchor.js';

interface SettingInput {
  enabled: boolean;
  event: NotificationEvent;
  threshold?: number;
  channel?: 'ALL';
}

const key = (event: string, channel: string) => `${event}/${channel}`;

/**
 * Upserts settings by (event, channel) (service-spec §3.6; channel absent = ALL). A customised
 * setting records the account id as `configuredBy`. The model says a threshold is "required for
 * a notification setting that is enabled"; when one is omitted we keep the setting's current
 * threshold (the default 45 days) rather than failing, and document it.
 */
export function applyNotificationSettings(current: readonly NotificationSetting[], raw: unknown, accountId: string): NotificationSetting[] {
  const out = current.map((s) => ({ ...s }));
  for (const input of (raw ?? []) as SettingInput[]) {
    const channel = input.channel ?? 'ALL';
    const at = out.findIndex((s) => key(s.event, s.channel) === key(input.event, channel));
    const previous = at === -1 ? undefined : out[at];
    const threshold = input.threshold ?? previous?.threshold ?? 45;
    const next: NotificationSetting = { enabled: input.enabled, event: input.event, threshold, channel, configuredBy: accountId };
    if (at === -1) out.push(next);
    else out[at] = next;
  }
  return out;
}

/** The named (event, channel) keys go back to their defaults, configuredBy the service (§3.6). */
export function resetNotificationSettings(current: readonly NotificationSetting[], raw: unknown): NotificationSetting[] {
  const defaults = defaultNotificationSettings();
  const reset = new Set(((raw ?? []) as Array<{ event: string; channel?: string }>).map((k) => key(k.event, k.channel ?? 'ALL')));
  return current.map((s) => {
    if (!reset.has(key(s.event, s.channel))) return { ...s };
    return { ...(defaults.find((d) => d.event === s.event) ?? s) };
  });
}
