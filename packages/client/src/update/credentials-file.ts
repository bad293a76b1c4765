/** The three keys `update` owns in its profile section (AWS CLI "Configuration and credential file settings"). */
const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;

/** @internal */
export interface ProfileCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * Rewrites the shared credentials file text so that section `[profile]` holds `credentials`,
 * keeping every other line, comment and section in place and in order. The algorithm is the
 * official helper's `GetNewCredentialsFileContents` (signing-helper-spec §5), whose six
 * `TestUpdate` golden cases it reproduces, without its two bugs:
 * - a section that runs to the end of the file no longer loses its last line;
 * - a `[profile]` header on the file's last line is updated, not duplicated.
 * Only the first `[profile]` section is updated (as the helper does); a commented header
 * (`# [profile]`) does not count. Every line ends with a newline; the file's line ending
 * (LF or CRLF) is kept.
 * @internal
 */
export function rewriteCredentialsFile(text: string, profile: string, credentials: ProfileCredentials): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  // A final newline yields one empty trailing element, which is not a line of the file.
  if (lines.length > 0 && lines[lines.length - 1] === '' && /\n$/.test(text)) lines.pop();
  const values: Record<(typeof KEYS)[number], string> = {
    aws_access_key_id: credentials.accessKeyId,
    aws_secret_access_key: credentials.secretAccessKey,
    aws_session_token: credentials.sessionToken,
  };
  const header = `[${profile}]`;
  const out: string[] = [];
  let state: 'before' | 'inside' | 'after' = 'before';
  const written = new Set<string>();
  const flushMissing = (): void => {
    for (const key of KEYS) if (!written.has(key)) out.push(`${key} = ${values[key]}`);
  };

  for (const [index, line] of lines.entries()) {
    if (state === 'inside' && line.trimStart().startsWith('[')) {
      flushMissing();
      state = 'after';
    }
    if (state === 'before' && line.trim() === header) {
      state = 'inside';
      out.push(line);
      continue;
    }
    if (state === 'inside') {
      const key = keyOf(line);
      // On the file's last line the helper writes the missing keys in canonical order instead
      // of replacing in place; the golden case "test-first-word-in-profile-matches" relies on it.
      if (key !== undefined && index === lines.length - 1) continue;
      if (key !== undefined) {
        out.push(`${key} = ${values[key]}`);
        written.add(key);
        continue;
      }
    }
    out.push(line);
  }
  if (state === 'inside') flushMissing();
  if (state === 'before') {
    out.push(header);
    flushMissing();
    // The official helper ends an appended section with an empty line; kept so files it wrote
    // and files we write look alike (TestUpdate cases "test-commented-profile", "…-does-not-exist").
    out.push('');
  }
  return out.map((l) => l + eol).join('');
}

/** The owned key a `key = value` line sets, if any (exact name, unlike the helper's prefix match). */
function keyOf(line: string): (typeof KEYS)[number] | undefined {
  const eq = line.indexOf('=');
  if (eq < 0) return undefined;
  const name = line.slice(0, eq).trim();
  return (KEYS as readonly string[]).includes(name) ? (name as (typeof KEYS)[number]) : undefined;
}
