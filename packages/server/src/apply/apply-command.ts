import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialsLike } from '@mooring/protocol';
import { ApiError, type Connection } from './api/connection.js';
import { IamApi } from './api/iam-api.js';
import { RolesAnywhereApi } from './api/rolesanywhere-api.js';
import { applyTemplate, checkTemplate, type PlannedChange } from './engine.js';
import { parseParameterArguments, resolveParameters } from './parameters.js';
import { outputLines, stepLines, summaryLine } from './plan-output.js';
import { pseudoParameters, StackContext } from './stack-context.js';
import { readTemplate } from './template.js';
import { TemplateError } from './template-error.js';
import { parseTemplateText } from './template-parse.js';
import { RESOURCE_HANDLERS } from './resources/registry.js';

export interface ApplyIo {
  stdout(s: string): void;
  stderr(s: string): void;
  env?: NodeJS.ProcessEnv;
}

export const APPLY_USAGE = `Usage: mooring apply TEMPLATE --endpoint URL [flags]

Creates or updates the resources of a CloudFormation template (YAML or JSON) in Mooring,
through its APIs, as the caller of the standard AWS credential chain.

  --endpoint URL        Mooring's HTTPS endpoint (default: $AWS_ENDPOINT_URL)
  --stack-name NAME     the stack the resources belong to (default: the template's file name)
  --parameter K=V       a template parameter (repeatable)
  --region REGION       region to sign for (default: $AWS_REGION, $AWS_DEFAULT_REGION, us-east-1)
  --profile NAME        credentials profile (default: the credential chain: env, $AWS_PROFILE, ...)
  --dry-run             print the plan, change nothing
  --prune               delete the stack's resources that are no longer in the template

Trusts the server's certificate through $AWS_CA_BUNDLE. Resource types: ${[...RESOURCE_HANDLERS.keys()].join(', ')}.
See docs/apply.md.
`;

// CloudFormation stack names: "must start with an alphabetic character and can't be longer than 128 characters" ([A-Za-z][-A-Za-z0-9]*).
const STACK_NAME = /^[A-Za-z][-A-Za-z0-9]{0,127}$/;

/** The stack name derived from a template's file name: `roles-anywhere.yaml` → `roles-anywhere`. */
export function stackNameFromFile(file: string): string {
  const base = basename(file, extname(file)).replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (/^[A-Za-z]/.test(base) ? base : `stack-${base}`).slice(0, 128);
}

/**
 * The standard credential chain (AWS SDK `fromNodeProviderChain`: environment, shared
 * config/credentials files, SSO, process, container and instance metadata). `io.env` is
 * consulted first so callers can pass an environment without touching process.env.
 */
function credentialProvider(env: NodeJS.ProcessEnv, profile: string | undefined): () => Promise<AwsCredentialsLike> {
  if (!profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const creds = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
    return () => Promise.resolve(creds);
  }
  const chain = fromNodeProviderChain({
    ...(profile ?? env.AWS_PROFILE ? { profile: profile ?? env.AWS_PROFILE } : {}),
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  });
  return async () => {
    const c = await chain();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
  };
}

/** Masks NoEcho parameter values wherever they would be printed. */
function masker(secrets: string[]): (s: string) => string {
  const values = secrets.filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  return (s) => values.reduce((acc, v) => acc.split(v).join('****').split(JSON.stringify(v).slice(1, -1)).join('****'), s);
}

