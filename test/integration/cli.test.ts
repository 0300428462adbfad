/**
 * The `ferrokv` command line (bin/ferrokv.js, which runs dist/: `npm run
 * build:ts` first): help and version, bad directives reported as
 * redis-server reports them, config file plus overrides, the startup line,
 * and clean shutdown on SIGTERM and SIGINT.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { VERSION } from '../../ts/index';
import { type CliProcess, runCli, startCli, tempDir } from '../support/servers';

let dir: string;
const running: CliProcess[] = [];

beforeAll(() => {
  dir = tempDir('ferrokv-cli-');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<CliProcess> {
  const p = await startCli(args);
  running.push(p);
  return p;
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('help and version', () => {
  it('--version prints the version and exits 0', () => {
    for (const flag of ['--version', '-v']) {
      const r = runCli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`ferrokv ${VERSION} (redis 7.2.4 compatible)\n`);
    }
  });

  it('--help prints usage and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: ferrokv [/path/to/redis.conf] [--directive value ...]');
    expect(r.stdout).toContain('--port 0');
  });
});

describe('bad directives', () => {
  /** redis-server's report for the same arguments, with its version replaced by ours. */
  function redisReport(args: string[]): string {
    const r = spawnSync('redis-server', args, { encoding: 'utf8', timeout: 10_000, cwd: dir });
    expect(r.status).not.toBe(0);
    return (r.stderr + r.stdout).replace(/\(Redis [0-9.]+\)/, '(Redis 7.2.4)');
  }

  const cases: [string, string[], string][] = [
    ['an unknown directive', ['--nosuch', '1'], 'nosuch'],
    ['a port that is not a number', ['--port', 'abc'], 'port'],
    ['a memory size that is not one', ['--maxmemory', 'xyz'], 'maxmemory'],
    ['a bad value after good ones', ['--port', '0', '--save', '', '--hz', 'fast'], 'hz'],
    ['an enum value out of its set', ['--maxmemory-policy', 'random'], 'maxmemory-policy'],
  ];
  for (const [name, args, directive] of cases) {
    it(`${name}: exits non-zero naming the directive, as redis-server does`, () => {
      const r = runCli(args);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`>>> '${directive} `);
      expect(r.stderr).toBe(redisReport(args));
    });
  }

  it('a log file that cannot be opened stops the start, as redis-server reports it', () => {
    const args = ['--port', '0', '--logfile', join(dir, 'no-such-dir', 'x.log')];
    const r = runCli(args);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(redisReport(args));
    expect(r.stderr).toContain("Can't open the log file: No such file or directory");
  });

  it('a bad line in the config file is reported with its line number', () => {
    const file = join(dir, 'bad.conf');
    writeFileSync(file, '# comment\nport 0\nhz 10\nmaxmemory lots\n');
    const r = runCli([file]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe(redisReport([file]));
    expect(r.stderr).toContain('at line 4');
  });
});

describe('running', () => {
  it('prints a startup line with the version, port and pid', async () => {
    const p = await cli(['--port', '0', '--save', '']);
    const line = p.output().split('\n').find((l) => l.includes(' port=') && l.includes(' pid='));
    // Redis's own startup lines come before it.
    expect(p.output()).toContain(`* Running mode=standalone, port=${p.port}.\n`);
    expect(p.output()).toContain('* Server initialized\n');
    expect(p.output()).toContain('* Ready to accept connections tcp\n');
    expect(line).toMatch(new RegExp(`^\\d+:M \\d{2} \\w{3} \\d{4} [\\d:.]+ \\* ferrokv ${VERSION.replace(/\./g, '\\.')} \\(redis 7\\.2\\.4 compatible\\) port=${p.port} pid=${p.child.pid} ready to accept connections$`));
  });

  it('loads a config file and lets --directive override it', async () => {
    const file = join(dir, 'ok.conf');
    writeFileSync(file, '# test\nport 0\nsave ""\nmaxmemory 10mb\nhz 20\nloglevel warning\n');
    const p = await cli([file, '--maxmemory', '20mb', '--loglevel', 'notice']);
    const r = new Redis({ port: p.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    expect(await r.config('GET', 'maxmemory')).toEqual(['maxmemory', String(20 * 1024 * 1024)]);
    expect(await r.config('GET', 'hz')).toEqual(['hz', '20']);
    expect(await r.config('GET', 'loglevel')).toEqual(['loglevel', 'notice']);
    expect(await r.info('server')).toContain(`config_file:${file}\r\n`);
    r.disconnect();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} shuts down cleanly: exit 0, the port closes`, async () => {
      const p = await cli(['--port', '0', '--save', '']);
      const r = new Redis({ port: p.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
      expect(await r.ping()).toBe('PONG');
      p.child.kill(signal);
      expect(await p.exited).toBe(0);
      expect(p.output()).toContain(`Received ${signal} scheduling shutdown...`);
      expect(await portIsClosed(p.port)).toBe(true);
      r.disconnect();
    });
  }

  it('SHUTDOWN from a client exits the process with 0', async () => {
    const p = await cli(['--port', '0', '--save', '']);
    const r = new Redis({ port: p.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
    await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    expect(await p.exited).toBe(0);
    expect(await portIsClosed(p.port)).toBe(true);
    r.disconnect();
  });
});
