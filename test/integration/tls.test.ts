/**
 * TLS as clients see it: redis-cli --tls and ioredis with `tls` connect to
 * the TLS port while the plain port keeps serving; client certificates under
 * `tls-auth-clients yes|optional|no`; protocols, ciphers, encrypted keys, a
 * CA directory; CONFIG SET reloading the files; startup failures worded as
 * Redis logs them. Certificates are made with openssl when the suite starts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, copyFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FerroServer, loadConfig, type RunningServer, startServer } from '../../ts/index';
import { Logger } from '../../ts/log';
import { makeTestPki, type TestPki } from '../support/certs';
import { runCli, startCli } from '../support/servers';

let pki: TestPki;

beforeAll(() => {
  // openssl comes with Debian; the suite installs nothing.
  expect(execFileSync('sh', ['-c', 'command -v openssl']).toString().trim()).not.toBe('');
  pki = makeTestPki();
});
afterAll(() => pki?.remove());

/** The directives of a server with the test CA, certificate and key. */
function tlsConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { 'tls-cert-file': pki.serverCert, 'tls-key-file': pki.serverKey, 'tls-ca-cert-file': pki.caCert, ...extra };
}

interface TlsReply {
  reply: string;
  protocol: string | null;
  cipher: string;
  /** The CN of the certificate the server presented. */
  serverName: string;
}

/**
 * One command over TLS; resolves with the first reply, rejects when the
 * server ends the connection (or the handshake) without one.
 */
function tlsCall(port: number, options: ConnectionOptions = {}, request = '*1\r\n$4\r\nPING\r\n'): Promise<TlsReply> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: pki.read(pki.caCert), ...options }, () => socket.write(request));
    socket.once('data', (chunk: Buffer) => {
      const peer = socket.getPeerCertificate();
      resolve({ reply: chunk.toString(), protocol: socket.getProtocol(), cipher: socket.getCipher().name, serverName: String(peer.subject?.CN ?? '') });
      socket.destroy();
    });
    socket.once('error', (e) => reject(e));
    socket.once('close', () => reject(new Error('closed without a reply')));
  });
}

const clientCert = (): ConnectionOptions => ({ cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) });

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const a = probe.address();
      probe.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

