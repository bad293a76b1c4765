import { notFound, ServiceError, validationError } from '../errors/service-error.js';
import { assertValidInput } from '../errors/validate-input.js';
import type { ServiceConfig } from '../ports/service-config.js';
import type { CrlService } from './crl-service.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { ProfileService } from './profile-service.js';
import { idFromArn, type ResourceKind } from './resource-ids.js';
import type { SubjectStore } from './stores.js';
import type { ResourceTag } from './tag.js';
import { mergeTags } from './tags-input.js';
import type { TrustAnchorService } from './trust-anchor-service.js';

export interface TagServiceDeps {
  config: ServiceConfig;
  limits: RolesAnywhereLimits;
  trustAnchors: TrustAnchorService;
  profiles: ProfileService;
  crls: CrlService;
  subjects: SubjectStore;
}

const KINDS: readonly ResourceKind[] = ['trust-anchor', 'profile', 'crl', 'subject'];
const ARN_SHAPE = /^arn:[^:]+:rolesanywhere:[^:]*:[^:]*:(trust-anchor|profile|crl|subject)\/.+$/;

interface Tagged {
  tags: ResourceTag[];
  save(tags: ResourceTag[]): Promise<void>;
}

/**
 * TagResource / UntagResource / ListTagsForResource on the four taggable resource types
 * (service-spec §1, §3.7, SAR). An ARN that is not a Roles Anywhere resource ARN is a
 * ValidationException; a well-formed ARN naming nothing here (another account or region
 * included) is ResourceNotFoundException.
 */
export class TagService {
  constructor(private readonly deps: TagServiceDeps) {}

  async tagResource(input: Record<string, unknown>): Promise<void> {
    assertValidInput('TagResource', input);
    const r = await this.resolve(input.resourceArn as string);
    await r.save(mergeTags(r.tags, input.tags, this.deps.limits.maxTagsPerResource));
  }

  async untagResource(input: Record<string, unknown>): Promise<void> {
    assertValidInput('UntagResource', input);
    const r = await this.resolve(input.resourceArn as string);
    const drop = new Set(input.tagKeys as string[]);
    await r.save(r.tags.filter((t) => !drop.has(t.key)));
  }

  async listTags(input: Record<string, unknown>): Promise<ResourceTag[]> {
    assertValidInput('ListTagsForResource', input);
    return (await this.resolve(input.resourceArn as string)).tags;
  }

  /**
   * The tags of the resource `arn` names, for `aws:ResourceTag/<key>` in the authorisation of an
   * operation on it (SAR: every resource-scoped Roles Anywhere action takes that key), or
   * undefined when the ARN names nothing here; the operation itself then answers 400 or 404.
   */
  async resourceTags(arn: string): Promise<ResourceTag[] | undefined> {
    try {
      return (await this.resolve(arn)).tags;
    } catch (err) {
      if (err instanceof ServiceError) return undefined;
      throw err;
    }
  }

  private async resolve(arn: string): Promise<Tagged> {
    const m = ARN_SHAPE.exec(arn);
    if (!m) throw validationError(`Invalid resource ARN: ${arn}`, 'bad-arn');
    const kind = m[1] as ResourceKind;
    if (!KINDS.includes(kind)) throw validationError(`Invalid resource ARN: ${arn}`, 'bad-arn');
    const id = idFromArn(this.deps.config, kind, arn);
    if (!id) throw notFound('Resource not found');
    switch (kind) {
      case 'trust-anchor': {
        const ta = await this.deps.trustAnchors.get(id);
        return { tags: ta.tags, save: (tags) => this.deps.trustAnchors.saveTags(ta, tags) };
      }
      case 'profile': {
        const p = await this.deps.profiles.get(id);
        return { tags: p.tags, save: (tags) => this.deps.profiles.saveTags(p, tags) };
      }
      case 'crl': {
        const c = await this.deps.crls.get(id);
        return { tags: c.tags, save: (tags) => this.deps.crls.saveTags(c, tags) };
      }
      case 'subject': {
        const s = await this.deps.subjects.getSubject(id);
        if (!s) throw notFound('Resource not found');
        return {
          tags: s.tags ?? [],
          save: async (tags) => {
            if (!(await this.deps.subjects.setSubjectTags(id, tags))) throw notFound('Resource not found');
          },
        };
      }
    }
  }
}
