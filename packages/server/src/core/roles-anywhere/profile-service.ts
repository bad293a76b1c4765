import { checkConstraints, PATTERNS, type Constraint } from '../errors/constraints.js';
import { notFound, validationError } from '../errors/service-error.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { Page } from './page.js';
import { resolvePage } from './paging.js';
import { defaultAttributeMappings, type Profile } from './profile.js';
import { resourceArn } from './resource-ids.js';
import type { ProfileStore } from './stores.js';
import { parseTags } from './tags-input.js';

const NAME: Constraint = { member: 'name', min: 1, max: 255, pattern: PATTERNS.resourceName.re, patternText: PATTERNS.resourceName.text };
const ID: Constraint = { member: 'profileId', required: true, min: 36, max: 36, pattern: PATTERNS.uuid.re, patternText: PATTERNS.uuid.text };

/** Members shared by CreateProfile and UpdateProfile (botocore model; service-spec §3.2). */
const COMMON: readonly Constraint[] = [
  { member: 'roleArns', type: 'list', max: 250 },
  { member: 'managedPolicyArns', type: 'list', max: 50 },
  { member: 'sessionPolicy', min: 1, max: 100000 },
  { member: 'durationSeconds', type: 'integer', min: 900, max: 43200 },
  { member: 'acceptRoleSessionName', type: 'boolean' },
];

const CREATE: readonly Constraint[] = [
  { ...NAME, required: true },
  { member: 'roleArns', required: true, type: 'list' },
  ...COMMON,
  { member: 'enabled', type: 'boolean' },
  { member: 'requireInstanceProperties', type: 'boolean' },
  { member: 'tags', type: 'list', max: 200 },
];

const UPDATE: readonly Constraint[] = [ID, NAME, ...COMMON];

export interface ProfileServiceDeps {
  store: ProfileStore;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  limits: RolesAnywhereLimits;
}

/** Profile operations of the control plane (service-spec §3.2). */
export class ProfileService {
  constructor(private readonly deps: ProfileServiceDeps) {}

  async create(input: Record<string, unknown>, createdBy: string): Promise<Profile> {
    const invalid = checkConstraints(input, CREATE) ?? this.checkArnLists(input);
    if (invalid) throw invalid;
    if ((await this.deps.store.countProfiles()) >= this.deps.limits.maxProfiles)
      throw validationError(`Profile quota exceeded: at most ${this.deps.limits.maxProfiles} profiles`, 'quota');
    const now = this.deps.clock.now();
    const id = this.deps.random.uuid();
    const profile: Profile = {
      profileId: id,
      profileArn: resourceArn(this.deps.config, 'profile', id),
      name: input.name as string,
      // Same undocumented default as trust anchors (service-spec §14.1).
      enabled: input.enabled === true,
      roleArns: input.roleArns as string[],
      durationSeconds: (input.durationSeconds as number | undefined) ?? 3600,
      acceptRoleSessionName: input.acceptRoleSessionName === true,
      attributeMappings: defaultAttributeMappings(),
      createdBy,
      tags: parseTags(input.tags),
      createdAt: now,
      updatedAt: now,
    };
    if (input.managedPolicyArns !== undefined) profile.managedPolicyArns = input.managedPolicyArns as string[];
    if (input.sessionPolicy !== undefined) profile.sessionPolicy = input.sessionPolicy as string;
    if (input.requireInstanceProperties !== undefined) profile.requireInstanceProperties = input.requireInstanceProperties as boolean;
    await this.deps.store.insertProfile(profile);
    return profile;
  }

  async get(id: string): Promise<Profile> {
    const invalid = checkConstraints({ profileId: id }, [ID]);
    if (invalid) throw invalid;
    const p = await this.deps.store.getProfile(id);
    if (!p) throw notFound('Resource not found');
    return p;
  }

  async list(nextToken: unknown, pageSize: unknown): Promise<Page<Profile>> {
    return resolvePage(this.deps.limits, nextToken, pageSize, (p) => this.deps.store.listProfiles(p));
  }

  /** PATCH semantics: omitted members stay as they are (service-spec §3.2). */
  async update(input: Record<string, unknown>): Promise<Profile> {
    const invalid = checkConstraints(input, UPDATE) ?? this.checkArnLists(input);
    if (invalid) throw invalid;
    const next: Profile = { ...(await this.get(input.profileId as string)), updatedAt: this.deps.clock.now() };
    if (input.name !== undefined) next.name = input.name as string;
    if (input.roleArns !== undefined) next.roleArns = input.roleArns as string[];
    if (input.managedPolicyArns !== undefined) next.managedPolicyArns = input.managedPolicyArns as string[];
    if (input.sessionPolicy !== undefined) next.sessionPolicy = input.sessionPolicy as string;
    if (input.durationSeconds !== undefined) next.durationSeconds = input.durationSeconds as number;
    if (input.acceptRoleSessionName !== undefined) next.acceptRoleSessionName = input.acceptRoleSessionName as boolean;
    return this.save(next);
  }

  async setEnabled(id: string, enabled: boolean): Promise<Profile> {
    const current = await this.get(id);
    return this.save({ ...current, enabled, updatedAt: this.deps.clock.now() });
  }

  async delete(id: string): Promise<Profile> {
    const invalid = checkConstraints({ profileId: id }, [ID]);
    if (invalid) throw invalid;
    const gone = await this.deps.store.deleteProfile(id);
    if (!gone) throw notFound('Resource not found');
    return gone;
  }

  private async save(p: Profile): Promise<Profile> {
    const saved = await this.deps.store.saveProfile(p);
    if (!saved) throw notFound('Resource not found');
    return saved;
  }

  private checkArnLists(input: Record<string, unknown>) {
    const checks: Constraint[] = [];
    const values: Record<string, unknown> = {};
    (Array.isArray(input.roleArns) ? (input.roleArns as unknown[]) : []).forEach((v, i) => {
      const member = `roleArns.${i + 1}.member`;
      values[member] = v;
      checks.push({ member, required: true, min: 1, max: 1011, pattern: PATTERNS.roleArn.re, patternText: PATTERNS.roleArn.text });
    });
    (Array.isArray(input.managedPolicyArns) ? (input.managedPolicyArns as unknown[]) : []).forEach((v, i) => {
      const member = `managedPolicyArns.${i + 1}.member`;
      values[member] = v;
      checks.push({ member, required: true, min: 1, max: 200 });
    });
    return checkConstraints(values, checks);
  }
}
