import { notFound, validationError } from '../errors/service-error.js';
import { assertValidInput } from '../errors/validate-input.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { ServiceConfig } from '../ports/service-config.js';
import { deleteMappingRules, putMappingRules } from './attribute-mappings.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { Page } from './page.js';
import { resolvePage } from './paging.js';
import { defaultAttributeMappings, type CertificateField, type Profile } from './profile.js';
import { resourceArn } from './resource-ids.js';
import type { ProfileStore } from './stores.js';
import { parseTags } from './tags-input.js';

export interface ProfileServiceDeps {
  store: ProfileStore;
  clock: Clock;
  random: Random;
  config: ServiceConfig;
  limits: RolesAnywhereLimits;
}

/**
 * Profile operations of the control plane (service-spec §3.2, §3.3). Every input is checked
 * against the botocore model table first (validate-input.ts); only rules the model cannot
 * express (quotas) are written here.
 */
export class ProfileService {
  constructor(private readonly deps: ProfileServiceDeps) {}

  async create(input: Record<string, unknown>, createdBy: string): Promise<Profile> {
    assertValidInput('CreateProfile', input);
    this.checkRoleCount(input.roleArns);
    const tags = parseTags(input.tags, this.deps.limits.maxTagsPerResource);
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
      tags,
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
    assertValidInput('GetProfile', { profileId: id });
    const p = await this.deps.store.getProfile(id);
    if (!p) throw notFound('Resource not found');
    return p;
  }

  async list(nextToken: unknown, pageSize: unknown): Promise<Page<Profile>> {
    assertValidInput('ListProfiles', { nextToken, pageSize });
    return resolvePage(this.deps.limits, nextToken, pageSize, (p) => this.deps.store.listProfiles(p));
  }

  /** PATCH semantics: omitted members stay as they are (service-spec §3.2). */
  async update(input: Record<string, unknown>): Promise<Profile> {
    assertValidInput('UpdateProfile', input);
    this.checkRoleCount(input.roleArns);
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
    assertValidInput('DeleteProfile', { profileId: id });
    const gone = await this.deps.store.deleteProfile(id);
    if (!gone) throw notFound('Resource not found');
    return gone;
  }

  /** PutAttributeMapping: REPLACES the field's rules (observed behaviour, service-spec §3.3, §14.2). */
  async putAttributeMapping(input: Record<string, unknown>): Promise<Profile> {
    assertValidInput('PutAttributeMapping', input);
    const current = await this.get(input.profileId as string);
    const rules = (input.mappingRules as Array<{ specifier: string }>).map((r) => r.specifier);
    const attributeMappings = putMappingRules(current.attributeMappings, input.certificateField as CertificateField, rules);
    return this.save({ ...current, attributeMappings, updatedAt: this.deps.clock.now() });
  }

  /**
   * DeleteAttributeMapping: removes the given specifiers from the field; without `specifiers` it
   * removes the field's mapping entirely (undocumented at AWS; our choice, service-spec §14.2).
   */
  async deleteAttributeMapping(input: Record<string, unknown>): Promise<Profile> {
    assertValidInput('DeleteAttributeMapping', input);
    const current = await this.get(input.profileId as string);
    const specifiers = input.specifiers as string[] | undefined;
    const attributeMappings = deleteMappingRules(current.attributeMappings, input.certificateField as CertificateField, specifiers);
    return this.save({ ...current, attributeMappings, updatedAt: this.deps.clock.now() });
  }

  /** Replaces the resource tags (TagResource / UntagResource go through TagService). */
  async saveTags(p: Profile, tags: Profile['tags']): Promise<void> {
    await this.save({ ...p, tags });
  }

  private async save(p: Profile): Promise<Profile> {
    const saved = await this.deps.store.saveProfile(p);
    if (!saved) throw notFound('Resource not found');
    return saved;
  }

  private checkRoleCount(roleArns: unknown): void {
    const n = Array.isArray(roleArns) ? roleArns.length : 0;
    if (n > this.deps.limits.maxRolesPerProfile)
      throw validationError(`A profile may list at most ${this.deps.limits.maxRolesPerProfile} roles`, 'quota');
  }
}