describe('plain and TLS ports together (tls-auth-clients yes)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ tlsPort: 0, config: tlsConfig() });
  });
  afterAll(async () => server?.close());

  it('listens on both ports', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.tlsPort).toBeGreaterThan(0);
    expect(server.tlsPort).not.toBe(server.port);
  });

  it('redis-cli --tls --cacert with a client certificate gets PONG', async () => {
    const help = await run('redis-cli', ['--help']);
    expect(help.stderr + help.stdout).toContain('--tls');
    const r = await run('redis-cli', ['--tls', '--cacert', pki.caCert, '--cert', pki.clientCert, '--key', pki.clientKey, '-h', '127.0.0.1', '-p', String(server.tlsPort), 'PING']);
    expect(r).toEqual({ stdout: 'PONG\n', stderr: '', code: 0 });
  });

  it('ioredis with tls {ca, cert, key} shares the data with a plain client', async () => {
    const secure = new Redis({ host: '127.0.0.1', port: server.tlsPort, tls: { ca: pki.read(pki.caCert), cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) }, maxRetriesPerRequest: 0 });
    const plain = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 0 });
    try {
      expect(await secure.set('over-tls', 'secret value')).toBe('OK');
      expect(await plain.get('over-tls')).toBe('secret value');
      await plain.rpush('list', 'a', 'b');
      expect(await secure.lrange('list', 0, -1)).toEqual(['a', 'b']);
      // Both show up as clients of one server.
      const list = await plain.client('LIST');
      expect(String(list).trim().split('\n')).toHaveLength(2);
    } finally {
      secure.disconnect();
      plain.disconnect();
    }
  });

  it('a client without a certificate is refused, one with a certificate from an unknown CA too', async () => {
    await expect(tlsCall(server.tlsPort)).rejects.toThrow();
    await expect(tlsCall(server.tlsPort, { cert: pki.read(pki.rogueCert), key: pki.read(pki.rogueKey) })).rejects.toThrow();
    expect((await tlsCall(server.tlsPort, clientCert())).reply).toBe('+PONG\r\n');
  });

  it('the plain port speaks plain RESP, and the TLS port does not', async () => {
    const plain = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 0 });
    try {
      expect(await plain.ping()).toBe('PONG');
    } finally {
      plain.disconnect();
    }
    const r = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(server.tlsPort), 'PING']);
    expect(r.stdout).not.toContain('PONG');
  });

  it('CONFIG SET tls-auth-clients optional accepts clients without a certificate, still not a bad one', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 0 });
    try {
      expect(await admin.config('SET', 'tls-auth-clients', 'optional')).toBe('OK');
      expect((await tlsCall(server.tlsPort)).reply).toBe('+PONG\r\n');
      expect((await tlsCall(server.tlsPort, clientCert())).reply).toBe('+PONG\r\n');
      await expect(tlsCall(server.tlsPort, { cert: pki.read(pki.rogueCert), key: pki.read(pki.rogueKey) })).rejects.toThrow();
      const cli = await run('redis-cli', ['--tls', '--cacert', pki.caCert, '-h', '127.0.0.1', '-p', String(server.tlsPort), 'PING']);
      expect(cli.stdout).toBe('PONG\n');
      expect(await admin.config('SET', 'tls-auth-clients', 'no')).toBe('OK');
      expect((await tlsCall(server.tlsPort)).reply).toBe('+PONG\r\n');
      expect(await admin.config('SET', 'tls-auth-clients', 'yes')).toBe('OK');
      await expect(tlsCall(server.tlsPort)).rejects.toThrow();
    } finally {
      admin.disconnect();
    }
  });

  it('CONFIG SET of the certificate files reloads them for new connections', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 0 });
    try {
      expect((await tlsCall(server.tlsPort, clientCert())).serverName).toBe('localhost');
      expect(await admin.config('SET', 'tls-cert-file', pki.secondCert, 'tls-key-file', pki.secondKey)).toBe('OK');
      expect((await tlsCall(server.tlsPort, clientCert())).serverName).toBe('second.localhost');
      expect(await admin.config('GET', 'tls-cert-file')).toEqual(['tls-cert-file', pki.secondCert]);
    } finally {
      admin.disconnect();
    }
  });

  it('CONFIG SET of files that do not load fails as in Redis and keeps the running setup', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 0 });
    try {
      const before = await admin.config('GET', 'tls-cert-file');
      await expect(admin.config('SET', 'tls-cert-file', join(pki.dir, 'missing.crt'))).rejects.toThrow(
        "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.",
      );
      await expect(admin.config('SET', 'maxmemory', '10mb', 'tls-protocols', 'TLSv9')).rejects.toThrow(
        "ERR CONFIG SET failed (possibly related to argument 'tls-protocols') - Unable to update TLS configuration. Check server logs.",
      );
      // Nothing of a refused command is kept.
      expect(await admin.config('GET', 'maxmemory')).toEqual(['maxmemory', '0']);
      expect(await admin.config('GET', 'tls-cert-file')).toEqual(before);
      // A key that does not belong to the certificate is refused too.
      await expect(admin.config('SET', 'tls-key-file', pki.clientKey)).rejects.toThrow('Unable to update TLS configuration');
      expect((await tlsCall(server.tlsPort, clientCert())).reply).toBe('+PONG\r\n');
    } finally {
      admin.disconnect();
    }
  });
});

