/**
 * TLS with node:tls: the `tls-*` directives turned into a secure context,
 * checked with Redis's wording when the server starts and reloaded by CONFIG
 * SET (a change that does not load leaves the running context alone, as
 * Redis's `applyTlsCfg` does). Client certificates are checked here against
 * `tls-auth-clients` as each connection finishes its handshake, so the
 * directive applies to new connections without rebuilding the listener.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:crypto';
import { createSecureContext, createServer, DEFAULT_CIPHERS, type SecureContextOptions, type SecureVersion, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

import { ConfigSetError } from '../config/config';

/** A TLS setting that cannot be used; the message is what Redis logs. */
export class TlsConfigError extends Error {
  override name = 'TlsConfigError';
}

/** Reads a directive's current (or proposed) value. */
export type ConfigReader = (name: string) => string;

/** The directives Redis reloads the TLS context for (its `applyTlsCfg` group). */
export const TLS_CONTEXT_DIRECTIVES = [
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-dh-params-file',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
  'tls-session-caching',
  'tls-session-cache-size',
  'tls-session-cache-timeout',
] as const;

/** Protocol names as Redis spells them, oldest first, with node's and OpenSSL's names. */
const PROTOCOLS: readonly { name: string; version: SecureVersion; disable: number }[] = [
  { name: 'tlsv1', version: 'TLSv1', disable: constants.SSL_OP_NO_TLSv1 },
  { name: 'tlsv1.1', version: 'TLSv1.1', disable: constants.SSL_OP_NO_TLSv1_1 },
  { name: 'tlsv1.2', version: 'TLSv1.2', disable: constants.SSL_OP_NO_TLSv1_2 },
  { name: 'tlsv1.3', version: 'TLSv1.3', disable: constants.SSL_OP_NO_TLSv1_3 },
];

/** Redis's default when `tls-protocols` is empty. */
const DEFAULT_PROTOCOLS = 'TLSv1.2 TLSv1.3';

/** Node's defaults, split into TLSv1.3 suites and the TLSv1.2-and-older list. */
const DEFAULT_SUITES = DEFAULT_CIPHERS.split(':').filter((c) => c.startsWith('TLS_'));
const DEFAULT_CIPHER_LIST = DEFAULT_CIPHERS.split(':').filter((c) => !c.startsWith('TLS_'));

/** The OpenSSL-style reason of a failed read ("No such file or directory"). */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'No such file or directory';
  if (err.code === 'EACCES') return 'Permission denied';
  if (err.code === 'EISDIR') return 'Is a directory';
  return err.message ?? String(e);
}

/** Reads a PEM file; Redis names the file in its message for all but the CA file. */
function readPem(file: string, what: string, named = true): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new TlsConfigError(named ? `${what}: ${file}: ${reason(e)}` : `${what}: ${reason(e)}`);
  }
}

/** Every certificate file in `tls-ca-cert-dir` (Redis's CApath holds hashed links to them). */
function readCaDir(dir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new TlsConfigError(`Failed to configure CA certificate(s) file/directory: ${reason(e)}`);
  }
  const certs: Buffer[] = [];
  for (const name of names.sort()) {
    try {
      const pem = readFileSync(join(dir, name));
      if (pem.includes('-----BEGIN CERTIFICATE-----')) certs.push(pem);
    } catch {
      // Subdirectories and unreadable entries are not certificates; OpenSSL skips them too.
    }
  }
  return certs;
}

