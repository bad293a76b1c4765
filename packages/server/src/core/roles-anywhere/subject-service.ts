import { notFound } from '../errors/service-error.js';
import { assertValidInput } from '../errors/validate-input.js';
import type { RolesAnywhereLimits } from './limits.js';
import type { Page } from './page.js';
import { resolvePage } from './paging.js';
import type { SubjectStore } from './stores.js';
import type { Subject } from './subject.js';

/** GetSubject / ListSubjects (service-spec §3.5, §8); subjects are created only by CreateSession. */
export class SubjectService {
  constructor(private readonly deps: { store: SubjectStore; limits: RolesAnywhereLimits }) {}

  async get(id: string): Promise<Subject> {
    assertValidInput('GetSubject', { subjectId: id });
    const s = await this.deps.store.getSubject(id);
    if (!s) throw notFound('Resource not found');
    return s;
  }

  async list(nextToken: unknown, pageSize: unknown): Promise<Page<Subject>> {
    assertValidInput('ListSubjects', { nextToken, pageSize });
    return resolvePage(this.deps.limits, nextToken, pageSize, (p) => this.deps.store.listSubjects(p));
  }
}
