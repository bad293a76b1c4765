/** The credential-scope service of every AWS4-X509 request (signing-helper-spec §2.4). */
export const ROLESANYWHERE_SERVICE = 'rolesanywhere';

/** Default SigV4 clock-skew allowance: AWS rejects requests more than 5 minutes off. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;

/** "MUST NOT exceed the maximum depth of 5 certificates" (service-spec §4.3). */
export const DEFAULT_MAX_CHAIN = 5;
