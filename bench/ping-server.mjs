#!/usr/bin/env node
// The socket layer alone: a node:net server that answers PING and nothing
// else, set up like ferrokv's connections (no Nagle, pause on backpressure),
// so `redis-benchmark -t ping_mbulk` against it prices what Node costs per
// read and write before any parsing or command work.
// Usage: node bench/ping-server.mjs [port]   (prints `port=N pid=N`)
import { createServer } from 'node:net';

const NEEDLE = Buffer.from('PING\r\n'); // ends both `PING\r\n` and `*1\r\n$4\r\nPING\r\n`
const PONGS = []; // PONGS[n]: n replies, built once
const pongs = (n) => (PONGS[n] ??= Buffer.from('+PONG\r\n'.repeat(n)));
const ERR = Buffer.from('-ERR only PING here\r\n');

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let tail = Buffer.alloc(0); // a PING split across two reads
  socket.on('data', (chunk) => {
    const data = tail.length ? Buffer.concat([tail, chunk]) : chunk;
    let n = 0;
    let at = 0;
    for (let i; (i = data.indexOf(NEEDLE, at)) >= 0; at = i + NEEDLE.length) n++;
    tail = data.subarray(Math.max(at, data.length - NEEDLE.length + 1));
    // redis-benchmark's CONFIG GET at startup gets an error (it carries on without it).
    const reply = n > 0 ? pongs(n) : data.includes('CONFIG') ? ERR : null;
    if (reply && !socket.write(reply)) socket.pause();
  });
  socket.on('drain', () => socket.resume());
  socket.on('error', () => socket.destroy());
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`port=${server.address().port} pid=${process.pid}\n`);
});
process.on('SIGTERM', () => process.exit(0));
