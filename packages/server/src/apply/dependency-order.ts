import { intrinsicName, subVariables } from './intrinsics.js';
import { isRecord, type TemplateResource } from './template.js';
import { TemplateError } from './template-error.js';

/** Every name a value refers to (Ref, Fn::GetAtt, the variables of Fn::Sub), with where it does. */
export function referencedNames(value: unknown, where: string, out: Array<{ name: string; where: string }> = []): Array<{ name: string; where: string }> {
  const fn = intrinsicName(value);
  if (fn !== undefined) {
    const arg = (value as Record<string, unknown>)[fn];
    const at = `${where}.${fn}`;
    if (fn === 'Ref' && typeof arg === 'string') out.push({ name: arg, where: at });
    else if (fn === 'Fn::GetAtt') {
      const res = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined;
      if (typeof res === 'string') out.push({ name: res, where: at });
      if (Array.isArray(arg)) referencedNames(arg.slice(1), at, out);
    } else if (fn === 'Fn::Sub') {
      const [template, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [undefined, {}];
      const bound = isRecord(vars) ? vars : {};
      if (typeof template === 'string') {
        for (const part of subVariables(template)) {
          if ('variable' in part && !(part.variable in bound)) out.push({ name: part.variable.split('.')[0]!, where: at });
        }
      }
      referencedNames(bound, at, out);
    } else referencedNames(arg, at, out);
    return out;
  }
  if (Array.isArray(value)) value.forEach((v, i) => referencedNames(v, `${where}.${i}`, out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) referencedNames(v, `${where}.${k}`, out);
  return out;
}

/**
 * Orders resources so that each comes after everything it refers to (Ref, Fn::GetAtt, Fn::Sub)
 * or names in DependsOn, keeping template order among independent resources. A name that is
 * neither a resource, a parameter nor a pseudo parameter is an error, and so is a cycle.
 */
export function dependencyOrder(resources: readonly TemplateResource[], isValueName: (name: string) => boolean, allLogicalIds: ReadonlySet<string>): TemplateResource[] {
  const byId = new Map(resources.map((r) => [r.logicalId, r]));
  const deps = new Map<string, Set<string>>();
  for (const r of resources) {
    const set = new Set<string>();
    const base = `Resources.${r.logicalId}`;
    for (const { name, where } of referencedNames(r.properties, `${base}.Properties`)) {
      if (isValueName(name)) continue;
      if (!allLogicalIds.has(name)) throw new TemplateError(where, `unresolved reference "${name}": not a resource, parameter or pseudo parameter`);
      if (name === r.logicalId) throw new TemplateError(where, `${r.logicalId} refers to itself (circular dependency)`);
      if (byId.has(name)) set.add(name);
    }
    r.dependsOn.forEach((d, i) => {
      if (!allLogicalIds.has(d)) throw new TemplateError(`${base}.DependsOn.${i}`, `"${d}" is not a resource of this template`);
      if (byId.has(d)) set.add(d);
    });
    deps.set(r.logicalId, set);
  }
  const order: TemplateResource[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new TemplateError(`Resources.${id}`, `circular dependency: ${cycle.join(' -> ')}`);
    }
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(byId.get(id)!);
  };
  for (const r of resources) visit(r.logicalId, []);
  return order;
}
