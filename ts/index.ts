/**
 * ferrokv as a library: start a real server inside your process (tests,
 * tools), on a free port, with a clock you control.
 */
import { Config, loadConfig } from './config/config';
import { runEmbeddedCommand } from './embedded-command';
import { Logger } from './log';
import { FerroServer } from './server/server';

export { FerroServer } from './server/server';
export { Config, ConfigFileError, ConfigSetError, loadConfig, parseCommandLine } from './config/config';
export { EmbeddedCommandError } from './embedded-command';
export { VERSION } from './version';

export interface StartServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Also serve TLS on this port (0 picks a free one), beside the plain port.
   * The files come in `config`: `tls-cert-file`, `tls-key-file`,
   * `tls-ca-cert-file` (needed unless `tls-auth-clients` is `no`) …
   */
  tlsPort?: number;
  /** Address to bind; 127.0.0.1 by default. */
  host?: string;
  /** Any redis.conf directives, e.g. `{ maxmemory: '100mb', save: '' }`. */
  config?: Record<string, string | number | boolean>;
  /** Start with the clock frozen, so time moves only with `clock.advance`. */
  frozenClock?: boolean;
  /** Print the server's log lines (quiet by default). */
  log?: boolean;
}

export interface ServerClock {
  /** The server's current time in unix milliseconds. */
  now(): number;
  /** Moves the server's time forward (expiry, TTLs …). */
  advance(ms: number): void;
  /** Stops time: from now on it moves only with `advance`. */
  freeze(): void;
  /** Lets time run again from the current (possibly advanced) instant. */
  unfreeze(): void;
}

export interface RunningServer {
  host: string;
  port: number;
  /** The TLS port (see `tlsPort` in the options); 0 without TLS. */
  tlsPort: number;
  /** `redis://host:port`, for clients that take a URL. */
  url: string;
  clock: ServerClock;
  server: FerroServer;
  /** Empties every database (FLUSHALL), e.g. between tests. */
  flushAll(): Promise<void>;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const directives = [
    { name: 'port', args: [String(options.port ?? 0)] },
    { name: 'bind', args: [host] },
    { name: 'save', args: [''] },
    ...(options.tlsPort ? [{ name: 'tls-port', args: [String(options.tlsPort)] }] : []),
    ...Object.entries(options.config ?? {}).map(([name, v]) => ({
      name,
      args: [typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)],
    })),
  ];
  const config: Config = loadConfig({ directives });
  const server = new FerroServer({
    config,
    logger: new Logger('notice', '', !options.log),
    frozenClock: options.frozenClock ?? false,
    freePorts: { plain: true, tls: options.tlsPort === 0 },
  });
  await server.listen();
  const engine = server.engine;
  return {
    host,
    port: server.port,
    tlsPort: server.tlsPort,
    url: `redis://${host}:${server.port}`,
    server,
    clock: {
      now: () => engine.clockNow(),
      advance: (ms) => engine.clockAdvance(ms),
      freeze: () => engine.clockFreeze(),
      unfreeze: () => engine.clockUnfreeze(),
    },
    flushAll: async () => {
      runEmbeddedCommand(server, ['FLUSHALL']);
    },
    close: () => server.close(),
  };
}
