import type { HealthProbe, ProbeResult } from '../../ports/health-probe';

export interface HttpProbeProps {
  /** An http(s) URL without credentials. */
  readonly url: string;
  /** The status a healthy endpoint answers with; redirects are not followed. */
  readonly expectStatus: number;
  /** Slower answers (until the body is read) are unhealthy. */
  readonly latencyBudgetMs: number;
  /**
   * When to give up waiting for an answer.
   * @default 5000
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** GETs a URL: healthy when it answers with the expected status within the latency budget. */
export class HttpProbe implements HealthProbe {
  /** Origin and path only: query strings may carry tokens, and the name goes into logs. */
  readonly name: string;
  private readonly url: URL;
  private readonly expectStatus: number;
  private readonly latencyBudgetMs: number;
  private readonly timeoutMs: number;

  constructor(props: HttpProbeProps) {
    if (!URL.canParse(props.url)) throw new Error('url must be an absolute http(s) URL');
    this.url = new URL(props.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`url must use http or https, got ${this.url.protocol}`);
    }
    if (this.url.username || this.url.password) throw new Error('url must not carry credentials');
    if (!Number.isInteger(props.expectStatus) || props.expectStatus < 100 || props.expectStatus > 599) {
      throw new Error(`expectStatus must be an HTTP status (100-599), got ${props.expectStatus}`);
    }
    if (!(props.latencyBudgetMs > 0))
      throw new Error(`latencyBudgetMs must be positive, got ${props.latencyBudgetMs}`);
    const timeoutMs = props.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new Error(`timeoutMs must be positive, got ${timeoutMs}`);
    this.expectStatus = props.expectStatus;
    this.latencyBudgetMs = props.latencyBudgetMs;
    this.timeoutMs = timeoutMs;
    this.name = `http ${this.url.origin}${this.url.pathname}`;
  }

  /** Throws only when `signal` aborts: the caller gave up, which is no verdict on the endpoint. */
  async check(signal?: AbortSignal): Promise<ProbeResult> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const started = performance.now();
    try {
      const response = await fetch(this.url, {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        redirect: 'manual',
        headers: { 'user-agent': 'cutover-health-probe' },
      });
      await response.arrayBuffer();
      const ms = Math.round(performance.now() - started);
      if (response.status !== this.expectStatus) {
        return this.result(
          'unhealthy',
          `status ${response.status}, expected ${this.expectStatus} (${ms} ms)`,
        );
      }
      if (ms > this.latencyBudgetMs) {
        return this.result('unhealthy', `took ${ms} ms, over the ${this.latencyBudgetMs} ms budget`);
      }
      return this.result('healthy', `status ${response.status} in ${ms} ms`);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) return this.result('unhealthy', `no answer within ${this.timeoutMs} ms`);
      return this.result('unhealthy', `request failed: ${reason(error)}`);
    }
  }

  private result(outcome: ProbeResult['outcome'], detail: string): ProbeResult {
    return { probe: this.name, outcome, detail };
  }
}

/**
 * fetch reports "fetch failed" and keeps the cause (ECONNREFUSED, ENOTFOUND, a TLS error) underneath.
 * Read by shape, not instanceof: fetch's errors may come from another realm (e.g. under Jest).
 */
function reason(error: unknown): string {
  const cause = field(error, 'cause');
  return (
    text(field(cause, 'code')) ??
    text(field(cause, 'message')) ??
    text(field(error, 'message')) ??
    String(error)
  );
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
