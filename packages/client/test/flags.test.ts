import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CREDENTIAL_PROCESS, SIGN_STRING } from '../src/cli/command-specs.js';
import { parseFlags, UsageError } from '../src/cli/flags.js';

const parse = (argv: string[]) => parseFlags(CREDENTIAL_PROCESS, argv);
const usageError = (argv: string[], message: string) =>
  assert.throws(() => parse(argv), (err: unknown) => err instanceof UsageError && err.message === message);

describe('flag parser', () => {
  test('ok/--flag value, --flag=value, bare and explicit booleans, defaults', () => {
    const f = parse(['--role-arn', 'r', '--region=eu-west-1', '--debug', '--no-verify-ssl=false', '--session-duration=900']);
    assert.equal(f.values.get('role-arn'), 'r');
    assert.equal(f.values.get('region'), 'eu-west-1');
    assert.equal(f.values.get('debug'), true);
    assert.equal(f.values.get('no-verify-ssl'), false);
    assert.equal(f.values.get('session-duration'), 900);
    assert.equal(f.values.get('system-store-name'), 'MY');
    assert.ok(f.set.has('no-verify-ssl'));
    assert.ok(!f.set.has('system-store-name'));
  });

  test('ok/a value may start with a dash, as in pflag', () => {
    assert.equal(parse(['--role-session-name', '-x']).values.get('role-session-name'), '-x');
  });

  test('ok/-- ends flags and the rest are arguments', () => {
    assert.deepEqual(parse(['--debug', '--', '--role-arn', 'x']).args, ['--role-arn', 'x']);
  });

  test('ok/-h and --help request help and skip exclusivity checks', () => {
    assert.equal(parse(['-h']).help, true);
    assert.equal(parse(['--certificate', 'a', '--cert-selector', 'b', '--help']).help, true);
  });

  test('fail/unknown flags and shorthands', () => {
    usageError(['--nope'], 'unknown flag: --nope');
    usageError(['--nope=1'], 'unknown flag: --nope');
    usageError(['-x'], "unknown shorthand flag: 'x' in -x");
  });

  test('fail/missing argument and bad int/bool', () => {
    usageError(['--role-arn'], 'flag needs an argument: --role-arn');
    usageError(['--session-duration', 'abc'], 'invalid argument "abc" for "--session-duration" flag: strconv.ParseInt: parsing "abc": invalid syntax');
    usageError(['--debug=maybe'], 'invalid argument "maybe" for "--debug" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  });

  test('fail/exclusive groups are checked in sorted order with sorted names', () => {
    usageError(
      ['--cert-selector', 'x', '--certificate', 'y'],
      'if any flags in the group [certificate cert-selector] are set none of the others can be; [cert-selector certificate] were all set',
    );
    usageError(
      ['--tpm-key-password', 'x', '--pkcs8-password', 'y'],
      'if any flags in the group [pkcs8-password tpm-key-password] are set none of the others can be; [pkcs8-password tpm-key-password] were all set',
    );
  });

  test('ok/sign-string keeps only the groups whose flags it has', () => {
    const groups = SIGN_STRING.exclusive ?? [];
    assert.ok(!groups.some((g) => g.includes('intermediates')));
    assert.ok(groups.some((g) => g.join(' ') === 'certificate cert-selector'));
  });
});
