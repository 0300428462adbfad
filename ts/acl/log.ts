/**
 * ACL LOG: refusals and failed logins, newest first, with Redis's grouping
 * of repeated events (same reason, context, object and user within 60 s)
 * into one entry whose count goes up.
 */
export interface AclDenial {
  reason: string;
  context: string;
  object: string;
  username: string;
  clientInfo: string;
  timeMs: number;
}

export interface AclLogEntry {
  count: number;
  reason: string;
  context: string;
  object: string;
  username: string;
  clientInfo: string;
  entryId: number;
  createdMs: number;
  updatedMs: number;
}

/** Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA. */
const GROUPING_WINDOW_MS = 60_000;
/** Redis looks this many entries back for one to group with. */
const GROUPING_SCAN = 10;

export class AclLog {
  /** Newest first. */
  entries: AclLogEntry[] = [];
  private created = 0;

  add(d: AclDenial, maxLen: number): void {
    const limit = Math.min(GROUPING_SCAN, this.entries.length);
    for (let i = 0; i < limit; i++) {
      const e = this.entries[i];
      if (
        e.reason === d.reason &&
        e.context === d.context &&
        Math.abs(e.updatedMs - d.timeMs) <= GROUPING_WINDOW_MS &&
        e.object === d.object &&
        e.username === d.username
      ) {
        e.count++;
        e.clientInfo = d.clientInfo;
        e.updatedMs = d.timeMs;
        this.entries.splice(i, 1);
        this.entries.unshift(e);
        return;
      }
    }
    this.entries.unshift({
      count: 1,
      reason: d.reason,
      context: d.context,
      object: d.object,
      username: d.username,
      clientInfo: d.clientInfo,
      entryId: this.created++,
      createdMs: d.timeMs,
      updatedMs: d.timeMs,
    });
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  reset(): void {
    this.entries = [];
  }
}
