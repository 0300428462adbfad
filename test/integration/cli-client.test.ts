/**
 * `ferrokv cli` against the real redis-cli. Formatting is compared byte for
 * byte on canned replies (a tiny server answers each command with RESP the
 * test chose, so every RESP2/RESP3 type and nesting is covered) in both of
 * redis-cli's modes: TTY (`--no-raw`) and raw (stdout is a pipe). Then the
 * client's own behaviour against a ferrokv server: one-shot, stdin, -n, -a,
 * -e, connection errors, and the interactive prompt on a pseudo-terminal.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CommandNames } from '../../ts/client/completion';
import { RespReader } from '../../ts/client/resp-reader';
import { type RunningServer, startServer } from '../../ts/index';
import { ROOT, tempDir } from '../support/servers';

const BIN = join(ROOT, 'bin', 'ferrokv.js');

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a program to completion without blocking this process's event loop (the servers live here). */
function run(file: string, args: string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { encoding: 'latin1', timeout: 15_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    // A program that exits before reading (connection refused) closes its
    // stdin: the EPIPE is its answer, not the test's failure.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input, 'latin1');
  });
}

const ferroCli = (args: string[], input?: string, env?: NodeJS.ProcessEnv) => run(process.execPath, [BIN, 'cli', ...args], input, env);
const redisCli = (args: string[], input?: string) => run('redis-cli', args, input);

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const verbatim = (s: string) => `=${s.length}\r\n${s}\r\n`;

// Replies every shape redis-cli knows how to print, keyed by the command that asks for it.
const CANNED: Record<string, string> = {
  status: '+OK\r\n',
  error: '-ERR something went wrong\r\n',
  integer: ':-42\r\n',
  bulk: bulk('hello'),
  'bulk-escapes': bulk('a"b\\c\nd\re\tf\x07\x08'),
  'bulk-binary': bulk('\x00\x01\xff\x7f'),
  'bulk-empty': bulk(''),
  'bulk-utf8': bulk('\xc3\xa9t\xc3\xa9'),
  nil: '$-1\r\n',
  'nil-array': '*-1\r\n',
  'resp3-null': '_\r\n',
  'empty-array': '*0\r\n',
  array: '*3\r\n$1\r\na\r\n:2\r\n$-1\r\n',
  'array-11': `*11\r\n${Array.from({ length: 11 }, (_, i) => `:${i}\r\n`).join('')}`,
  nested: '*2\r\n*2\r\n$1\r\na\r\n*1\r\n$1\r\nb\r\n*0\r\n',
  'nested-wide': `*2\r\n*10\r\n${':1\r\n'.repeat(10)}*1\r\n+x\r\n`,
  double: ',3.14\r\n',
  'double-inf': ',inf\r\n',
  'bool-true': '#t\r\n',
  'bool-false': '#f\r\n',
  verbatim: verbatim('txt:Some string'),
  'verbatim-lines': verbatim('txt:two\nlines'),
  set: '~3\r\n$1\r\na\r\n$1\r\nb\r\n:3\r\n',
  'empty-set': '~0\r\n',
  map: '%2\r\n$3\r\nkey\r\n$5\r\nvalue\r\n$5\r\nother\r\n:7\r\n',
  'empty-map': '%0\r\n',
  'map-nested': '%2\r\n$1\r\na\r\n*2\r\n:1\r\n:2\r\n$1\r\nb\r\n%1\r\n$1\r\nc\r\n*1\r\n$1\r\nd\r\n',
  'map-of-maps': '%1\r\n$5\r\nouter\r\n%2\r\n$1\r\nx\r\n~2\r\n:1\r\n:2\r\n$1\r\ny\r\n%0\r\n',
  'array-of-maps': '*2\r\n%1\r\n$1\r\nk\r\n$1\r\nv\r\n%0\r\n',
};

