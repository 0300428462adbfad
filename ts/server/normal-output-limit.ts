/**
 * `client-output-buffer-limit normal <hard> <soft> <soft-seconds>`: a
 * normal client whose unread replies pile up (a huge pipelined LRANGE it
 * never reads) is dropped once they pass the hard limit, or stay past the
 * soft limit for longer than the soft seconds. Unsent output is what Node
 * holds for the socket (`writableLength`), as Redis counts its reply list.
 * The check runs when output is added and on every tick (Redis's clients
 * cron), timed by the engine's clock.
 */

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

const NO_LIMIT: OutputLimit = { hard: 0, soft: 0, softSeconds: 0 };

/** The `normal` class from the directive's normalized value ("normal 0 0 0 slave … pubsub …"). */
export function parseNormalLimit(value: string): OutputLimit {
  const words = value.split(/\s+/).filter(Boolean);
  for (let i = 0; i + 3 < words.length; i += 4) {
    if (words[i] === 'normal') return { hard: Number(words[i + 1]), soft: Number(words[i + 2]), softSeconds: Number(words[i + 3]) };
  }
  return NO_LIMIT;
}

/** When a client was first seen past its soft limit (unix seconds; 0 while under it). */
export interface SoftLimitState {
  softSince: number;
}

/**
 * Redis's `checkClientOutputBufferLimits`: the hard limit breaks at once;
 * the soft one only after it has held for more than its seconds, counted
 * from the first check that saw it exceeded.
 */
export function limitBroken(limit: OutputLimit, used: number, state: SoftLimitState, nowSeconds: number): boolean {
  const hard = limit.hard > 0 && used >= limit.hard;
  let soft = limit.soft > 0 && used >= limit.soft;
  if (!soft) {
    state.softSince = 0;
  } else if (state.softSince === 0) {
    state.softSince = nowSeconds;
    soft = false;
  } else if (nowSeconds - state.softSince <= limit.softSeconds) {
    soft = false;
  }
  return hard || soft;
}

/** What the limit needs to know of a connection. */
export interface LimitedClient {
  /** Bytes written to the socket but not yet sent. */
  readonly unsent: number;
  readonly address: string;
  /** Drops the connection and its unsent output. */
  drop(): void;
}

export class NormalOutputLimit {
  private limit: OutputLimit;
  private readonly states = new WeakMap<LimitedClient, SoftLimitState>();

  constructor(
    value: string,
    private readonly nowSeconds: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.limit = parseNormalLimit(value);
  }

  update(value: string): void {
    this.limit = parseNormalLimit(value);
  }

  get active(): boolean {
    return this.limit.hard > 0 || this.limit.soft > 0;
  }

  /** Checks one client; true when it was dropped. */
  check(client: LimitedClient): boolean {
    if (!this.active) return false;
    let state = this.states.get(client);
    if (!state) {
      if (client.unsent === 0) return false;
      state = { softSince: 0 };
      this.states.set(client, state);
    }
    if (!limitBroken(this.limit, client.unsent, state, this.nowSeconds())) return false;
    this.log(`Client addr=${client.address} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    client.drop();
    return true;
  }
}
