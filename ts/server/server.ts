/**
 * The server: listeners, connections, the periodic timer, and the glue
 * between the config and the native engine.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';

import type { Config } from '../config/config';
import { rewriteConfigFile } from '../config/rewrite';
import { Logger, type LogLevel } from '../log';
import { NativeEngine } from '../native';
import { Connection } from './connection';
import { runHostCommand } from './host-commands';
import { encode } from './resp';
import { OutputSlab } from './slab';

/** redis.log's levels (LOG_DEBUG 0 … LOG_WARNING 3) as the logger names them. */
const SCRIPT_LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

export interface ServerOptions {
  config: Config;
  logger?: Logger;
  /** Start with the engine's clock frozen (tests move it by hand). */
  frozenClock?: boolean;
  /** Called once the server has shut down (the CLI exits the process). */
  onShutdown?: (reason: string) => void;
}

/** Redis's `islocalClient` for TCP: the loopback addresses (a unix socket has none). */
export function isLocalAddress(addr: string | undefined): boolean {
  return addr === undefined || addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

/** Wraps "Address already in use" and friends with the address that failed. */
export class ListenError extends Error {
  override name = 'ListenError';
}

export class FerroServer {
  readonly engine: NativeEngine;
  readonly config: Config;
  readonly logger: Logger;
  readonly slab = new OutputSlab();
  private readonly listeners: NetServer[] = [];
  private readonly connections = new Map<number, Connection>();
  private ticker: NodeJS.Timeout | undefined;
  private shuttingDown: Promise<void> | undefined;
  private boundPort = 0;

  constructor(private readonly options: ServerOptions) {
    this.config = options.config;
    this.logger = options.logger ?? new Logger();
    this.logger.level = this.config.get('loglevel') as LogLevel;
    this.engine = new NativeEngine({
      databases: this.config.getNumber('databases'),
      frozenClock: options.frozenClock ?? false,
    });
    for (const [name, value] of this.config.entries()) this.engine.setConfig(name, value);
    this.config.onChange((name, value) => this.onConfigChange(name, value));
  }

  /** The TCP port actually bound (differs from the config when it asked for 0). */
  get port(): number {
    return this.boundPort;
  }

  async listen(): Promise<void> {
    const port = this.config.getNumber('port');
    const binds = this.config.get('bind').split(/\s+/).filter(Boolean);
    for (const spec of binds) {
      // "-addr" means: skip this address if it is not available (as Redis's `bind * -::*`).
      const optional = spec.startsWith('-');
      const addr = optional ? spec.slice(1) : spec;
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      try {
        const srv = await this.listenOn(host, this.boundPort || port);
        this.listeners.push(srv);
        const a = srv.address();
        if (a && typeof a === 'object') this.boundPort = a.port;
      } catch (e) {
        if (optional) continue;
        await this.close();
        throw new ListenError(`Failed listening on ${host}:${port}: ${(e as Error).message}`);
      }
    }
    this.engine.setHostInfo({
      tcpPort: this.boundPort,
      processId: process.pid,
      executable: process.argv[1] ?? '',
      configFile: this.config.file,
      nodeVersion: process.versions.node,
    });
    this.startTicker();
  }

  private listenOn(host: string, port: number): Promise<NetServer> {
    return new Promise((resolve, reject) => {
      const srv = createServer({ noDelay: true }, (socket) => this.accept(socket));
      srv.maxConnections = Infinity;
      srv.once('error', reject);
      srv.listen({ host, port, backlog: this.config.getNumber('tcp-backlog'), ipv6Only: host === '::' }, () => {
        srv.off('error', reject);
        resolve(srv);
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.shuttingDown) {
      socket.destroy();
      return;
    }
    if (this.connections.size >= this.config.getNumber('maxclients')) {
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    const keepalive = this.config.getNumber('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    const conn = new Connection(this, socket);
    this.connections.set(conn.handle, conn);
  }

  /** Called by a connection once its socket has closed. */
  forget(conn: Connection): void {
    if (this.connections.get(conn.handle) === conn) {
      this.connections.delete(conn.handle);
      this.engine.disconnect(conn.handle);
    }
  }

  /** Writes what the core produced for other connections (and closes those it killed). */
  deliverEvents(): void {
    const ev = this.engine.takeEvents();
    for (let i = 0; i < ev.targets.length; i++) this.connections.get(ev.targets[i])?.write(ev.messages[i]);
    for (const h of ev.closes) this.connections.get(h)?.close();
    for (const h of ev.resumes) this.connections.get(h)?.resumeInput();
    for (let i = 0; i < ev.logLevels.length; i++) this.logger.log(SCRIPT_LOG_LEVELS[ev.logLevels[i]] ?? 'warning', ev.logLines[i]);
  }

  runHostCommand(conn: Connection): void {
    const cmd = this.engine.takeHostCommand(conn.handle);
    if (!cmd) return;
    const resp = cmd.resp === 3 ? 3 : 2;
    const started = process.hrtime.bigint();
    const result = runHostCommand({
      server: this,
      args: cmd.args.map((a) => a.toString('utf8')),
      resp,
      local: isLocalAddress(conn.socket.remoteAddress),
      close: () => conn.close(),
    });
    const usec = Number((process.hrtime.bigint() - started) / 1000n);
    this.engine.recordHostCall(conn.handle, usec, result?.kind === 'error' ? result.text : undefined);
    if (result) conn.write(encode(result, resp));
  }

  resetStats(): void {
    this.engine.resetStats();
  }

  rewriteConfig(): void {
    rewriteConfigFile(this.config);
  }

  private onConfigChange(name: string, value: string): void {
    this.engine.setConfig(name, value);
    if (name === 'loglevel') this.logger.level = value as LogLevel;
    if (name === 'hz' && this.ticker) this.startTicker();
  }

  private startTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = setInterval(() => {
      if (this.engine.tick()) this.deliverEvents();
    }, Math.max(1, Math.floor(1000 / this.config.getNumber('hz'))));
    // An embedded server must not keep its host process alive on its own.
    this.ticker.unref();
  }

  /** Stops listening, drops every connection and stops the timer. */
  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    for (const conn of this.connections.values()) conn.destroy();
    this.connections.clear();
    await Promise.all(this.listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
    this.listeners.length = 0;
  }

  /** Shuts down once (SHUTDOWN, SIGINT, SIGTERM), then tells the owner. */
  shutdown(reason: string): Promise<void> {
    this.shuttingDown ??= (async () => {
      this.logger.warning(`User requested shutdown... (${reason})`);
      await this.close();
      this.logger.warning('ferrokv is now ready to exit, bye bye...');
      this.options.onShutdown?.(reason);
    })();
    return this.shuttingDown;
  }

  get clientCount(): number {
    return this.connections.size;
  }
}

