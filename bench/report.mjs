// Turning results into tables (Markdown, the same for the terminal and the
// README) and rewriting the README's Performance section between its markers.
import { readFileSync, writeFileSync } from 'node:fs';

export const GOALS = {
  opsRatio: 0.9, // ferrokv ops/s ÷ Redis ops/s, at every pipeline depth
  cpuRatio: (pipeline) => (pipeline >= 16 ? 1.1 : 1.25), // ferrokv CPU/op ÷ Redis CPU/op
  memRatio: 1.0, // ferrokv bytes/key ÷ Redis bytes/key
};

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const int = (x) => Math.round(x).toLocaleString('en-US');
const fix = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const pct = (x) => `${Math.round(x * 100)}%`;
const flag = (ok) => (ok ? '✓' : '✗');
/** A Markdown table; the first `left` columns are labels, the rest numbers (right-aligned). */
const table = (head, rows, left = 2) =>
  [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i < left ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** One row per test × pipeline: medians of the alternating rounds. */
export function throughputTable(results) {
  const rows = results.map((r) => {
    const cpuGoal = GOALS.cpuRatio(r.pipeline);
    return [
      r.test.toUpperCase(), r.pipeline,
      int(r.ferrokv.rps), int(r.redis.rps), `${fix(r.opsRatio)} ${flag(r.opsRatio >= GOALS.opsRatio)}`,
      fix(r.ferrokv.cpuUsPerOp), fix(r.redis.cpuUsPerOp), `${fix(r.cpuRatio)} ${flag(r.cpuRatio <= cpuGoal)}`,
      `${pct(r.ferrokv.utilization)} / ${pct(r.redis.utilization)}`,
      `${pct(r.ferrokv.clientUtilization)} / ${pct(r.redis.clientUtilization)}`,
    ];
  });
  return table(['test', 'P', 'ferrokv ops/s', 'Redis ops/s', 'ratio', 'ferrokv CPU µs/op', 'Redis CPU µs/op', 'CPU ratio', 'server CPU busy (f / R)', 'client CPU busy (f / R)'], rows);
}

/** PING only: the socket layer (node:net, no parsing) against ferrokv's PING and Redis's. */
export function baselineTable(baseline) {
  const rows = [];
  for (const b of baseline) {
    for (const name of ['node-ping', 'ferrokv', 'redis']) {
      const s = b[name];
      rows.push([name === 'node-ping' ? 'node:net PING-only' : name === 'ferrokv' ? 'ferrokv' : 'Redis', b.pipeline,
        int(s.rps), fix(s.rps / b.redis.rps), fix(s.cpuUsPerOp), fix(s.cpuUsPerOp / b.redis.cpuUsPerOp), pct(s.utilization), pct(s.clientUtilization)]);
    }
  }
  return table(['PING_MBULK server', 'P', 'ops/s', 'vs Redis', 'CPU µs/op', 'vs Redis', 'server CPU busy', 'client CPU busy'], rows);
}

export function memoryTable(mem) {
  const f = mem.ferrokv;
  const r = mem.redis;
  const row = (label, key) => {
    const ratio = f[key] / r[key];
    return [label, fix(f[key], 1), fix(r[key], 1), `${fix(ratio)} ${flag(ratio <= GOALS.memRatio)}`];
  };
  return table([`bytes per key (DEBUG POPULATE ${mem.keys.toLocaleString('en-US')})`, 'ferrokv', 'Redis', 'ratio'],
    [row('INFO used_memory', 'usedPerKey'), row('process RSS (VmRSS)', 'rssPerKey')], 1);
}

const saturated = (report) =>
  [...report.results, ...report.baseline].some((c) => Object.keys(c.samples).some((name) => c[name].utilization >= 0.9));

export function markdown(report) {
  const { meta } = report;
  const parts = [
    `Measured ${meta.date} on ${meta.machine.nproc} × ${meta.machine.cpu} (${meta.machine.kernel}); ` +
      `ferrokv ${meta.versions.ferrokv} (${meta.versions.commit}) on Node ${meta.versions.node}, ` +
      `Redis ${meta.versions.redis}, redis-benchmark ${meta.versions.redisBenchmark}.`,
    `Command: \`${meta.command}\` — each server pinned to CPU 0, redis-benchmark to CPU 1; ` +
      `\`-c ${meta.clients} -r 100000\`, ${meta.rounds} alternating round(s) per cell (ferrokv, Redis, ferrokv, …), medians shown. ` +
      `CPU µs/op is the server process's own utime+stime (/proc/<pid>/stat) over the run ÷ requests. ` +
      `"CPU busy" is CPU time ÷ wall time of the server and of redis-benchmark; ` +
      (meta.backgroundCores ? `other processes on the machine used a median ${fix(meta.backgroundCores.median)} cores during the runs (max ${fix(meta.backgroundCores.max)}). ` : '') +
      (saturated(report) ? '' : 'No server was saturated (CPU busy < 90%), so ops/s follow the load generator and the round trip; CPU µs/op is the figure that compares the servers. ') +
      `Goals: ops/s ratio ≥ ${GOALS.opsRatio}; CPU ratio ≤ ${GOALS.cpuRatio(1)} at P1 and ≤ ${GOALS.cpuRatio(16)} at P16; memory ratio ≤ ${GOALS.memRatio}.`,
  ];
  if (report.results.length) parts.push(throughputTable(report.results));
  if (report.acl?.length) {
    parts.push(`With ACLs: the same user (\`on >… ~* &* +@all\`) on both servers, every redis-benchmark connection logged in as \`${report.acl[0].user}\` (\`--user\`/\`-a\`).`);
    parts.push(throughputTable(report.acl));
  }
  if (report.memory) parts.push(memoryTable(report.memory));
  if (report.baseline.length) {
    parts.push('Socket layer alone: a PING-only `node:net` server (`bench/ping-server.mjs`, no RESP parsing, no native call) ' +
      'against ferrokv and Redis answering the same `-t ping_mbulk`.');
    parts.push(baselineTable(report.baseline));
  }
  return parts.join('\n\n');
}

export const START = '<!-- bench:start (written by `npm run bench -- --readme`; do not edit) -->';
export const END = '<!-- bench:end -->';

/** Replaces the section between the markers (adds it under "## Performance" before "## Commands" if missing). */
export function rewriteReadme(path, body) {
  let readme = readFileSync(path, 'utf8');
  let from = readme.indexOf('<!-- bench:start');
  let to = readme.indexOf(END);
  if (from < 0 || to < from) {
    const section = '## Performance\n\n`npm run bench` drives ferrokv and a real `redis-server` with `redis-benchmark` in one run ' +
      '(options at the top of `bench/run.mjs`; `--quick` for a short one). The last recorded run:\n\n' + `${START}\n${END}\n\n`;
    const at = readme.indexOf('## Commands');
    readme = at < 0 ? `${readme.trimEnd()}\n\n${section}` : readme.slice(0, at) + section + readme.slice(at);
    from = readme.indexOf('<!-- bench:start');
    to = readme.indexOf(END);
  }
  writeFileSync(path, `${readme.slice(0, from)}${START}\n${body.trim()}\n${readme.slice(to)}`);
}

/** Replaces the README text between `<!-- name:start … -->` and `<!-- name:end -->` (both must exist). */
export function replaceReadmeSection(path, name, body) {
  const readme = readFileSync(path, 'utf8');
  const from = readme.indexOf(`<!-- ${name}:start`);
  const to = readme.indexOf(`<!-- ${name}:end -->`);
  if (from < 0 || to < from) throw new Error(`README.md has no ${name} markers`);
  const startLine = readme.slice(from, readme.indexOf('\n', from));
  writeFileSync(path, `${readme.slice(0, from)}${startLine}\n${body.trim()}\n${readme.slice(to)}`);
}
