/**
 * Limits on connections themselves: `maxclients` (refused with Redis's
 * error), `timeout` (idle clients closed by the engine's clock, so a test
 * that froze it decides when time passes) and `tcp-keepalive`.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

import type { NativeEngine } from '../native';

/** What Redis writes to a connection over `maxclients` before closing it. */
export const MAX_CLIENTS_ERROR = '-ERR max number of clients reached\r\n';

export interface ClientLimitsHost {
  readonly engine: NativeEngine;
  /** Connections that finished connecting (and, for TLS, their handshake). */
  clientCount(): number;
  /** TLS connections still in their handshake: Redis has already made them clients. */
  handshaking(): number;
  setting(name: 'maxclients' | 'timeout' | 'tcp-keepalive'): number;
  /** Closes a connection by its engine handle. */
  closeClient(handle: number): void;
  logVerbose(line: string): void;
}

export class ClientLimits {
  constructor(private readonly host: ClientLimitsHost) {}

  /**
   * Redis's `acceptCommonHandler` check: a connection beyond `maxclients`
   * gets the error and is closed. A TLS connection is dropped without a word,
   * as Redis does, since nothing can be written before its handshake.
   */
  admit(socket: Socket, tls: boolean): boolean {
    if (this.host.clientCount() + this.host.handshaking() < this.host.setting('maxclients')) return true;
    this.host.engine.countRejectedConnection();
    // Redis closes the socket outright once the error is out: a half-open
    // socket would leave redis-cli waiting.
    if (tls) socket.destroy();
    else socket.write(MAX_CLIENTS_ERROR, () => socket.destroy());
    return false;
  }

  /** `tcp-keepalive <seconds>` on a new connection (0 leaves keepalive off). */
  configure(socket: Socket): void {
    const keepalive = this.host.setting('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
  }

  /** `timeout <seconds>`: closes clients idle for longer, as Redis's clients cron. */
  closeIdle(): void {
    const timeout = this.host.setting('timeout');
    if (timeout <= 0) return;
    for (const handle of this.host.engine.idleClients(timeout)) {
      this.host.logVerbose('Closing idle client');
      this.host.closeClient(handle);
    }
  }
}

/**
 * Redis's startup warning when the kernel caps the listen queue below
 * `tcp-backlog` (Linux's somaxconn); elsewhere there is nothing to read.
 */
export function backlogWarning(backlog: number, somaxconnFile = '/proc/sys/net/core/somaxconn'): string | undefined {
  let somaxconn: number;
  try {
    somaxconn = Number(readFileSync(somaxconnFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isFinite(somaxconn) || somaxconn >= backlog) return undefined;
  return `WARNING: The TCP backlog setting of ${backlog} cannot be enforced because ${somaxconnFile} is set to the lower value of ${somaxconn}.`;
}
