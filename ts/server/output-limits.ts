/**
 * `client-output-buffer-limit`: a client that does not read its replies
 * (typically a pub/sub subscriber) is dropped once its unsent output passes
 * the hard limit, or stays past the soft limit longer than the soft
 * seconds, so a slow reader never grows the server's memory without bound.
 * The output waiting for a socket is Node's writable buffer; Redis's checks
 * run when output is added, and so do these.
 */

/** Redis's client classes, indexed as the core's `clientClass` reports them. */
export const CLIENT_CLASSES = ['normal', 'slave', 'pubsub'] as const;

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** Parses the normalized directive value ("normal 0 0 0 slave … pubsub …"). */
export function parseOutputLimits(value: string): OutputLimit[] {
  const words = value.split(/\s+/).filter(Boolean);
  const limits: OutputLimit[] = CLIENT_CLASSES.map(() => ({ hard: 0, soft: 0, softSeconds: 0 }));
  for (let i = 0; i + 3 < words.length; i += 4) {
    const index = CLIENT_CLASSES.indexOf(words[i] as (typeof CLIENT_CLASSES)[number]);
    if (index < 0) continue;
    limits[index] = { hard: Number(words[i + 1]), soft: Number(words[i + 2]), softSeconds: Number(words[i + 3]) };
  }
  return limits;
}

/** Per-connection memory of when it first went past its soft limit. */
export interface SoftLimitState {
  /** Unix seconds the soft limit was first seen exceeded; 0 while under it. */
  softSince: number;
}

/**
 * Redis's `checkClientOutputBufferLimits`: true when `used` bytes of unsent
 * output break the class's limit. The soft limit must hold for longer than
 * its seconds, measured from the first check that saw it exceeded.
 */
export function outputLimitReached(limit: OutputLimit, used: number, state: SoftLimitState, nowSeconds: number): boolean {
  const hard = limit.hard > 0 && used >= limit.hard;
  let soft = limit.soft > 0 && used >= limit.soft;
  if (soft) {
    if (state.softSince === 0) {
      state.softSince = nowSeconds;
      soft = false;
    } else if (nowSeconds - state.softSince <= limit.softSeconds) {
      soft = false;
    }
  } else {
    state.softSince = 0;
  }
  return soft || hard;
}

/** What the limits need to know of a connection. */
export interface LimitedClient {
  /** Bytes written to the socket but not yet sent. */
  readonly unsent: number;
  readonly address: string;
  /** Drops the connection and its unsent output. */
  drop(): void;
}

/**
 * The server's current limits, re-read when the directive changes. Checked
 * when output is added and on every tick (Redis's clients cron), timed by
 * the engine's clock so a test's frozen clock decides when soft limits expire.
 */
export class OutputLimits {
  private limits: OutputLimit[];
  private readonly states = new WeakMap<LimitedClient, SoftLimitState>();

  constructor(
    value: string,
    private readonly nowSeconds: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.limits = parseOutputLimits(value);
  }

  update(value: string): void {
    this.limits = parseOutputLimits(value);
  }

  /** The limit of a class by the core's index (0 normal, 1 replica, 2 pub/sub). */
  forClass(index: number): OutputLimit {
    return this.limits[index] ?? this.limits[0];
  }

  /** Whether a class has any limit at all (normal clients have none by default). */
  limited(index: number): boolean {
    const l = this.forClass(index);
    return l.hard > 0 || l.soft > 0;
  }

  /** Whether any class is limited (the tick skips its walk otherwise). */
  get active(): boolean {
    return CLIENT_CLASSES.some((_, i) => this.limited(i));
  }

  /** Checks one client of class `cls`; true when it was dropped. */
  check(client: LimitedClient, cls: number): boolean {
    if (!this.limited(cls)) return false;
    let state = this.states.get(client);
    if (!state) {
      if (client.unsent === 0) return false;
      state = { softSince: 0 };
      this.states.set(client, state);
    }
    if (!outputLimitReached(this.forClass(cls), client.unsent, state, this.nowSeconds())) return false;
    this.log(`Client addr=${client.address} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    client.drop();
    return true;
  }
}
