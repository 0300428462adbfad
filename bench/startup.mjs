#!/usr/bin/env node
// Startup time, by hand: from spawning a server to its first PONG, for
// ferrokv (`node bin/ferrokv.js`, and through `npx ferrokv`) and for
// redis-server, each on a free TCP port; median of N runs (10 by default).
//   node bench/startup.mjs [runs]
// The client connects again at once on ECONNREFUSED, so the figure is the
// time until the server both listens and answers.
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const runs = Number(process.argv[2] ?? 10);

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once PING on `port` is answered with PONG, retrying refused connections at once. */
function firstPong(port, child) {
  return new Promise((resolve, reject) => {
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`server exited (${code}) before answering`));
    });
    const attempt = () => {
      if (exited) return;
      const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
      socket.once('data', (d) => {
        socket.destroy();
        if (d.toString() === '+PONG\r\n') resolve();
        else reject(new Error(`unexpected reply ${JSON.stringify(d.toString())}`));
      });
      socket.once('error', () => {
        socket.destroy();
        setImmediate(attempt);
      });
    };
    attempt();
  });
}

async function once(command, args) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(command, [...args, '--port', String(port), '--save', ''], { cwd: root, stdio: 'ignore' });
  try {
    await firstPong(port, child);
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const subjects = [
  ['ferrokv (node bin/ferrokv.js)', process.execPath, [join(root, 'bin', 'ferrokv.js')]],
  ['ferrokv (npx ferrokv)', 'npx', ['--no-install', 'ferrokv']],
  ['redis-server', 'redis-server', []],
];

console.log(`Spawn to first PONG, median of ${runs} runs (ms):`);
for (const [name, command, args] of subjects) {
  await once(command, args); // warm the page cache
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once(command, args));
  console.log(`  ${name.padEnd(32)} ${median(times).toFixed(1).padStart(7)}   (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
}
