/**
 * An error in a template, its parameters or its application, located by a path such as
 * `Resources.Profile.Properties.DurationSeconds` so the user can find the line to fix.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(where ? `${where}: ${detail}` : detail);
  }
}

/** The path of a resource property, as errors name it. */
export function propertyPath(logicalId: string, ...segments: Array<string | number>): string {
  return ['Resources', logicalId, 'Properties', ...segments.map(String)].join('.');
}