/** A server that answers command NAME with CANNED[NAME] (and errors for anything else). */
async function cannedServer(): Promise<[Server, number]> {
  const server = createServer((socket) => {
    const reader = new RespReader();
    socket.on('data', (chunk) => {
      reader.push(chunk);
      for (let r = reader.next(); r; r = reader.next()) {
        const name = 'items' in r && r.items[0] && 'text' in r.items[0] ? r.items[0].text.toLowerCase() : '';
        socket.write(Buffer.from(CANNED[name] ?? `-ERR unknown command '${name}'\r\n`, 'latin1'));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return [server, typeof addr === 'object' && addr ? addr.port : 0];
}

describe('replies printed as redis-cli prints them', () => {
  let canned: Server;
  let port: number;
  const names = Object.keys(CANNED);

  beforeAll(async () => {
    [canned, port] = await cannedServer();
  });
  afterAll(() => new Promise<void>((resolve) => canned.close(() => resolve())));

  it.each([
    ['TTY mode (--no-raw)', ['--no-raw']],
    ['raw mode (stdout is a pipe)', []],
    ['raw mode (--raw)', ['--raw']],
  ])('%s: every reply type, one-shot', async (_, mode) => {
    const runs = await Promise.all(names.map((name) => Promise.all([ferroCli(['-p', String(port), ...mode, name]), redisCli(['-p', String(port), ...mode, name])])));
    for (const [i, [ours, theirs]] of runs.entries()) {
      expect({ name: names[i], out: ours.stdout, code: ours.code }).toEqual({ name: names[i], out: theirs.stdout, code: theirs.code });
    }
  });

  it.each([
    ['TTY mode', ['--no-raw']],
    ['raw mode', []],
  ])('%s: every reply type, commands read from stdin', async (_, mode) => {
    const input = `${names.join('\n')}\n\nbulk "unbalanced\n3 integer\n`;
    const [ours, theirs] = await Promise.all([ferroCli(['-p', String(port), ...mode], input), redisCli(['-p', String(port), ...mode], input)]);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.code).toBe(theirs.code);
  });
});

describe('against a ferrokv server', () => {
  let server: RunningServer;
  let secured: RunningServer;
  const p = () => ['-p', String(server.port)];

  beforeAll(async () => {
    server = await startServer();
    secured = await startServer({ config: { requirepass: 'sekret' } });
  });
  afterAll(async () => {
    await server.close();
    await secured.close();
  });

  it('one-shot: SET k v prints OK; a quoted GET on --no-raw; plain values on a pipe', async () => {
    expect((await ferroCli([...p(), 'SET', 'k', 'v'])).stdout).toBe('OK\n');
    expect((await ferroCli([...p(), '--no-raw', 'GET', 'k'])).stdout).toBe('"v"\n');
    expect((await ferroCli([...p(), 'GET', 'k'])).stdout).toBe('v\n');
    expect((await ferroCli([...p(), '--no-raw', 'INCR', 'n'])).stdout).toBe('(integer) 1\n');
    expect((await ferroCli([...p(), '--no-raw', 'GET', 'missing'])).stdout).toBe('(nil)\n');
  });

  it('arguments that look like options after the command are the command’s', async () => {
    expect((await ferroCli([...p(), 'SET', 'neg', '-1'])).stdout).toBe('OK\n');
    expect((await ferroCli([...p(), 'GET', 'neg'])).stdout).toBe('-1\n');
  });

  it('prints what redis-cli prints for the same commands on the same server', async () => {
    for (const cmd of [
      ['MSET', 'a', '1', 'b', '2'],
      ['MGET', 'a', 'nope', 'b'],
      ['COMMAND', 'INFO', 'get', 'set'],
      ['NOSUCH', 'x'],
      ['CONFIG', 'GET', 'maxmemory*'],
      ['KEYS', 'a'],
    ]) {
      for (const mode of [['--no-raw'], []]) {
        const [ours, theirs] = await Promise.all([ferroCli([...p(), ...mode, ...cmd]), redisCli([...p(), ...mode, ...cmd])]);
        expect({ cmd, out: ours.stdout }).toEqual({ cmd, out: theirs.stdout });
      }
    }
  });

  it('RESP3 with -3: maps as redis-cli 7 prints them', async () => {
    await ferroCli([...p(), 'SET', 'f', '1.5']);
    for (const cmd of [['CONFIG', 'GET', 'maxmemory*'], ['GET', 'f'], ['HELLO', '3']]) {
      const [ours, theirs] = await Promise.all([ferroCli([...p(), '-3', '--no-raw', ...cmd]), redisCli([...p(), '-3', '--no-raw', ...cmd])]);
      if (cmd[0] === 'HELLO') {
        // The reply names the server; only the shape is comparable.
        expect(ours.stdout).toMatch(/^1# "server" => "\w+"\n2# "version" => /);
      } else {
        expect({ cmd, out: ours.stdout }).toEqual({ cmd, out: theirs.stdout });
      }
    }
  });

  it('-n selects the database; INFO prints raw even with --no-raw', async () => {
    await ferroCli([...p(), '-n', '5', 'SET', 'in5', 'x']);
    expect((await ferroCli([...p(), 'EXISTS', 'in5'])).stdout).toBe('0\n');
    expect((await ferroCli([...p(), '-n', '5', 'GET', 'in5'])).stdout).toBe('x\n');
    const info = await ferroCli([...p(), '--no-raw', 'INFO', 'server']);
    expect(info.stdout.startsWith('# Server\r\n')).toBe(true);
  });

  it('-a authenticates (with redis-cli’s warning); without it commands get NOAUTH', async () => {
    const port = String(secured.port);
    const ok = await ferroCli(['-p', port, '-a', 'sekret', 'PING']);
    expect(ok.stdout).toBe('PONG\n');
    expect(ok.stderr).toBe("Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n");
    const theirs = await redisCli(['-p', port, 'PING']);
    expect((await ferroCli(['-p', port, 'PING'])).stdout).toBe(theirs.stdout);
    expect((await ferroCli(['-u', `redis://:sekret@127.0.0.1:${port}/2`, 'PING'])).stdout).toBe('PONG\n');
  });

  it('-e: an error reply goes to stderr and the exit status is 1', async () => {
    const r = await ferroCli([...p(), '-e', 'INCR', 'k']);
    expect(r).toEqual({ stdout: '', stderr: 'ERR value is not an integer or out of range\n', code: 1 });
    expect((await ferroCli([...p(), 'INCR', 'k'])).code).toBe(0);
  });

  it('reads commands from stdin, one per line, quotes and repeat counts included', async () => {
    const r = await ferroCli(p(), 'SET "two words" "a\\x41\\n"\nGET "two words"\n3 INCR counter\nDEL counter\n');
    expect(r.stdout).toBe('OK\naA\n\n1\n2\n3\n1\n');
  });

  it('help <command> and help @<group> come from the server’s COMMAND DOCS, laid out as redis-cli’s', async () => {
    const r = await ferroCli(p(), 'help get\nhelp config get\nhelp @nosuchgroup\nhelp nosuch\n');
    const bold = (s: string) => `\x1b[1m${s}\x1b[0m \x1b[90m\x1b[0m`;
    const label = (s: string) => `\x1b[33m${s}:\x1b[0m`;
    expect(r.stdout).toBe(
      `\r\n  ${bold('GET')}\r\n  ${label('summary')} Returns the string value of a key.\r\n  ${label('since')} 1.0.0\r\n  ${label('group')} string\r\n\r\n` +
        `\r\n  ${bold('CONFIG GET')}\r\n  ${label('summary')} Returns the effective values of configuration parameters.\r\n  ${label('since')} 2.0.0\r\n  ${label('group')} server\r\n\r\n`,
    );
    const group = await ferroCli(p(), 'help @connection\n');
    expect(group.stdout).toContain(bold('PING'));
    expect(group.stdout).not.toContain(bold('GET'));
  });

  it('SHUTDOWN exits 0 as redis-cli does, though no reply comes', async () => {
    const doomed = await startServer();
    const r = await ferroCli(['-p', String(doomed.port), 'SHUTDOWN']);
    expect(r).toEqual({ stdout: '', stderr: '', code: 0 });
    await doomed.close();
  });

  it('connection refused: redis-cli’s message and exit status', async () => {
    const dead = await startServer();
    const port = String(dead.port);
    await dead.close();
    const [ours, theirs] = await Promise.all([ferroCli(['-p', port, 'PING']), redisCli(['-p', port, 'PING'])]);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.code).toBe(theirs.code);
    expect(ours.code).toBe(1);
  });

  it('--tls: verifies with --cacert, or skips checks with --insecure (a TLS redis-server as the peer)', async () => {
    const dir = tempDir('ferrokv-tls-');
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost']);
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const a = probe.address();
          probe.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
        });
      });
      const tlsRedis = execFile('redis-server', ['--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-auth-clients', 'no', '--save', '', '--dir', dir]);
      try {
        const p = ['-p', String(port), '--tls'];
        let ping: Run = { stdout: '', stderr: '', code: 1 };
        for (let i = 0; i < 50 && ping.stdout !== 'PONG\n'; i++) ping = await ferroCli([...p, '--cacert', cert, '--sni', 'localhost', 'PING']);
        expect(ping.stdout).toBe('PONG\n');
        expect((await ferroCli([...p, '--insecure', 'SET', 'k', 'v'])).stdout).toBe('OK\n');
        const refused = await ferroCli([...p, 'PING']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toBe(`Could not connect to Redis at 127.0.0.1:${port}: self-signed certificate\n`);
      } finally {
        tlsRedis.kill();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('completion comes from the server’s COMMAND table, subcommands included', async () => {
    const reader = new RespReader();
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const socket = connect(server.port, '127.0.0.1', () => socket.write('*1\r\n$7\r\nCOMMAND\r\n'));
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        reader.push(c);
        const r = reader.next();
        if (r) {
          socket.end();
          resolve(Buffer.concat(chunks));
        }
      });
    });
    const again = new RespReader();
    again.push(raw);
    const names = CommandNames.fromCommandReply(again.next());
    expect(names.complete('se')).toEqual([['select', 'set', 'setbit', 'setex', 'setnx', 'setrange'], 'se']);
    expect(names.complete('CONFIG RE')).toEqual([['RESETSTAT', 'REWRITE'], 'RE']);
    expect(names.complete('config g')).toEqual([['get'], 'g']);
    expect(names.complete('GET k ')).toEqual([[], 'GET k ']);
  });

  it('interactive prompt on a terminal: prompt with the db, replies, history file, tab completion', async () => {
    const has = spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status === 0;
    expect(has).toBe(true); // util-linux `script` gives the client a pseudo-terminal
    const dir = tempDir('ferrokv-cli-');
    const hist = join(dir, 'history');
    try {
      // `script` runs the client on a pty; our stdin is typed into it. The sleeps let each reply come back.
      // Each entry is typed after a pause. The tab goes alone: readline takes a tab that arrives
      // with other keys as pasted text, not as a request to complete.
      const typed = ['SET greet hi\\r', 'SELECT 1\\r', 'AUTH nobody nothing\\r', 'CONFIG G', '\\t', ' port\\r', 'quit\\r'];
      const command = `node ${BIN} cli -p ${server.port} --no-raw`;
      const input = typed.map((keys) => `sleep 0.4; printf '${keys}';`).join(' ');
      const r = await run('sh', ['-c', `(sleep 0.6; ${input} sleep 0.4) | script -qfec "${command}" /dev/null`], '', { FERROKV_CLI_HISTFILE: hist, TERM: 'xterm' });
      // readline's cursor movements are not what the test reads.
      const screen = r.stdout.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g'), '');
      expect(screen).toContain(`127.0.0.1:${server.port}> `);
      expect(screen).toContain('OK');
      expect(screen).toContain(`127.0.0.1:${server.port}[1]> `);
      expect(screen).toContain('(error) WRONGPASS');
      // Tab completed CONFIG G to CONFIG GET.
      expect(screen).toMatch(/CONFIG GET port\r*\n1\) "port"\r*\n2\) "0"/);
      expect(existsSync(hist)).toBe(true);
      expect(readFileSync(hist, 'utf8')).toBe('SET greet hi\nSELECT 1\nCONFIG GET port\nquit\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
