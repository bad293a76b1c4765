/** One call from the broker to AWS, for metrics (latency histograms, error counters) and logs. */
export interface BrokerCallEvent {
  service: 'STS' | 'IAM';
  operation: 'AssumeRole' | 'GetRole';
  /** Wall time of the call including the SDK's retries; 0 when the circuit refused it. */
  durationMs: number;
  /** `role-error`: AWS answered about this role or request; `backend-error`: AWS or the broker failed. */
  outcome: 'ok' | 'not-found' | 'role-error' | 'backend-error' | 'circuit-open';
  /** AWS error code or SDK error name when the call failed. */
  code?: string;
}

/** What a /metrics endpoint or a logger plugs into the broker. Must not throw. */
export interface BrokerObserver {
  onCall(event: BrokerCallEvent): void;
}
