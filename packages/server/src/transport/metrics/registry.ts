/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms
 * with labels, plus collect hooks that refresh gauges from current state at scrape time.
 * Hand-written because prom-client is not a dependency; it covers only what Mooring exports.
 * Label values are escaped per the format (backslash, double quote, newline). Callers must keep
 * label sets bounded and free of secrets: values come from code (reasons, outcomes) or from
 * stored, validated resources (trust anchor ARNs, CRL ids), never from raw request input.
 */
export type Labels = Readonly<Record<string, string>>;

type Kind = 'counter' | 'gauge' | 'histogram';

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly kind: Kind;
  render(): string[];
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelKey(names: readonly string[], labels: Labels): string {
  for (const k of Object.keys(labels)) if (!names.includes(k)) throw new Error(`unknown label ${k}`);
  return names.map((n) => `${n}="${escapeLabel(labels[n] ?? '')}"`).join(',');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

const line = (name: string, key: string, v: number) => `${name}${key ? `{${key}}` : ''} ${formatValue(v)}`;

export class Counter implements Metric {
  readonly kind = 'counter';
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string, private readonly labelNames: readonly string[] = []) {}

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    const k = labelKey(this.labelNames, labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  /** The current value for a label set (tests, and the /metrics page). */
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(this.labelNames, labels)) ?? 0;
  }

  render(): string[] {
    return [...this.values].map(([k, v]) => line(this.name, k, v));
  }
}

export class Gauge implements Metric {
  readonly kind = 'gauge';
  private values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string, private readonly labelNames: readonly string[] = []) {}

  set(labels: Labels, value: number): void {
    this.values.set(labelKey(this.labelNames, labels), value);
  }

  get(labels: Labels = {}): number | undefined {
    return this.values.get(labelKey(this.labelNames, labels));
  }

  /** Drops every series: collect hooks call it first so deleted resources disappear. */
  reset(): void {
    this.values = new Map();
  }

  render(): string[] {
    return [...this.values].map(([k, v]) => line(this.name, k, v));
  }
}

export class Histogram implements Metric {
  readonly kind = 'histogram';
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const k = labelKey(this.labelNames, labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]!++;
    });
    s.sum += value;
    s.count++;
  }

  /** Observations recorded for a label set. */
  count(labels: Labels = {}): number {
    return this.series.get(labelKey(this.labelNames, labels))?.count ?? 0;
  }

  render(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.series) {
      const withLe = (le: string) => (k ? `${k},le="${le}"` : `le="${le}"`);
      this.buckets.forEach((b, i) => out.push(line(`${this.name}_bucket`, withLe(formatValue(b)), s.counts[i]!)));
      out.push(line(`${this.name}_bucket`, withLe('+Inf'), s.count));
      out.push(line(`${this.name}_sum`, k, s.sum));
      out.push(line(`${this.name}_count`, k, s.count));
    }
    return out;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  private readonly collectors: Array<() => Promise<void> | void> = [];

  register<M extends Metric>(m: M): M {
    if (this.metrics.some((x) => x.name === m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.push(m);
    return m;
  }

  /** A hook run before every scrape (refreshes gauges that mirror stored state). */
  onCollect(fn: () => Promise<void> | void): void {
    this.collectors.push(fn);
  }

  /**
   * Runs the collect hooks, then renders every metric. A failing hook leaves its gauges as the
   * previous scrape left them and is reported to `onError`: one broken source must not hide the
   * request counters.
   */
  async render(onError?: (err: unknown) => void): Promise<string> {
    for (const c of this.collectors) {
      try {
        await c();
      } catch (err) {
        onError?.(err);
      }
    }
    const out: string[] = [];
    for (const m of this.metrics) {
      out.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${m.name} ${m.kind}`, ...m.render());
    }
    return `${out.join('\n')}\n`;
  }
}
