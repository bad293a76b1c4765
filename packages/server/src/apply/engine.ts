import { ApiError } from './api/connection.js';
import { dependencyOrder } from './dependency-order.js';
import { containsUnknown, evaluate } from './intrinsics.js';
import type { ResolvedParameters } from './parameters.js';
import { validate } from './property-schema.js';
import { PRUNE_ORDER, RESOURCE_HANDLERS } from './resources/registry.js';
import type { Apis, LiveResource, OwnedResource, PropertyChange, Props, ResourceHandler } from './resources/resource-handler.js';
import { StackContext } from './stack-context.js';
import type { Template, TemplateResource } from './template.js';
import { TemplateError } from './template-error.js';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no change' | 'kept';

export interface PlannedChange {
  logicalId: string;
  type: string;
  action: Action;
  changes: PropertyChange[];
}

export interface ApplyReport {
  steps: PlannedChange[];
  outputs: Array<{ name: string; value: unknown; description?: string }>;
}

export interface EngineOptions {
  template: Template;
  stack: string;
  parameters: ResolvedParameters;
  pseudo: Record<string, string | string[]>;
  dryRun: boolean;
  prune: boolean;
  /** Called for each step as soon as it is decided (dry run) or done. */
  onStep?: (step: PlannedChange) => void;
}

function handlerFor(r: TemplateResource): ResourceHandler {
  const h = RESOURCE_HANDLERS.get(r.type);
  if (!h) throw new TemplateError(`Resources.${r.logicalId}.Type`, `unsupported resource type ${r.type}`);
  return h;
}

/** Evaluates, validates and normalizes a resource's properties (unknown attributes stay unknown). */
function desiredState(r: TemplateResource, ctx: StackContext): Props {
  const handler = handlerFor(r);
  const where = `Resources.${r.logicalId}.Properties`;
  const evaluated = evaluate(r.properties, ctx, where);
  const props = validate(evaluated, handler.schema, where) as Props;
  return handler.normalize(props, { stack: ctx.pseudo['AWS::StackName'] as string, logicalId: r.logicalId });
}

/**
 * Checks everything that can be checked without the server: resource types, references,
 * dependency cycles, conditions, GetAtt attribute names and every property value not derived
 * from a resource attribute. Returns the resources to apply, in dependency order.
 */
export function checkTemplate(template: Template, ctx: StackContext): TemplateResource[] {
  const unsupported = template.resources.filter((r) => !RESOURCE_HANDLERS.has(r.type));
  if (unsupported.length > 0) {
    throw new TemplateError(
      unsupported.map((r) => `Resources.${r.logicalId}.Type`).join(', '),
      `unsupported resource type${unsupported.length > 1 ? 's' : ''} ${[...new Set(unsupported.map((r) => r.type))].join(', ')} (mooring apply supports ${[...RESOURCE_HANDLERS.keys()].join(', ')})`,
    );
  }
  const active = template.resources.filter((r) => ctx.active(r.condition, `Resources.${r.logicalId}.Condition`));
  const isValueName = (name: string) => name in ctx.pseudo || name === 'AWS::NoValue' || ctx.parameters.has(name);
  const order = dependencyOrder(active, isValueName, new Set(template.resources.map((r) => r.logicalId)));
  for (const r of order) desiredState(r, ctx);
  for (const o of template.outputs) {
    if (ctx.active(o.condition, `Outputs.${o.name}.Condition`)) evaluate(o.value, ctx, `Outputs.${o.name}.Value`);
  }
  return order;
}

function located(r: { logicalId: string; type: string }, err: unknown): Error {
  if (err instanceof ApiError) return new TemplateError(`Resources.${r.logicalId} (${r.type})`, err.message);
  return err as Error;
}