describe('TLS settings', () => {
  async function withServer(config: Record<string, string>, body: (s: RunningServer) => Promise<void>): Promise<void> {
    const s = await startServer({ tlsPort: 0, config });
    try {
      await body(s);
    } finally {
      await s.close();
    }
  }

  it('tls-auth-clients no needs no CA', async () => {
    await withServer({ 'tls-cert-file': pki.serverCert, 'tls-key-file': pki.serverKey, 'tls-auth-clients': 'no' }, async (s) => {
      expect((await tlsCall(s.tlsPort)).reply).toBe('+PONG\r\n');
    });
  });

  it('tls-protocols limits the versions offered', async () => {
    await withServer(tlsConfig({ 'tls-protocols': 'TLSv1.2' }), async (s) => {
      expect((await tlsCall(s.tlsPort, clientCert())).protocol).toBe('TLSv1.2');
      await expect(tlsCall(s.tlsPort, { ...clientCert(), minVersion: 'TLSv1.3' })).rejects.toThrow();
    });
    await withServer(tlsConfig({ 'tls-protocols': 'tlsv1.3' }), async (s) => {
      expect((await tlsCall(s.tlsPort, clientCert())).protocol).toBe('TLSv1.3');
      await expect(tlsCall(s.tlsPort, { ...clientCert(), maxVersion: 'TLSv1.2' })).rejects.toThrow();
    });
    // Redis's default: TLSv1.2 and TLSv1.3.
    await withServer(tlsConfig(), async (s) => {
      expect((await tlsCall(s.tlsPort, clientCert())).protocol).toBe('TLSv1.3');
      expect((await tlsCall(s.tlsPort, { ...clientCert(), maxVersion: 'TLSv1.2' })).protocol).toBe('TLSv1.2');
    });
  });

  it('tls-ciphersuites (TLSv1.3) and tls-ciphers (TLSv1.2) choose the cipher', async () => {
    await withServer(tlsConfig({ 'tls-ciphersuites': 'TLS_AES_128_GCM_SHA256' }), async (s) => {
      expect((await tlsCall(s.tlsPort, clientCert())).cipher).toBe('TLS_AES_128_GCM_SHA256');
    });
    await withServer(tlsConfig({ 'tls-protocols': 'TLSv1.2', 'tls-ciphers': 'ECDHE-ECDSA-AES256-GCM-SHA384' }), async (s) => {
      expect((await tlsCall(s.tlsPort, clientCert())).cipher).toBe('ECDHE-ECDSA-AES256-GCM-SHA384');
    });
  });

  it('tls-prefer-server-ciphers picks the server’s order over the client’s', async () => {
    const serverOrder = 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256';
    const clientOrder = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384';
    const config = tlsConfig({ 'tls-protocols': 'TLSv1.2', 'tls-ciphers': serverOrder });
    await withServer({ ...config, 'tls-prefer-server-ciphers': 'yes' }, async (s) => {
      expect((await tlsCall(s.tlsPort, { ...clientCert(), ciphers: clientOrder })).cipher).toBe('ECDHE-ECDSA-AES256-GCM-SHA384');
    });
    await withServer({ ...config, 'tls-prefer-server-ciphers': 'no' }, async (s) => {
      expect((await tlsCall(s.tlsPort, { ...clientCert(), ciphers: clientOrder })).cipher).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
    });
  });

  it('tls-key-file-pass opens an encrypted key', async () => {
    await withServer(tlsConfig({ 'tls-key-file': pki.serverKeyEncrypted, 'tls-key-file-pass': 'secret' }), async (s) => {
      expect((await tlsCall(s.tlsPort, clientCert())).reply).toBe('+PONG\r\n');
    });
  });

  it('tls-ca-cert-dir trusts the certificates in a folder', async () => {
    const dir = join(pki.dir, 'cas');
    mkdirSync(dir, { recursive: true });
    copyFileSync(pki.caCert, join(dir, 'ca.pem'));
    const config = { 'tls-cert-file': pki.serverCert, 'tls-key-file': pki.serverKey, 'tls-ca-cert-dir': dir };
    await withServer(config, async (s) => {
      expect((await tlsCall(s.tlsPort, clientCert())).reply).toBe('+PONG\r\n');
      await expect(tlsCall(s.tlsPort, { cert: pki.read(pki.rogueCert), key: pki.read(pki.rogueKey) })).rejects.toThrow();
    });
  });

  it('maxclients counts TLS clients, which are dropped without a word when full', async () => {
    await withServer(tlsConfig({ maxclients: '1' }), async (s) => {
      const first = tlsConnect({ host: '127.0.0.1', port: s.tlsPort, ca: pki.read(pki.caCert), ...clientCert() });
      try {
        await new Promise<void>((resolve) => first.once('secureConnect', () => resolve()));
        first.write('*1\r\n$4\r\nPING\r\n');
        await new Promise<void>((resolve) => first.once('data', () => resolve()));
        await expect(tlsCall(s.tlsPort, clientCert())).rejects.toThrow();
        const plain = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(s.port), 'PING']);
        expect(plain.stdout + plain.stderr).toContain('max number of clients reached');
      } finally {
        first.destroy();
      }
    });
  });
});

