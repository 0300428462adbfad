/**
 * Servers a test starts: ferrokv in-process (port 0), a real redis-server
 * (the oracle) on a unix socket in a temporary folder, and the ferrokv CLI as
 * a child process. Each returns a `stop` the test calls in afterAll/afterEach.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FerroServer, loadConfig, type RunningServer, startServer, type StartServerOptions } from '../../ts/index';
import { Logger } from '../../ts/log';
import { RawClient } from './raw';

export const ROOT = join(__dirname, '..', '..');

export function tempDir(prefix = 'ferrokv-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** ferrokv in this process, on a free port of 127.0.0.1. */
export async function startFerro(options: StartServerOptions = {}): Promise<RunningServer> {
  return startServer(options);
}

/** ferrokv in this process, configured from a redis.conf file plus directives (as the CLI would). */
export async function startFerroWithConfigFile(configFile: string, directives: Record<string, string> = {}): Promise<FerroServer> {
  const config = loadConfig({
    configFile,
    directives: Object.entries({ port: '0', bind: '127.0.0.1', ...directives }).map(([name, v]) => ({ name, args: [v] })),
  });
  const server = new FerroServer({ config, logger: new Logger('notice', '', true) });
  await server.listen();
  return server;
}

export interface RedisServer {
  path: string;
  version: string;
  stop(): Promise<void>;
}

/** The installed redis-server's version ("7.0.15"). */
export function redisVersion(): string {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('redis-server is not installed (npm test installs it)');
  const m = /v=(\S+)/.exec(r.stdout);
  return m ? m[1] : 'unknown';
}

/**
 * A Valkey 8 server binary: FERROKV_VALKEY_SERVER, or the one
 * scripts/fetch-valkey.mjs keeps in .cache/valkey (fetched on first use).
 */
export function valkeyServer(): string {
  if (process.env.FERROKV_VALKEY_SERVER) return process.env.FERROKV_VALKEY_SERVER;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'fetch-valkey.mjs')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`no Valkey 8 for the differential tests:\n${r.stderr}`);
  return r.stdout.trim();
}

/** A real redis-server listening only on a unix socket, without persistence. */
export async function startRedis(extra: string[] = [], configFile?: string): Promise<RedisServer> {
  const version = redisVersion();
  const dir = tempDir('ferrokv-redis-');
  const path = join(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    [...(configFile ? [configFile] : []), '--port', '0', '--unixsocket', path, '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, 'redis.log'), ...extra],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const c = await RawClient.connect({ path });
      c.close();
      break;
    } catch (e) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not start: ${(e as Error).message}`, { cause: e });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    path,
    version,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliProcess {
  child: ChildProcess;
  port: number;
  /** Everything printed so far. */
  output(): string;
  /** Exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

const CLI = join(ROOT, 'bin', 'ferrokv.js');

/** Runs the CLI to completion (for --help, bad options …). */
export function runCli(args: string[], timeout = 15_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout, cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI as a server and waits for its startup line to learn the port. */
export async function startCli(args: string[]): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no startup line: ${out}`)), 15_000);
    const check = () => {
      const m = / port=(\d+) /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before its startup line: ${out}`));
    });
  });
  return {
    child,
    port,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
