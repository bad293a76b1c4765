import { evaluate, Unknown, type EvaluationContext } from './intrinsics.js';
import type { ResolvedParameters } from './parameters.js';
import type { LiveResource, ResourceHandler } from './resources/resource-handler.js';
import type { Template, TemplateResource } from './template.js';
import { TemplateError } from './template-error.js';

export interface PseudoParameters {
  region: string;
  accountId: string;
  partition: string;
}

/** Pseudo parameters ("Pseudo parameters reference", CFN User Guide) for a stack in Mooring. */
export function pseudoParameters(p: PseudoParameters, stack: string): Record<string, string | string[]> {
  return {
    'AWS::Region': p.region,
    'AWS::AccountId': p.accountId,
    'AWS::Partition': p.partition,
    'AWS::StackName': stack,
    'AWS::StackId': `arn:${p.partition}:cloudformation:${p.region}:${p.accountId}:stack/${stack}/mooring-apply`,
    'AWS::URLSuffix': p.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::NotificationARNs': [],
  };
}

/**
 * The state one evaluation of a template sees: parameters, conditions (each evaluated once, a
 * condition that refers to itself is an error), and the resources applied so far. A resource
 * not applied yet has unknown attributes.
 */
export class StackContext implements EvaluationContext {
  readonly pseudo: Record<string, string | string[]>;
  readonly parameters: ResolvedParameters['values'];
  readonly mappings: Record<string, unknown>;
  readonly live = new Map<string, LiveResource>();
  private readonly conditions = new Map<string, boolean | 'evaluating'>();
  private readonly declared: Map<string, TemplateResource>;

  constructor(
    private readonly template: Template,
    parameters: ResolvedParameters,
    pseudo: Record<string, string | string[]>,
    private readonly handlers: ReadonlyMap<string, ResourceHandler>,
  ) {
    this.pseudo = pseudo;
    this.parameters = parameters.values;
    this.mappings = template.mappings;
    this.declared = new Map(template.resources.map((r) => [r.logicalId, r]));
  }

  condition(name: string, where: string): boolean {
    const known = this.conditions.get(name);
    if (known === 'evaluating') throw new TemplateError(`Conditions.${name}`, 'circular condition');
    if (known !== undefined) return known;
    if (!(name in this.template.conditions)) throw new TemplateError(where, `unknown condition "${name}"`);
    this.conditions.set(name, 'evaluating');
    const v = evaluate(this.template.conditions[name], this, `Conditions.${name}`, true);
    if (typeof v !== 'boolean') throw new TemplateError(`Conditions.${name}`, 'must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
    this.conditions.set(name, v);
    return v;
  }

  /** Whether a resource (or output) is part of the stack under its Condition. */
  active(condition: string | undefined, where: string): boolean {
    return condition === undefined || this.condition(condition, where);
  }

  attribute(logicalId: string, attribute: string | undefined, where: string): string | Unknown {
    const r = this.declared.get(logicalId);
    if (!r) throw new TemplateError(where, `unresolved reference "${logicalId}": not a resource, parameter or pseudo parameter`);
    if (!this.active(r.condition, `Resources.${logicalId}.Condition`)) {
      throw new TemplateError(where, `refers to ${logicalId}, which is not created (its Condition ${r.condition} is false)`);
    }
    const handler = this.handlers.get(r.type);
    if (attribute !== undefined && handler && !handler.attributes.includes(attribute)) {
      throw new TemplateError(where, `${logicalId} (${r.type}) has no attribute "${attribute}" (Fn::GetAtt supports: ${handler.attributes.join(', ')})`);
    }
    const live = this.live.get(logicalId);
    if (!live) return new Unknown(attribute === undefined ? logicalId : `${logicalId}.${attribute}`);
    return attribute === undefined ? live.ref : (live.attributes[attribute] ?? new Unknown(`${logicalId}.${attribute}`));
  }
}