/** Resources of the stack on the server, by logical id. */
async function ownedResources(apis: Apis, stack: string): Promise<Map<string, { type: string; owned: OwnedResource }>> {
  const out = new Map<string, { type: string; owned: OwnedResource }>();
  for (const handler of RESOURCE_HANDLERS.values()) {
    for (const owned of await handler.listOwned(apis, stack)) {
      const other = out.get(owned.logicalId);
      if (other) {
        throw new TemplateError(
          `Resources.${owned.logicalId}`,
          `stack "${stack}" has two resources tagged with this logical id (${other.type} ${other.owned.physicalId} and ${handler.type} ${owned.physicalId}); remove the mooring:apply tags from one`,
        );
      }
      out.set(owned.logicalId, { type: handler.type, owned });
    }
  }
  return out;
}

/**
 * Brings the stack's resources on the server in line with the template: creates what is missing,
 * updates what differs (replacing where only a replacement can), leaves equal resources alone,
 * and deletes resources that left the template only with `prune`. With `dryRun` nothing is
 * changed and the same steps are reported.
 */
export async function applyTemplate(apis: Apis, ctx: StackContext, opts: EngineOptions): Promise<ApplyReport> {
  const order = checkTemplate(opts.template, ctx);
  const owned = await ownedResources(apis, opts.stack);
  const steps: PlannedChange[] = [];
  const record = (s: PlannedChange) => {
    steps.push(s);
    opts.onStep?.(s);
  };

  for (const r of order) {
    const handler = handlerFor(r);
    const target = { stack: opts.stack, logicalId: r.logicalId };
    try {
      const desired = desiredState(r, ctx);
      const existing = owned.get(r.logicalId);
      owned.delete(r.logicalId);
      let live: LiveResource | undefined;
      if (existing && existing.type !== r.type) {
        // The logical id now names another type: the old resource goes, the new one is created.
        const oldHandler = RESOURCE_HANDLERS.get(existing.type)!;
        if (!opts.dryRun) await oldHandler.delete(apis, await oldHandler.read(apis, existing.owned));
      } else if (existing) {
        live = await handler.read(apis, existing.owned);
      }
      if (!live) {
        if (!opts.dryRun) {
          if (containsUnknown(desired)) throw new Error('internal: unresolved value at apply time');
          ctx.live.set(r.logicalId, await handler.create(apis, desired, target));
        }
        record({ logicalId: r.logicalId, type: r.type, action: 'create', changes: [] });
        continue;
      }
      const changes = handler.diff(desired, live);
      const action: Action = changes.length === 0 ? 'no change' : changes.some((c) => c.replace) ? 'replace' : 'update';
      if (opts.dryRun || action === 'no change') {
        // A replaced resource gets new identifiers: dependants see them as unknown in a dry run.
        if (action !== 'replace') ctx.live.set(r.logicalId, live);
      } else if (action === 'replace') {
        const next = handler.replace
          ? await handler.replace(apis, live, desired, target)
          : (await handler.delete(apis, live), await handler.create(apis, desired, target));
        ctx.live.set(r.logicalId, next);
      } else {
        ctx.live.set(r.logicalId, await handler.update(apis, live, desired, changes));
      }
      record({ logicalId: r.logicalId, type: r.type, action, changes });
    } catch (err) {
      throw located(r, err);
    }
  }

  const leftovers = [...owned.entries()].sort(([, a], [, b]) => PRUNE_ORDER.indexOf(a.type) - PRUNE_ORDER.indexOf(b.type));
  for (const [logicalId, { type, owned: o }] of leftovers) {
    try {
      if (opts.prune && !opts.dryRun) {
        const handler = RESOURCE_HANDLERS.get(type)!;
        await handler.delete(apis, await handler.read(apis, o));
      }
      record({ logicalId, type, action: opts.prune ? 'delete' : 'kept', changes: [] });
    } catch (err) {
      throw located({ logicalId, type }, err);
    }
  }

  const outputs: ApplyReport['outputs'] = [];
  for (const o of opts.template.outputs) {
    if (!ctx.active(o.condition, `Outputs.${o.name}.Condition`)) continue;
    const value = evaluate(o.value, ctx, `Outputs.${o.name}.Value`);
    outputs.push({ name: o.name, value, ...(o.description !== undefined ? { description: o.description } : {}) });
  }
  return { steps, outputs };
}

