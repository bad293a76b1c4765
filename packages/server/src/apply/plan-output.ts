import type { ApplyReport, PlannedChange } from './engine.js';
import { Unknown } from './intrinsics.js';

const SYMBOL: Record<PlannedChange['action'], string> = {
  create: '+',
  update: '~',
  replace: '±',
  delete: '-',
  'no change': '=',
  kept: '?',
};

/** A value as a diff line shows it: JSON, shortened; unknown values say so. */
export function showValue(v: unknown, max = 100): string {
  if (v instanceof Unknown) return v.toString();
  const text = JSON.stringify(v, (_k, x: unknown) => (x instanceof Unknown ? x.toString() : x)) ?? 'null';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The lines describing one step, e.g. `~ update  Profile (AWS::RolesAnywhere::Profile)` and its property changes. */
export function stepLines(step: PlannedChange, dryRun: boolean): string[] {
  const verb = dryRun && step.action !== 'no change' && step.action !== 'kept' ? `will ${step.action}` : step.action;
  const note = step.action === 'kept' ? ' — not in the template; kept (use --prune to delete it)' : '';
  const lines = [`${SYMBOL[step.action]} ${verb.padEnd(12)} ${step.logicalId} (${step.type})${note}`];
  for (const c of step.changes) {
    lines.push(`      ${c.property}: ${showValue(c.from)} -> ${showValue(c.to)}${c.replace ? '  (requires replacement)' : ''}`);
  }
  return lines;
}

/** The closing summary: "no changes" when nothing differs, otherwise the counts. */
export function summaryLine(report: ApplyReport, stack: string, dryRun: boolean): string {
  const count = (a: PlannedChange['action']) => report.steps.filter((s) => s.action === a).length;
  const changed = count('create') + count('update') + count('replace') + count('delete');
  if (changed === 0) return `no changes: stack "${stack}" is up to date (${count('no change')} resources)`;
  const n = { create: count('create'), update: count('update'), replace: count('replace'), delete: count('delete'), same: count('no change') };
  return dryRun
    ? `Dry run, nothing changed: ${n.create} to create, ${n.update} to update, ${n.replace} to replace, ${n.delete} to delete, ${n.same} unchanged.`
    : `Applied stack "${stack}": ${n.create} created, ${n.update} updated, ${n.replace} replaced, ${n.delete} deleted, ${n.same} unchanged.`;
}

/** Output lines: `Name = value` (unknown in a dry run until the resource exists). */
export function outputLines(report: ApplyReport): string[] {
  if (report.outputs.length === 0) return [];
  return ['Outputs:', ...report.outputs.map((o) => `  ${o.name} = ${o.value instanceof Unknown ? o.value.toString() : typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`)];
}
