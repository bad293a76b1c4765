import { LineCounter, parseDocument, type CollectionTag, type ScalarTag } from 'yaml';
import { TemplateError } from './template-error.js';

/**
 * The YAML short forms of CloudFormation intrinsic functions, turned into their long JSON forms
 * ("Intrinsic function reference", AWS CloudFormation User Guide): `!Ref X` → `{"Ref": "X"}`,
 * `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub s` → `{"Fn::Sub": s}`, and so on.
 * Evaluation (and the list of functions we actually support) is in intrinsics.ts.
 */
const SCALAR_FUNCTIONS = ['Base64', 'GetAZs', 'ImportValue', 'Sub'] as const;
const SEQUENCE_FUNCTIONS = ['And', 'Equals', 'FindInMap', 'GetAtt', 'If', 'Join', 'Not', 'Or', 'Select', 'Split', 'Sub', 'Cidr'] as const;
const MAP_FUNCTIONS = ['Base64', 'ImportValue', 'Transform'] as const;

function shortFormTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [
    { tag: '!Ref', resolve: (s: string) => ({ Ref: s }) },
    { tag: '!Condition', resolve: (s: string) => ({ Condition: s }) },
    // `!GetAtt Resource.Attribute`: the first dot separates the resource from the attribute.
    {
      tag: '!GetAtt',
      resolve: (s: string) => {
        const dot = s.indexOf('.');
        return { 'Fn::GetAtt': dot < 0 ? [s] : [s.slice(0, dot), s.slice(dot + 1)] };
      },
    },
  ];
  for (const fn of SCALAR_FUNCTIONS) tags.push({ tag: `!${fn}`, resolve: (s: string) => ({ [`Fn::${fn}`]: s }) });
  for (const fn of SEQUENCE_FUNCTIONS) {
    tags.push({ tag: `!${fn}`, collection: 'seq', resolve: (seq) => ({ [`Fn::${fn}`]: seq.toJSON() }) } as CollectionTag);
  }
  for (const fn of MAP_FUNCTIONS) {
    tags.push({ tag: `!${fn}`, collection: 'map', resolve: (map) => ({ [`Fn::${fn}`]: map.toJSON() }) } as CollectionTag);
  }
  return tags;
}

const TAGS = shortFormTags();

/**
 * Parses a template: JSON when the text starts with `{`, YAML (1.2 core schema, with the short
 * forms above) otherwise. An unknown `!Tag` is an error, never silently read as a string.
 */
export function parseTemplateText(text: string, fileName: string): unknown {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new TemplateError(fileName, `not valid JSON: ${(err as Error).message}`);
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: TAGS, prettyErrors: false, uniqueKeys: true, lineCounter });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const p = problems[0]!;
    const pos = lineCounter.linePos(p.pos[0]);
    const at = `${fileName}:${pos.line}:${pos.col}`;
    const message = p.code === 'TAG_RESOLVE_FAILED' ? `${p.message.split(' at line')[0]} (supported short forms: !Ref, !GetAtt, !Sub, !Join, !Select, !Split, !If, !Equals, !Not, !And, !Or, !Condition, !FindInMap, !Base64)` : p.message.split('\n')[0]!;
    throw new TemplateError(at, message);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}
