#!/usr/bin/env node
// `node bench/pubsub.mjs` (or `npm run bench -- --pubsub`): PUBLISH
// throughput, ferrokv beside a real redis-server. A publisher pipelines
// PUBLISH commands; subscriber connections in this process read every
// message. A case's rate is publishes per second until every subscriber has
// received every message (deliveries = publishes × subscribers).
//   1 subscriber on one channel, 100 subscribers on one channel,
//   1,000 pattern subscribers (PSUBSCRIBE) matching the channel.
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { resp } from './load.mjs';
import { killAllSync, startFerrokv, startRedis, stop } from './servers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const log = (msg) => process.stderr.write(`[pubsub] ${msg}\n`);

const CHANNEL = 'bench:channel';
const PAYLOAD = 'x'.repeat(32);

export const CASES = [
  { name: '1 subscriber', subscribers: 1, pattern: false, messages: 200_000 },
  { name: '100 subscribers', subscribers: 100, pattern: false, messages: 20_000 },
  { name: '1,000 pattern subscribers', subscribers: 1000, pattern: true, messages: 2_000 },
];

/** A connection that counts the bytes it receives. */
function open(port) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => resolve(conn));
    const conn = { socket, received: 0, waiters: [] };
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      conn.received += chunk.length;
      for (const w of conn.waiters.splice(0)) w();
    });
    socket.on('error', reject);
  });
}

/** Resolves once `conn` has received at least `bytes`. */
async function until(conn, bytes) {
  while (conn.received < bytes) await new Promise((r) => conn.waiters.push(r));
}

async function runCase(server, c) {
  const subs = [];
  for (let i = 0; i < c.subscribers; i++) subs.push(await open(server.port));
  const word = c.pattern ? 'psubscribe' : 'subscribe';
  const target = c.pattern ? 'bench:*' : CHANNEL;
  const confirmBytes = `*3\r\n$${word.length}\r\n${word}\r\n$${target.length}\r\n${target}\r\n:1\r\n`.length;
  for (const s of subs) s.socket.write(resp([c.pattern ? 'PSUBSCRIBE' : 'SUBSCRIBE', target]));
  await Promise.all(subs.map((s) => until(s, confirmBytes)));
  const frame = c.pattern
    ? `*4\r\n$8\r\npmessage\r\n$${target.length}\r\n${target}\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${PAYLOAD.length}\r\n${PAYLOAD}\r\n`
    : `*3\r\n$7\r\nmessage\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${PAYLOAD.length}\r\n${PAYLOAD}\r\n`;
  const pub = await open(server.port);
  const command = resp(['PUBLISH', CHANNEL, PAYLOAD]);
  const reply = `:${c.subscribers}\r\n`;
  const BATCH = 64;
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < c.messages; sent += BATCH) {
    const n = Math.min(BATCH, c.messages - sent);
    pub.socket.write(command.repeat(n));
    // Keep at most one batch in flight, as a pipelining client would.
    await until(pub, (sent + n) * reply.length);
  }
  await Promise.all(subs.map((s) => until(s, confirmBytes + c.messages * frame.length)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const s of [...subs, pub]) s.socket.destroy();
  return { publishesPerSecond: c.messages / seconds, deliveriesPerSecond: (c.messages * c.subscribers) / seconds };
}

export async function pubsubBench() {
  const results = [];
  for (const c of CASES) {
    const row = { name: c.name };
    for (const start of [() => startFerrokv(root), () => startRedis()]) {
      const server = await start();
      try {
        await runCase(server, { ...c, messages: Math.max(100, Math.round(c.messages / 10)) });
        row[server.name] = await runCase(server, c);
        log(`${c.name}, ${server.name}: ${Math.round(row[server.name].publishesPerSecond)} publishes/s, ${Math.round(row[server.name].deliveriesPerSecond)} deliveries/s`);
      } finally {
        await stop(server);
      }
    }
    results.push(row);
  }
  return results;
}

/** The results as a markdown table. */
export function pubsubMarkdown(results) {
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const lines = ['| PUBLISH | ferrokv publishes/s | Redis publishes/s | ferrokv deliveries/s | Redis deliveries/s |', '|---|---:|---:|---:|---:|'];
  for (const r of results) {
    lines.push(`| ${r.name} | ${fmt(r.ferrokv.publishesPerSecond)} | ${fmt(r.redis.publishesPerSecond)} | ${fmt(r.ferrokv.deliveriesPerSecond)} | ${fmt(r.redis.deliveriesPerSecond)} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('exit', killAllSync);
  pubsubBench()
    .then((results) => console.log(pubsubMarkdown(results)))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
