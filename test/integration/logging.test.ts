/**
 * Logs in Redis's format: `pid:M dd Mon yyyy hh:mm:ss.mmm <mark> message`,
 * `loglevel` filtering (also after CONFIG SET), `logfile` appended to, the
 * startup lines Redis prints, and Redis's refusal of a log file it cannot open.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FerroServer, loadConfig } from '../../ts/index';
import { checkLogFile, formatLogLine, Logger } from '../../ts/log';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferrokv-logging-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const LINE = /^(\d+):M (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) ([.\-*#]) (.*)$/;

describe('log lines', () => {
  it('are formatted as Redis writes them', () => {
    const when = new Date(2026, 10, 1, 9, 5, 7, 42);
    expect(formatLogLine('notice', 'Server initialized', when, 1234)).toBe('1234:M 01 Nov 2026 09:05:07.042 * Server initialized');
    expect(formatLogLine('warning', 'w', when, 1)).toBe('1:M 01 Nov 2026 09:05:07.042 # w');
    expect(formatLogLine('verbose', 'v', when, 1)).toBe('1:M 01 Nov 2026 09:05:07.042 - v');
    expect(formatLogLine('debug', 'd', when, 1)).toBe('1:M 01 Nov 2026 09:05:07.042 . d');
    // Redis's message buffer holds 1023 bytes.
    const long = formatLogLine('notice', 'x'.repeat(5000), when, 1);
    expect(long.length).toBe('1:M 01 Nov 2026 09:05:07.042 * '.length + 1023);
  });

  it('are filtered by loglevel and appended to the logfile', () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, 'kept\n');
    const logger = new Logger('notice', file);
    logger.debug('d1');
    logger.verbose('v1');
    logger.notice('n1');
    logger.warning('w1');
    logger.level = 'debug';
    logger.debug('d2');
    logger.level = 'nothing';
    logger.warning('w2');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('kept');
    expect(lines.slice(1).map((l) => LINE.exec(l)?.slice(9, 11))).toEqual([
      ['*', 'n1'],
      ['#', 'w1'],
      ['.', 'd2'],
    ]);
    expect(Number(LINE.exec(lines[1])?.[1])).toBe(process.pid);
  });

  it('a log file that cannot be opened is refused with Redis’s reason', () => {
    expect(() => checkLogFile(join(dir, 'missing', 'x.log'))).toThrow("Can't open the log file: No such file or directory");
    expect(() => checkLogFile(dir)).toThrow("Can't open the log file: Is a directory");
    expect(() => checkLogFile('')).not.toThrow();
    // A line that cannot be written is dropped, the server goes on.
    expect(() => new Logger('notice', dir).notice('lost')).not.toThrow();
  });
});

describe('a running server', () => {
  it('logs Redis’s startup lines and follows CONFIG SET loglevel', async () => {
    const file = join(dir, 'server.log');
    const config = loadConfig({
      directives: [
        { name: 'port', args: ['0'] },
        { name: 'bind', args: ['127.0.0.1'] },
        { name: 'save', args: [''] },
        { name: 'dir', args: [dir] },
      ],
    });
    const logger = new Logger('notice', file);
    const server = new FerroServer({ config, logger });
    await server.listen();
    const r = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
    try {
      await r.connect();
      const messages = () => readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => LINE.exec(l)?.[10]);
      const startup = messages();
      expect(startup).toContain(`Running mode=standalone, port=${server.port}.`);
      const initialized = startup.indexOf('Server initialized');
      const ready = startup.indexOf('Ready to accept connections tcp');
      expect(initialized).toBeGreaterThanOrEqual(0);
      expect(ready).toBeGreaterThan(initialized);
      // SAVE's line (notice level) is written on the next tick.
      await r.save();
      await vi.waitFor(() => expect(messages()).toContain('DB saved on disk'), { timeout: 5000 });
      // CONFIG SET loglevel reaches the server's logger (filtering is checked above).
      expect(await r.config('SET', 'loglevel', 'warning')).toBe('OK');
      expect(logger.level).toBe('warning');
      await expect(r.config('SET', 'logfile', join(dir, 'other.log'))).rejects.toThrow(
        "ERR CONFIG SET failed (possibly related to argument 'logfile') - can't set immutable config",
      );
    } finally {
      r.disconnect();
      await server.close();
    }
  });
});