/** `tls-protocols "TLSv1.2 TLSv1.3"`: the versions to allow, as node options. */
function protocolOptions(value: string): Pick<SecureContextOptions, 'minVersion' | 'maxVersion' | 'secureOptions'> {
  const words = (value.trim() || DEFAULT_PROTOCOLS).toLowerCase().split(/\s+/);
  const wanted = new Set<number>();
  for (const w of words) {
    const i = PROTOCOLS.findIndex((p) => p.name === w);
    if (i < 0) throw new TlsConfigError("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
    wanted.add(i);
  }
  const chosen = [...wanted].sort();
  const lo = chosen[0];
  const hi = chosen[chosen.length - 1];
  // A gap ("TLSv1.1 TLSv1.3") switches off the versions between, as Redis's SSL_OP_NO_* do.
  let secureOptions = 0;
  for (let i = lo; i <= hi; i++) if (!wanted.has(i)) secureOptions |= PROTOCOLS[i].disable;
  return { minVersion: PROTOCOLS[lo].version, maxVersion: PROTOCOLS[hi].version, secureOptions };
}

/**
 * Builds the secure-context options from the `tls-*` directives, reading
 * every file, in Redis's order of checks; throws TlsConfigError with the
 * line Redis would log.
 */
export function tlsContextOptions(get: ConfigReader): SecureContextOptions {
  const certFile = get('tls-cert-file');
  const keyFile = get('tls-key-file');
  const caFile = get('tls-ca-cert-file');
  const caDir = get('tls-ca-cert-dir');
  if (!certFile) throw new TlsConfigError('No tls-cert-file configured!');
  if (!keyFile) throw new TlsConfigError('No tls-key-file configured!');
  if (get('tls-auth-clients') !== 'no' && !caFile && !caDir) {
    throw new TlsConfigError('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
  }
  const protocols = protocolOptions(get('tls-protocols'));
  const cert = readPem(certFile, 'Failed to load certificate');
  const key = readPem(keyFile, 'Failed to load private key');
  const ca: Buffer[] = [];
  if (caFile) ca.push(readPem(caFile, 'Failed to configure CA certificate(s) file/directory', false));
  if (caDir) ca.push(...readCaDir(caDir));
  const dhFile = get('tls-dh-params-file');
  const suites = get('tls-ciphersuites');
  const ciphers = get('tls-ciphers');
  const caching = get('tls-session-caching') === 'yes';
  return {
    cert,
    key,
    passphrase: get('tls-key-file-pass') || undefined,
    ca: ca.length > 0 ? ca : undefined,
    dhparam: dhFile ? readPem(dhFile, 'Failed to load DH params file') : undefined,
    // node takes both lists in one string and tells them apart by the TLS_ prefix.
    ciphers: [...(suites ? suites.split(':') : DEFAULT_SUITES), ...(ciphers ? ciphers.split(':') : DEFAULT_CIPHER_LIST)].join(':'),
    honorCipherOrder: get('tls-prefer-server-ciphers') === 'yes',
    sessionTimeout: caching ? Number(get('tls-session-cache-timeout')) : undefined,
    secureOptions: (protocols.secureOptions ?? 0) | (caching ? 0 : constants.SSL_OP_NO_TICKET),
    minVersion: protocols.minVersion,
    maxVersion: protocols.maxVersion,
  };
}

/**
 * Checks the options by building a context once: a key that does not fit
 * its certificate, a wrong key passphrase or an unknown cipher fail here,
 * worded as Redis logs them.
 */
export function checkedTlsOptions(get: ConfigReader): SecureContextOptions {
  const options = tlsContextOptions(get);
  const probe = (step: SecureContextOptions, failure: (detail: string) => string) => {
    try {
      createSecureContext(step);
    } catch (e) {
      throw new TlsConfigError(failure((e as Error).message));
    }
  };
  probe({ cert: options.cert, key: options.key, passphrase: options.passphrase }, (d) => `Failed to load private key: ${get('tls-key-file')}: ${d}`);
  if (options.ca) probe({ ca: options.ca }, (d) => `Failed to configure CA certificate(s) file/directory: ${d}`);
  if (options.dhparam) probe({ dhparam: options.dhparam }, (d) => `Failed to load DH params file: ${get('tls-dh-params-file')}: ${d}`);
  // Redis names only the list it could not use.
  const suites = get('tls-ciphersuites');
  if (suites) {
    // node sorts names by their TLS_ prefix: anything else would land in the TLSv1.2 list.
    if (suites.split(':').some((n) => !n.startsWith('TLS_'))) throw new TlsConfigError(`Failed to configure ciphersuites: ${suites}`);
    probe({ ciphers: [...suites.split(':'), ...DEFAULT_CIPHER_LIST].join(':') }, () => `Failed to configure ciphersuites: ${suites}`);
  }
  const ciphers = get('tls-ciphers');
  if (ciphers) probe({ ciphers: [...DEFAULT_SUITES, ...ciphers.split(':')].join(':') }, () => `Failed to configure ciphers: ${ciphers}`);
  probe(options, (d) => `Failed to configure TLS context: ${d}`);
  return options;
}

/** How a finished handshake fares under `tls-auth-clients yes|no|optional`. */
export function clientCertificateAccepted(mode: string, socket: TLSSocket): boolean {
  if (mode === 'no') return true;
  if (socket.authorized) return true;
  // "optional": no certificate is fine, but one that does not verify is refused.
  const presented = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
  return mode === 'optional' && !presented;
}

/** What a TLS listener asks of the server. */
export interface TlsListenerHooks {
  /** May refuse (and close) a raw connection before any handshake work (`maxclients`). */
  admit(raw: Socket): boolean;
  /** A connection whose handshake is done and whose certificate (if needed) verified. */
  accept(socket: TLSSocket): void;
  /** The current `tls-auth-clients`. */
  authMode(): string;
  /** A handshake failed or a certificate was refused. */
  refused(reason: string, socket: Socket): void;
}

/**
 * TLS listeners. Certificates are always asked for and checked per
 * connection against the current `tls-auth-clients`, so CONFIG SET of that
 * directive applies to the next connection, as in Redis.
 */
export class TlsListeners {
  /** Raw connections whose handshake is under way. */
  private readonly pending = new Set<Socket>();
  private readonly servers: TlsServer[] = [];

  constructor(
    private options: SecureContextOptions,
    private readonly hooks: TlsListenerHooks,
  ) {}

  get handshaking(): number {
    return this.pending.size;
  }

  /**
   * A listener for one address: a plain TCP server that admits each
   * connection (maxclients) before handing it to the TLS server, since a
   * socket node:tls has started wrapping can no longer be refused cleanly.
   */
  create(): NetServer {
    const server = createServer({ ...this.options, requestCert: true, rejectUnauthorized: false });
    const front = createNetServer({ noDelay: true }, (raw: Socket) => {
      if (!this.hooks.admit(raw)) return;
      this.pending.add(raw);
      raw.once('close', () => this.pending.delete(raw));
      server.emit('connection', raw);
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      // node keeps the raw socket it wrapped as `_parent`.
      this.pending.delete((socket as unknown as { _parent: Socket })._parent);
      if (!clientCertificateAccepted(this.hooks.authMode(), socket)) {
        this.hooks.refused(String(socket.authorizationError ?? 'peer did not return a certificate'), socket);
        socket.destroy();
        return;
      }
      this.hooks.accept(socket);
    });
    server.on('tlsClientError', (e: Error, socket: TLSSocket) => this.hooks.refused(e.message, socket));
    this.servers.push(server);
    return front;
  }

  /** New files or settings for the connections to come (CONFIG SET). */
  reload(options: SecureContextOptions): void {
    this.options = options;
    for (const server of this.servers) server.setSecureContext({ ...options, honorCipherOrder: options.honorCipherOrder ?? false });
  }

  /** The server is closing: handshakes under way end too. */
  forget(): void {
    for (const raw of this.pending) raw.destroy();
    this.pending.clear();
    this.servers.length = 0;
  }
}

/**
 * Vets a CONFIG SET of TLS directives (the server asks while it serves TLS): the new files must
 * load, or the whole command fails with Redis's reply and the running
 * context stays. Returns the options to install once the values are stored.
 */
export function vetTlsChange(changed: string[], proposed: ConfigReader, log: (line: string) => void): SecureContextOptions | undefined {
  const first = changed.find((n) => n === 'tls-port' || (TLS_CONTEXT_DIRECTIVES as readonly string[]).includes(n));
  if (!first) return undefined;
  try {
    return checkedTlsOptions(proposed);
  } catch (e) {
    if (!(e instanceof TlsConfigError)) throw e;
    log(e.message);
    log(`Failed applying new configuration. Possibly related to new ${first} setting. Restoring previous settings.`);
    throw new ConfigSetError(`CONFIG SET failed (possibly related to argument '${first}') - Unable to update TLS configuration. Check server logs.`);
  }
}