describe('CONFIG SET tls-port', () => {
  /** Retries `tlsCall` until it answers (the port moves after the reply). */
  async function pingOnceListening(port: number): Promise<string> {
    for (let i = 0; i < 300; i++) {
      try {
        return (await tlsCall(port, clientCert())).reply;
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    throw new Error(`nothing answered on ${port}`);
  }

  async function refusedOnceClosed(port: number): Promise<boolean> {
    for (let i = 0; i < 300; i++) {
      try {
        await tlsCall(port, clientCert());
        await new Promise((r) => setTimeout(r, 10));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
      }
    }
    return false;
  }

  it('turns TLS on, moves it and turns it off on a running server', async () => {
    const s = await startServer({ config: tlsConfig() });
    const admin = new Redis({ host: '127.0.0.1', port: s.port, maxRetriesPerRequest: 0 });
    try {
      expect(s.tlsPort).toBe(0);
      const first = await freePort();
      expect(await admin.config('SET', 'tls-port', String(first))).toBe('OK');
      expect(await pingOnceListening(first)).toBe('+PONG\r\n');
      expect(s.server.tlsPort).toBe(first);
      const second = await freePort();
      expect(await admin.config('SET', 'tls-port', String(second))).toBe('OK');
      expect(await pingOnceListening(second)).toBe('+PONG\r\n');
      expect(await refusedOnceClosed(first)).toBe(true);
      expect(await admin.config('SET', 'tls-port', '0')).toBe('OK');
      expect(await refusedOnceClosed(second)).toBe(true);
      expect(await admin.ping()).toBe('PONG');
    } finally {
      admin.disconnect();
      await s.close();
    }
  });

  it('refuses to turn TLS on without usable files, as Redis', async () => {
    const s = await startServer({});
    const admin = new Redis({ host: '127.0.0.1', port: s.port, maxRetriesPerRequest: 0 });
    try {
      await expect(admin.config('SET', 'tls-port', String(await freePort()))).rejects.toThrow(
        "ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.",
      );
      expect(await admin.config('GET', 'tls-port')).toEqual(['tls-port', '0']);
    } finally {
      admin.disconnect();
      await s.close();
    }
  });
});

describe('startup', () => {
  const start = (config: Record<string, string>) => startServer({ tlsPort: 0, config });

  it('refuses to start when a file is missing or a setting is wrong, with Redis’s reason', async () => {
    const missing = join(pki.dir, 'nope.crt');
    await expect(start(tlsConfig({ 'tls-cert-file': missing }))).rejects.toThrow(`Failed to configure TLS: Failed to load certificate: ${missing}: No such file or directory`);
    await expect(start(tlsConfig({ 'tls-key-file': missing }))).rejects.toThrow(`Failed to configure TLS: Failed to load private key: ${missing}: No such file or directory`);
    await expect(start(tlsConfig({ 'tls-ca-cert-file': missing }))).rejects.toThrow(
      'Failed to configure TLS: Failed to configure CA certificate(s) file/directory: No such file or directory',
    );
    await expect(start({ 'tls-cert-file': pki.serverCert, 'tls-key-file': pki.serverKey })).rejects.toThrow(
      'Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!',
    );
    await expect(start({ 'tls-key-file': pki.serverKey, 'tls-auth-clients': 'no' })).rejects.toThrow('No tls-cert-file configured!');
    await expect(start(tlsConfig({ 'tls-protocols': 'TLSv1.2 SSLv3' }))).rejects.toThrow(
      "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
    );
    await expect(start(tlsConfig({ 'tls-ciphers': 'BOGUS' }))).rejects.toThrow('Failed to configure ciphers: BOGUS');
    await expect(start(tlsConfig({ 'tls-ciphersuites': 'BOGUS' }))).rejects.toThrow('Failed to configure ciphersuites: BOGUS');
    await expect(start(tlsConfig({ 'tls-key-file': pki.serverKeyEncrypted, 'tls-key-file-pass': 'wrong' }))).rejects.toThrow(
      `Failed to load private key: ${pki.serverKeyEncrypted}`,
    );
  });

  it('the TLS files are not read while tls-port is 0', async () => {
    const s = await startServer({ config: { 'tls-cert-file': join(pki.dir, 'nope.crt') } });
    try {
      expect(s.tlsPort).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('from redis.conf directives, port 0 with a tls-port serves TLS only (as Redis)', async () => {
    const tlsPort = await freePort();
    const directives = { port: '0', bind: '127.0.0.1', 'tls-port': String(tlsPort), ...tlsConfig() };
    const config = loadConfig({ directives: Object.entries(directives).map(([name, v]) => ({ name, args: [v] })) });
    const server = new FerroServer({ config, logger: new Logger('notice', '', true) });
    await server.listen();
    try {
      expect(server.port).toBe(0);
      expect(server.tlsPort).toBe(tlsPort);
      expect((await tlsCall(tlsPort, clientCert())).reply).toBe('+PONG\r\n');
    } finally {
      await server.close();
    }
  });

  it('the CLI: TLS only with --port 0 --tls-port, and a clear message when a file is missing', async () => {
    const tlsPort = await freePort();
    const files = ['--tls-cert-file', pki.serverCert, '--tls-key-file', pki.serverKey, '--tls-ca-cert-file', pki.caCert];
    const cli = await startCli(['--port', '0', '--tls-port', String(tlsPort), '--bind', '127.0.0.1', '--save', '', ...files]);
    try {
      expect(cli.output()).toContain(` port=0 tls-port=${tlsPort} `);
      const r = await run('redis-cli', ['--tls', '--cacert', pki.caCert, '--cert', pki.clientCert, '--key', pki.clientKey, '-h', '127.0.0.1', '-p', String(tlsPort), 'PING']);
      expect(r.stdout).toBe('PONG\n');
    } finally {
      await cli.stop();
    }
    const missing = join(pki.dir, 'absent.crt');
    const failed = runCli(['--port', '0', '--tls-port', String(tlsPort), '--save', '', ...files.slice(0, 1), missing, ...files.slice(2)]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain(`# Failed to load certificate: ${missing}: No such file or directory`);
    expect(failed.stdout).toContain('# Failed to configure TLS. Check logs for more info.');
    expect(failed.stderr).toBe(`ferrokv: Failed to configure TLS: Failed to load certificate: ${missing}: No such file or directory\n`);
  });
});