/** `mooring apply`: returns the exit code (0 applied or planned, 1 failed, 2 usage error). */
export async function runApplyCommand(argv: string[], io: ApplyIo): Promise<number> {
  const env = io.env ?? process.env;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        endpoint: { type: 'string' },
        'endpoint-url': { type: 'string' },
        'stack-name': { type: 'string' },
        parameter: { type: 'string', multiple: true },
        region: { type: 'string' },
        profile: { type: 'string' },
        'dry-run': { type: 'boolean' },
        prune: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n\n${APPLY_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(APPLY_USAGE);
    return 0;
  }
  const file = positionals[0];
  const endpoint = values.endpoint ?? values['endpoint-url'] ?? env.AWS_ENDPOINT_URL;
  if (!file || positionals.length > 1 || !endpoint) {
    io.stderr(`Error: ${!file || positionals.length > 1 ? 'give exactly one TEMPLATE file' : '--endpoint URL is required'}\n\n${APPLY_USAGE}`);
    return 2;
  }
  const stack = values['stack-name'] ?? stackNameFromFile(file);
  if (!STACK_NAME.test(stack)) {
    io.stderr(`Error: --stack-name "${stack}": must start with a letter and contain only letters, digits and '-' (at most 128)\n`);
    return 2;
  }
  const dryRun = values['dry-run'] ?? false;
  let mask = (s: string) => s;
  let iam: IamApi | undefined;
  try {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new TemplateError(file, `cannot read the template: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const template = readTemplate(parseTemplateText(text, file));
    const parameters = resolveParameters(template.parameters, parseParameterArguments(values.parameter ?? []));
    mask = masker([...parameters.secret].flatMap((n) => parameters.values.get(n) ?? []));
    const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';

    // Offline checks first, with placeholder account values: a bad template never reaches the server.
    checkTemplate(template, new StackContext(template, parameters, pseudoParameters({ region, accountId: '000000000000', partition: 'aws' }, stack), RESOURCE_HANDLERS));

    let ca: string | undefined;
    if (env.AWS_CA_BUNDLE) {
      try {
        ca = readFileSync(env.AWS_CA_BUNDLE, 'utf8');
      } catch (err) {
        throw new TemplateError('AWS_CA_BUNDLE', `cannot read ${env.AWS_CA_BUNDLE}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    const conn: Connection = { endpoint: endpoint.replace(/\/+$/, ''), region, credentials: credentialProvider(env, values.profile), ...(ca ? { ca } : {}) };
    iam = new IamApi(conn);
    const apis = { ra: new RolesAnywhereApi(conn), iam };
    const caller = await iam.callerIdentity();
    const partition = /^arn:([^:]+):/.exec(caller.arn)?.[1] ?? 'aws';
    const ctx = new StackContext(template, parameters, pseudoParameters({ region, accountId: caller.account, partition }, stack), RESOURCE_HANDLERS);

    io.stdout(`${dryRun ? 'Plan for' : 'Applying'} stack "${stack}" (${file}) at ${conn.endpoint}, account ${caller.account}, region ${region}, as ${caller.arn}\n`);
    const report = await applyTemplate(apis, ctx, {
      template,
      stack,
      parameters,
      pseudo: ctx.pseudo,
      dryRun,
      prune: values.prune ?? false,
      onStep: (step: PlannedChange) => io.stdout(mask(stepLines(step, dryRun).join('\n')) + '\n'),
    });
    io.stdout(mask(summaryLine(report, stack, dryRun)) + '\n');
    const outputs = outputLines(report);
    if (outputs.length > 0) io.stdout(mask(outputs.join('\n')) + '\n');
    return 0;
  } catch (err) {
    const message = err instanceof TemplateError || err instanceof ApiError ? err.message : `${(err as Error).name === 'Error' ? '' : `${(err as Error).name}: `}${(err as Error).message}`;
    // The usual first-run problem: the server's self-signed TLS CA is not trusted.
    const transport = !(err instanceof TemplateError) && (!(err instanceof ApiError) || err.status === 0);
    const hint = transport && /certificate|CERT_|self.signed/i.test(message) && !env.AWS_CA_BUNDLE ? ' (set AWS_CA_BUNDLE to the server\'s tls/ca.pem)' : '';
    io.stderr(`Error: ${mask(message)}${hint}\n`);
    return 1;
  } finally {
    iam?.close();
  }
}
