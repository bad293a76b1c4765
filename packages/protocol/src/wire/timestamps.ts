/**
 * Control-plane timestamps: ISO 8601 with microseconds and 'Z', as AWS emits them, e.g.
 * `2024-04-20T13:32:46.129722Z` (service-spec §0). A JS Date has millisecond precision, so the
 * last three digits are always zero.
 */
export function isoMicros(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * CreateSession `credentials.expiration`: RFC 3339 UTC to the second, e.g.
 * `2025-06-01T15:24:50Z`, which the helper copies into credential_process output and later
 * parses with Go's time.RFC3339 (service-spec §4.1, signing-helper-spec §3). Fractions are
 * truncated, never rounded up, so the advertised expiry is never later than the real one.
 */
export function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
