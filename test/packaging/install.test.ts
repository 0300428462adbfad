/**
 * The package as a user gets it: `npm pack` of the main package, the
 * linux-x64-gnu binary package made the napi-rs way (`napi create-npm-dirs`
 * + `napi artifacts` + `npm pack`), both installed into an empty folder with
 * no Rust toolchain on PATH; then `npx ferrokv --port 0` must answer PING.
 * Without the binary package, the loader must say which platform lacks one.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ROOT, tempDir } from '../support/servers';

const PLATFORM = 'linux-x64-gnu';
const TARGET = 'x86_64-unknown-linux-gnu';
const supported = process.platform === 'linux' && process.arch === 'x64';

/** PATH without any folder holding cargo or rustc: the install must not need them. */
function pathWithoutRust(): string {
  const hasTool = (dir: string) =>
    ['cargo', 'rustc'].some((tool) => {
      try {
        accessSync(join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !hasTool(dir) && !dir.includes('.cargo') && !dir.includes('rustup'))
    .join(delimiter);
}

function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, encoding: 'utf8', timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

const npm = (args: string[], cwd: string, env?: NodeJS.ProcessEnv) => sh('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, env);

/** The single .tgz `npm pack` left in `dir`. */
function tarball(dir: string): string {
  const found = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
  if (found.length !== 1) throw new Error(`expected one tarball in ${dir}, found ${found.join(', ')}`);
  return join(dir, found[0]);
}

describe.runIf(supported)('installing the packed packages', () => {
  let work: string;
  let mainTgz: string;
  let bindingTgz: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = tempDir('ferrokv-pack-');
    // 1. The main package, as `npm publish` would upload it.
    mkdirSync(join(work, 'main'));
    await npm(['pack', '--pack-destination', join(work, 'main')], ROOT);
    mainTgz = tarball(join(work, 'main'));

    // 2. The binary package. napi's commands work inside a project folder, so they run on a
    //    copy of package.json whose targets are only the one built here (CI builds one per job).
    const proj = join(work, 'binding-project');
    mkdirSync(join(proj, 'artifacts'), { recursive: true });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    pkg.napi.targets = [TARGET];
    writeFileSync(join(proj, 'package.json'), JSON.stringify(pkg, null, 2));
    copyFileSync(join(ROOT, 'native', `ferrokv.${PLATFORM}.node`), join(proj, 'artifacts', `ferrokv.${PLATFORM}.node`));
    const napi = join(ROOT, 'node_modules', '.bin', 'napi');
    await sh(napi, ['create-npm-dirs', '--cwd', proj, '--npm-dir', 'npm'], proj);
    await sh(napi, ['artifacts', '--cwd', proj, '--output-dir', 'artifacts', '--npm-dir', 'npm'], proj);
    const bindingDir = join(proj, 'npm', PLATFORM);
    await npm(['pack'], bindingDir);
    bindingTgz = tarball(bindingDir);

    env = { ...process.env, PATH: pathWithoutRust() };
    delete env.CARGO_HOME;
    delete env.RUSTUP_HOME;
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the main tarball holds the built JS, the loader and the ESM entry, and no binary', async () => {
    const files = (await sh('tar', ['-tzf', mainTgz], work)).split('\n').filter(Boolean);
    for (const f of ['package/bin/ferrokv.js', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli.js', 'package/dist/client/command.js', 'package/esm/index.mjs', 'package/esm/index.d.mts', 'package/native/index.js', 'package/native/index.d.ts']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
    const binding = (await sh('tar', ['-tzf', bindingTgz], work)).split('\n').filter(Boolean);
    expect(binding).toContain(`package/ferrokv.${PLATFORM}.node`);
  });

  it('with no Rust on PATH, `npx ferrokv --port 0` answers PING', async () => {
    await expect(sh('sh', ['-c', 'command -v cargo || command -v rustc'], work, env)).rejects.toThrow();
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}\n');
    await npm(['install', '--prefer-offline', mainTgz, bindingTgz], app, env);

    // npx runs the server as its own child: a process group of their own
    // lets the test end both, and the server's printed pid is ended too.
    const child: ChildProcess = spawn('npx', ['--no-install', 'ferrokv', '--port', '0', '--save', ''], {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let serverPid = 0;
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no startup line in: ${out}`)), 30_000);
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = /port=(\d+) pid=(\d+) ready to accept connections/.exec(out);
          if (m) {
            clearTimeout(timer);
            serverPid = Number(m[2]);
            resolve(Number(m[1]));
          }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('exit', (code) => reject(new Error(`ferrokv exited (${code}): ${out}`)));
      });
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('*1\r\n$4\r\nPING\r\n'));
        socket.once('data', (d) => {
          resolve(d.toString());
          socket.end();
        });
        socket.once('error', reject);
      });
      expect(reply).toBe('+PONG\r\n');
    } finally {
      await stopGroup(child, serverPid);
    }
  }, 300_000);

  it('without the binary package, the loader names the platform that has none', async () => {
    const bare = join(work, 'bare');
    mkdirSync(bare);
    writeFileSync(join(bare, 'package.json'), '{"name":"bare","private":true}\n');
    await npm(['install', '--prefer-offline', mainTgz], bare, env);
    const err = await sh(process.execPath, [join(bare, 'node_modules', 'ferrokv', 'bin', 'ferrokv.js'), '--port', '0'], bare, env).catch((e: Error) => e.message);
    expect(err).toContain(`ferrokv: ferrokv could not load its native core for ${PLATFORM}`);
    expect(err).toContain(`@ferrokv/binding-${PLATFORM}`);
    const lib = await sh(process.execPath, ['-e', "try { require('ferrokv') } catch (e) { console.log(e.code, e.platform) }"], bare, env);
    expect(lib.trim()).toBe(`FERROKV_ERR_NO_NATIVE_BINDING ${PLATFORM}`);
  }, 300_000);
});

/** Ends npx's process group and the server it started, and waits until the server is gone. */
async function stopGroup(child: ChildProcess, serverPid: number): Promise<void> {
  const signal = (pid: number) => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  if (child.pid) signal(-child.pid);
  if (serverPid) signal(serverPid);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && serverPid && alive(serverPid); i++) await new Promise((r) => setTimeout(r, 50));
  expect(serverPid && alive(serverPid)).toBeFalsy();
}
