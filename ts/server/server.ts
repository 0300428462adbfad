/**
 * The server: listeners, connections, the periodic timer, and the glue
 * between the config and the native engine.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { SecureContextOptions } from 'node:tls';

import { AclStore } from '../acl/store';
import type { Config } from '../config/config';
import { rewriteConfigFile } from '../config/rewrite';
import { Logger, type LogLevel } from '../log';
import { NativeEngine, STATUS_SHIFT } from '../native';
import { backlogWarning, ClientLimits } from './client-limits';
import { Connection } from './connection';
import { runHostCommand } from './host-commands';
import { DENIED_MESSAGE, protectedModeRefuses } from './protected-mode';
import { OutputLimits } from './output-limits';
import { AofTurn } from './aof';
import { loadDataset, saveBeforeShutdown, type ShutdownSave, writePersistenceLog } from './persistence';
import { encode } from './resp';
import { ReadReclaimer } from './read-reclaim';
import { OutputSlab } from './slab';
import { SnapshotWalk } from './snapshot';
import { checkedTlsOptions, TlsConfigError, TlsListeners, vetTlsChange } from './tls';

/** redis.log's levels (LOG_DEBUG 0 … LOG_WARNING 3) as the logger names them. */
const SCRIPT_LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

export interface ServerOptions {
  config: Config;
  logger?: Logger;
  /** Start with the engine's clock frozen (tests move it by hand). */
  frozenClock?: boolean;
  /** Called once the server has shut down (the CLI exits the process). */
  onShutdown?: (reason: string) => void;
  /**
   * startServer's convention: a port of 0 asks for a free port. Otherwise,
   * as in Redis, `port 0` turns the plain listener off when a `tls-port` is
   * set (alone it still picks a free port, ferrokv's `--port 0`), and
   * `tls-port 0` means no TLS.
   */
  freePorts?: { plain?: boolean; tls?: boolean };
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
  /** ACL users and log; compiled into the engine's per-connection check. */
  readonly acl: AclStore;
  /** `client-output-buffer-limit` of every class (output-limits.ts). */
  readonly outputLimits: OutputLimits;
  /** Asks V8 to collect finished socket read buffers (read-reclaim.ts). */
  readonly reads = new ReadReclaimer();
  /**
   * Plain TCP clients are read and answered by the core (see
   * crates/node/src/socket_io.rs); FERROKV_NATIVE_IO=0 keeps them on Node's
   * streams, the path TLS clients always take.
   */
  readonly nativeIo: boolean;
  /** Once-per-turn AOF writes and group commit (see ./aof). */
  readonly aof: AofTurn;
  /** Walks BGSAVE's and BGREWRITEAOF's capture of the keyspace on. */
  readonly snapshot: SnapshotWalk;
  /** maxclients, timeout, tcp-keepalive (client-limits.ts). */
  readonly limits: ClientLimits;
  private tls: TlsListeners | undefined;
  /** TLS options loaded by a CONFIG SET, installed once its values are stored. */
  private stagedTls: SecureContextOptions | undefined;
  private boundTlsPort = 0;
  private readonly listeners: NetServer[] = [];
  /** The TLS port's listeners, apart: CONFIG SET tls-port replaces them. */
  private tlsListeners: NetServer[] = [];
  private readonly connections = new Map<number, Connection>();
  /** Connections with queued output from others' commands, and whether a flush is due. */
  private awaitingFlush: Connection[] = [];
  private flushScheduled = false;
  /** Where `takeMessages` lays out who gets which message. */
  private readonly messageMeta = new Uint32Array(16 * 1024);
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
    this.nativeIo =
      process.env.FERROKV_NATIVE_IO !== '0' &&
      this.engine.startSocketIo((handle: number, status: number) => this.connections.get(handle)?.onNative(status));
    this.snapshot = new SnapshotWalk(this.engine);
    this.aof = new AofTurn(
      this.engine,
      this.logger,
      (reason) => void this.shutdown(`AOF write error: ${reason}`, 'nosave'),
      () => this.releaseNativeHeld(),
    );
    this.acl = new AclStore(this.engine, this.config);
    this.acl.loadAtStartup(this.config.userLines);
    const engine = this.engine;
    this.limits = new ClientLimits({
      engine,
      setting: (name) => this.config.getNumber(name),
      clientCount: () => this.connections.size,
      handshaking: () => this.tls?.handshaking ?? 0,
      closeClient: (handle) => this.connections.get(handle)?.close(),
      logVerbose: (line) => this.logger.verbose(line),
    });
    this.outputLimits = new OutputLimits(
      this.config.get('client-output-buffer-limit'),
      () => Math.floor(engine.clockNow() / 1000),
      (line) => this.logger.warning(line),
    );
    this.config.onBeforeSet((changed, proposed) => {
      // With TLS on, new files must load; turning it on (tls-port) needs them too.
      const log = (line: string) => this.logger.warning(line);
      if (this.tls) this.stagedTls = vetTlsChange(changed.filter((n) => n !== 'tls-port'), proposed, log);
      else if (changed.includes('tls-port') && Number(proposed('tls-port')) !== 0) this.stagedTls = vetTlsChange(changed, proposed, log);
    });
    this.config.onChange((name, value) => this.onConfigChange(name, value));
  }

  /** The TCP port actually bound (differs from the config when it asked for 0). */
  get port(): number {
    return this.boundPort;
  }

  /** The TLS port actually bound; 0 without TLS. */
  get tlsPort(): number {
    return this.boundTlsPort;
  }

  async listen(): Promise<void> {
    const port = this.config.getNumber('port');
    const tlsPort = this.config.getNumber('tls-port');
    const free = this.options.freePorts ?? {};
    const withTls = tlsPort !== 0 || free.tls === true;
    const backlogTooLong = backlogWarning(this.config.getNumber('tcp-backlog'));
    if (backlogTooLong) this.logger.warning(backlogTooLong);
    if (withTls) this.tls = new TlsListeners(this.loadTls(), this.tlsHooks());
    try {
      if (port !== 0 || free.plain === true || !withTls) {
        this.boundPort = await this.listenEverywhere(port, this.listeners, () => createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket, false)));
      }
      const tls = this.tls;
      if (tls) this.boundTlsPort = await this.listenEverywhere(tlsPort, this.tlsListeners, () => tls.create());
    } catch (e) {
      await this.close();
      throw e;
    }
    this.engine.setHostInfo({
      tcpPort: this.boundPort,
      processId: process.pid,
      executable: process.argv[1] ?? '',
      configFile: this.config.file,
      nodeVersion: process.versions.node,
    });
    // Redis's startup lines around loading the dataset.
    this.logger.notice(`Running mode=standalone, port=${this.boundPort}.`);
    this.logger.notice('Server initialized');
    try {
      await loadDataset(this.engine, this.logger);
    } catch (e) {
      await this.close();
      throw e;
    }
    this.startTicker();
    if (this.listeners.length > 0) this.logger.notice('Ready to accept connections tcp');
    if (this.tlsListeners.length > 0) this.logger.notice('Ready to accept connections tls');
  }

  /**
   * Listens on every `bind` address with one port (the first bound, when
   * asked for 0), adding the listeners to `into`; returns the port. On a
   * failure the listeners it opened are closed again.
   */
  private async listenEverywhere(port: number, into: NetServer[], create: () => NetServer): Promise<number> {
    let bound = 0;
    const opened: NetServer[] = [];
    for (const spec of this.config.get('bind').split(/\s+/).filter(Boolean)) {
      // "-addr" means: skip this address if it is not available (as Redis's `bind * -::*`).
      const optional = spec.startsWith('-');
      const addr = optional ? spec.slice(1) : spec;
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      try {
        const srv = await this.listenOn(create(), host, bound || port);
        opened.push(srv);
        const a = srv.address();
        if (a && typeof a === 'object') bound = a.port;
      } catch (e) {
        if (optional) continue;
        await closeAll(opened);
        throw new ListenError(`Failed listening on ${host}:${port}: ${(e as Error).message}`);
      }
    }
    into.push(...opened);
    return bound;
  }

  /**
   * CONFIG SET tls-port: the new port is opened before the old one closes,
   * so a port that cannot be had leaves TLS where it was (logged; the reply
   * has already gone). 0 turns TLS off.
   */
  private async moveTlsPort(port: number): Promise<void> {
    const previous = this.tlsListeners;
    if (port !== 0 && port === this.boundTlsPort) return;
    let next: NetServer[] = [];
    let bound = 0;
    if (port !== 0) {
      if (!this.tls) {
        this.tls = new TlsListeners(this.stagedTls ?? this.loadTls(), this.tlsHooks());
        this.stagedTls = undefined;
      }
      const tls = this.tls;
      try {
        next = [];
        bound = await this.listenEverywhere(port, next, () => tls.create());
      } catch (e) {
        this.logger.warning(`Unable to listen on TLS port ${port}: ${(e as Error).message}`);
        return;
      }
    }
    this.tlsListeners = next;
    this.boundTlsPort = bound;
    await closeAll(previous);
  }

  /** The TLS options from the config; a failure is logged as Redis logs it and stops the start. */
  private loadTls(): SecureContextOptions {
    try {
      return checkedTlsOptions((name) => this.config.get(name));
    } catch (e) {
      if (!(e instanceof TlsConfigError)) throw e;
      this.logger.warning(e.message);
      this.logger.warning('Failed to configure TLS. Check logs for more info.');
      throw new TlsConfigError(`Failed to configure TLS: ${e.message}`);
    }
  }

  private tlsHooks(): ConstructorParameters<typeof TlsListeners>[1] {
    return {
      admit: (raw) => {
        if (!this.shuttingDown) return this.limits.admit(raw, true);
        raw.destroy();
        return false;
      },
      accept: (socket) => this.accept(socket, true),
      authMode: () => this.config.get('tls-auth-clients'),
      refused: (reason, socket) =>
        this.logger.verbose(`Error accepting a client connection: ${reason} (addr=${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0} laddr=${socket.localAddress ?? '?'}:${socket.localPort ?? 0})`),
    };
  }

  private listenOn(srv: NetServer, host: string, port: number): Promise<NetServer> {
    return new Promise((resolve, reject) => {
      srv.maxConnections = Infinity;
      srv.once('error', reject);
      srv.listen({ host, port, backlog: this.config.getNumber('tcp-backlog'), ipv6Only: host === '::' }, () => {
        srv.off('error', reject);
        resolve(srv);
      });
    });
  }

  /** A new client; a TLS one was already counted against maxclients before its handshake. */
  private accept(socket: Socket, tls: boolean): void {
    if (this.shuttingDown) {
      socket.destroy();
      return;
    }
    if (!tls && !this.limits.admit(socket, false)) return;
    const defaultNopass = this.acl.get('default')?.nopass ?? true;
    if (protectedModeRefuses(this.config.getBool('protected-mode'), defaultNopass, isLocalAddress(socket.remoteAddress))) {
      socket.end(DENIED_MESSAGE);
      // A plain socket starts paused: read on, so the peer's close is seen.
      socket.resume();
      return;
    }
    this.limits.configure(socket);
    const conn = new Connection(this, socket, !tls);
    this.connections.set(conn.handle, conn);
  }

  /** After the AOF's write of the turn: the replies the core held go out (what a socket did not take, through its connection). */
  private releaseNativeHeld(): void {
    if (!this.nativeIo) return;
    const { handles, rest } = this.engine.releaseHeld();
    for (let i = 0; i < handles.length; i++) this.connections.get(handles[i])?.write(rest[i]);
  }

  /** Called by a connection once its socket has closed. */
  forget(conn: Connection): void {
    if (this.connections.get(conn.handle) === conn) {
      this.connections.delete(conn.handle);
      this.engine.disconnect(conn.handle);
    }
  }

  /**
   * Writes what the core produced for other connections (and closes those it
   * killed): each message goes to the `counts[i]` handles next in `targets`.
   */
  deliverEvents(): void {
    // Messages usually fit the slab: their bytes land there and `meta`
    // says who gets which, with no JavaScript object per message.
    const slab = this.slab.reserve();
    const taken = this.engine.takeMessages(slab.buffer, slab.offset, this.messageMeta);
    if (taken < 0) {
      this.deliverEventObjects();
      return;
    }
    const written = taken % STATUS_SHIFT;
    const meta = this.messageMeta;
    let at = slab.offset;
    for (let b = 0, m = 1; b < meta[0]; b++) {
      const len = meta[m];
      const count = meta[m + 1];
      m += 2;
      const message = slab.buffer.subarray(at, at + len);
      at += len;
      for (const end = m + count; m < end; m++) this.queueFor(meta[m], message);
    }
    // Queued messages are written later: this region must not be reused.
    this.slab.commit(written, false);
    this.scheduleFlush();
    if (taken >= STATUS_SHIFT) this.deliverEventObjects();
  }

  /** Every kind of event, as objects: closes, resumes, log lines, and messages too large for the slab. */
  private deliverEventObjects(): void {
    const ev = this.engine.takeEvents();
    let t = 0;
    for (let i = 0; i < ev.messages.length; i++) {
      const message = ev.messages[i];
      for (const end = t + ev.counts[i]; t < end; t++) this.queueFor(ev.targets[t], message);
    }
    this.scheduleFlush();
    for (const h of ev.closes) this.connections.get(h)?.close();
    for (const h of ev.resumes) this.connections.get(h)?.resumeInput();
    for (let i = 0; i < ev.logLevels.length; i++) this.logger.log(SCRIPT_LOG_LEVELS[ev.logLevels[i]] ?? 'warning', ev.logLines[i]);
  }

  private queueFor(handle: number, message: Buffer): void {
    const conn = this.connections.get(handle);
    if (conn?.enqueue(message)) this.awaitingFlush.push(conn);
  }

  private scheduleFlush(): void {
    if (this.awaitingFlush.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      // After the poll phase: every socket read of this turn has been fed.
      setImmediate(this.flushQueued);
    }
  }

  /** Writes every connection's queued output (see `Connection.enqueue`). */
  private readonly flushQueued = (): void => {
    this.flushScheduled = false;
    const conns = this.awaitingFlush;
    this.awaitingFlush = [];
    for (const conn of conns) conn.flushPending();
  };

  runHostCommand(conn: Connection): void {
    const cmd = this.engine.takeHostCommand(conn.handle);
    if (!cmd) return;
    const resp = cmd.resp === 3 ? 3 : 2;
    const started = process.hrtime.bigint();
    const result = runHostCommand({
      server: this,
      args: cmd.args.map((a) => a.toString('utf8')),
      rawArgs: cmd.args,
      resp,
      local: isLocalAddress(conn.socket.remoteAddress),
      handle: conn.handle,
      close: () => conn.close(),
    });
    const usec = Number((process.hrtime.bigint() - started) / 1000n);
    this.engine.recordHostCall(conn.handle, usec, result?.kind === 'error' ? result.text : undefined);
    if (result) conn.write(encode(result, resp));
    // ACL SETUSER/DELUSER may have closed connections (this one included, after its reply).
    this.deliverEvents();
  }

  resetStats(): void {
    this.engine.resetStats();
  }

  rewriteConfig(): void {
    const users = this.config.get('aclfile') ? [] : this.acl.list().map((u) => `user ${u.name} ${u.describe()}`);
    rewriteConfigFile(this.config, users);
  }

  private onConfigChange(name: string, value: string): void {
    this.engine.setConfig(name, value);
    if (name === 'tls-port') void this.moveTlsPort(Number(value));
    if (name === 'loglevel') this.logger.level = value as LogLevel;
    if (name === 'requirepass') this.acl.applyRequirepass(value);
    if (name === 'client-output-buffer-limit') this.outputLimits.update(value);
    if (name === 'hz' && this.ticker) this.startTicker();
    if (this.stagedTls && this.tls) {
      this.tls.reload(this.stagedTls);
      this.stagedTls = undefined;
    }
  }

  private startTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = setInterval(() => {
      if (this.engine.tick()) this.deliverEvents();
      // A capture a save point or a host command began is walked from here.
      this.snapshot.kick();
      this.acl.drainDenials();
      writePersistenceLog(this.engine, this.logger);
      this.limits.closeIdle();
      if (this.nativeIo) this.reads.noteNativeRead(this.engine.takeNativeReads());
      this.reads.onTick(() => this.engine.releaseMemory());
      if (this.outputLimits.active) for (const conn of this.connections.values()) conn.checkOutputLimit();
    }, Math.max(1, Math.floor(1000 / this.config.getNumber('hz'))));
    // An embedded server must not keep its host process alive on its own.
    this.ticker.unref();
  }

  /** Stops listening, drops every connection and stops the timer. */
  async close(): Promise<void> {
    this.engine.rdbKillBgsave();
    const aofError = this.engine.aofShutdown();
    if (aofError) this.logger.warning(aofError);
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    for (const conn of this.connections.values()) conn.destroy();
    this.connections.clear();
    await closeAll([...this.listeners, ...this.tlsListeners]);
    this.engine.stopSocketIo();
    this.listeners.length = 0;
    this.tlsListeners = [];
    this.tls?.forget();
  }

  /**
   * Shuts down once (SHUTDOWN, SIGINT, SIGTERM), then tells the owner.
   * With save points set (or `save`), the dataset is saved first; if that
   * fails the server stays up, as Redis does.
   */
  shutdown(reason: string, save: ShutdownSave = 'default'): Promise<void> {
    if (this.shuttingDown) return this.shuttingDown;
    this.logger.warning(`User requested shutdown... (${reason})`);
    if (saveBeforeShutdown(this.engine, this.logger, save) !== null) return Promise.resolve();
    this.shuttingDown = (async () => {
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

function closeAll(listeners: NetServer[]): Promise<unknown> {
  return Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
}
