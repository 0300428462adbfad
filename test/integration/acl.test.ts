/**
 * ACLs as a client sees them: users through ioredis, NOPERM, ACL LOG,
 * requirepass, DELUSER closing connections, the aclfile and `user` lines,
 * and protected mode. Where Redis 7.2 differs from the 7.0 oracle of the
 * differential suite (rule descriptions, NOPERM and DRYRUN texts, LOG's
 * fields), replies are checked against a transcript recorded from Redis
 * 7.2.4 (fixtures/acl-redis-7.2.4.json) or against 7.2's literal texts.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { FerroServer, loadConfig, type RunningServer } from '../../ts/index';
import { AclStartupError, MIXED_ACL_SOURCES } from '../../ts/acl/store';
import { Logger } from '../../ts/log';
import { DENIED_MESSAGE, protectedModeRefuses } from '../../ts/server/protected-mode';
import { RawClient } from '../support/raw';
import { elements } from '../support/resp';
import { startFerro, startFerroWithConfigFile, tempDir } from '../support/servers';

interface Recorded {
  resp: 2 | 3;
  command: string[];
  reply: string;
}

const text = (b: Buffer) => b.toString('latin1');

let server: RunningServer;
const clients: (Redis | RawClient)[] = [];
const raw = async () => {
  const c = await RawClient.connect({ port: server.port });
  clients.push(c);
  return c;
};
const ioredis = (options: { username?: string; password?: string } = {}) => {
  // No ready check: it runs INFO, which a restricted user may not have.
  const c = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, ...options });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startFerro();
});
afterAll(async () => {
  await server?.close();
});
afterEach(async () => {
  for (const c of clients.splice(0)) {
    if (c instanceof RawClient) c.close();
    else c.disconnect();
  }
  const admin = await RawClient.connect({ port: server.port });
  const users = elements(await admin.call('ACL', 'USERS')).items.map((b) => text(b).split('\r\n')[1]);
  const others = users.filter((u) => u !== 'default');
  if (others.length > 0) await admin.call('ACL', 'DELUSER', ...others);
  await admin.call('ACL', 'LOG', 'RESET');
  admin.close();
});

describe('rule descriptions, DRYRUN and GETUSER as Redis 7.2 replies', () => {
  it('replays the recorded 7.2.4 transcript byte for byte', async () => {
    const recorded = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'acl-redis-7.2.4.json'), 'utf8')) as Recorded[];
    expect(recorded.length).toBeGreaterThan(30);
    const c = await raw();
    let resp = 2;
    for (const step of recorded) {
      if (step.resp !== resp) {
        await c.call('HELLO', String(step.resp));
        resp = step.resp;
      }
      expect({ command: step.command.join(' '), reply: text(await c.call(...step.command)) }).toEqual({
        command: step.command.join(' '),
        reply: step.reply,
      });
    }
  });
});

describe('a restricted user through ioredis', () => {
  it('connects with username and password and gets NOPERM with 7.2 texts', async () => {
    const admin = ioredis();
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>s3cret', '~app:*', '%R~shared:*', '+@read', '+@write', '-flushall', '+acl|whoami', '&jobs');
    await admin.set('shared:k', 'v');
    const app = ioredis({ username: 'app', password: 's3cret' });
    expect(await app.set('app:1', 'x')).toBe('OK');
    expect(await app.get('app:1')).toBe('x');
    expect(await app.get('shared:k')).toBe('v');
    expect(await app.call('ACL', 'WHOAMI')).toBe('app');
    await expect(app.set('shared:k', 'y')).rejects.toThrow('NOPERM No permissions to access a key');
    await expect(app.get('other')).rejects.toThrow('NOPERM No permissions to access a key');
    await expect(app.flushall()).rejects.toThrow("NOPERM User app has no permissions to run the 'flushall' command");
    await expect(app.call('ACL', 'LIST')).rejects.toThrow("NOPERM User app has no permissions to run the 'acl|list' command");
    // AUTH always works: it is how a connection changes user.
    expect(await app.call('AUTH', 'default', 'anything')).toBe('OK');
    expect(await app.call('ACL', 'WHOAMI')).toBe('default');
  });

  it('refuses a wrong password or a disabled user with WRONGPASS, through AUTH and HELLO', async () => {
    const admin = ioredis();
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>s3cret', '+@all', '~*');
    await admin.call('ACL', 'SETUSER', 'offline', 'off', '>pw', '+@all', '~*');
    const c = await raw();
    const wrongpass = '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
    expect(text(await c.call('AUTH', 'app', 'nope'))).toBe(wrongpass);
    expect(text(await c.call('HELLO', '3', 'AUTH', 'app', 'nope'))).toBe(wrongpass);
    expect(text(await c.call('AUTH', 'offline', 'pw'))).toBe(wrongpass);
    expect(text(await c.call('HELLO', '3', 'AUTH', 'app', 's3cret'))).toMatch(/^%7\r\n/);
    expect(text(await c.call('ACL', 'WHOAMI'))).toBe('$3\r\napp\r\n');
  });

  it('hashes passwords from their bytes, even when they are not UTF-8', async () => {
    const c = await raw();
    const password = Buffer.from([0x70, 0xff, 0xfe, 0x00, 0x41]);
    const add = Buffer.concat([Buffer.from('>'), password]);
    expect(text(await c.call('ACL', 'SETUSER', 'bin', 'on', add, '+@all', '~*'))).toBe('+OK\r\n');
    const digest = createHash('sha256').update(password).digest('hex');
    expect(text(await c.call('ACL', 'GETUSER', 'bin'))).toContain(`$64\r\n${digest}\r\n`);
    expect(text(await c.call('AUTH', 'bin', password))).toBe('+OK\r\n');
    const remove = Buffer.concat([Buffer.from('<'), password]);
    expect(text(await c.call('ACL', 'SETUSER', 'bin', remove))).toBe('+OK\r\n');
    expect(text(await c.call('ACL', 'GETUSER', 'bin'))).toContain('$9\r\npasswords\r\n*0\r\n');
  });

  it('sees changed rules on its next command', async () => {
    const admin = ioredis();
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>pw', '+@all', '~*');
    const app = ioredis({ username: 'app', password: 'pw' });
    expect(await app.get('k')).toBeNull();
    await admin.call('ACL', 'SETUSER', 'app', '-get');
    await expect(app.get('k')).rejects.toThrow("NOPERM User app has no permissions to run the 'get' command");
  });
});

describe('ACL LOG', () => {
  it('logs refusals and failed logins with Redis 7.2 fields, grouping repeats', async () => {
    const admin = await raw();
    await admin.call('ACL', 'SETUSER', 'lim', 'on', '>pw', '+get', '~a*');
    const c = await raw();
    expect(text(await c.call('AUTH', 'lim', 'wrong'))).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(text(await c.call('AUTH', 'lim', 'pw'))).toBe('+OK\r\n');
    expect(text(await c.call('SET', 'a', '1'))).toBe("-NOPERM User lim has no permissions to run the 'set' command\r\n");
    expect(text(await c.call('GET', 'b'))).toBe('-NOPERM No permissions to access a key\r\n');
    expect(text(await c.call('GET', 'b'))).toBe('-NOPERM No permissions to access a key\r\n');
    const log = elements(await admin.call('ACL', 'LOG'));
    expect(log.header).toBe('*3\r\n');
    const fields = (entry: Buffer) => {
      const parts = text(entry).split('\r\n');
      const map: Record<string, string> = {};
      // *20, then key/value pairs each as "$n", text (or ":n" for integers).
      for (let i = 1; i < parts.length - 1; ) {
        const key = parts[i + 1];
        const v = parts[i + 2];
        if (v.startsWith(':')) {
          map[key] = v.slice(1);
          i += 3;
        } else {
          map[key] = parts[i + 3];
          i += 4;
        }
      }
      return map;
    };
    const [key, cmd, auth] = log.items.map(fields);
    expect(Object.keys(key)).toEqual([
      'count',
      'reason',
      'context',
      'object',
      'username',
      'age-seconds',
      'client-info',
      'entry-id',
      'timestamp-created',
      'timestamp-last-updated',
    ]);
    expect([key.count, key.reason, key.context, key.object, key.username]).toEqual(['2', 'key', 'toplevel', 'b', 'lim']);
    expect([cmd.count, cmd.reason, cmd.object, cmd.username]).toEqual(['1', 'command', 'set', 'lim']);
    expect([auth.count, auth.reason, auth.object, auth.username]).toEqual(['1', 'auth', 'AUTH', 'lim']);
    // Entry ids count every entry ever created (ACL LOG RESET keeps counting).
    const id = Number(auth['entry-id']);
    expect([Number(cmd['entry-id']), Number(key['entry-id'])]).toEqual([id + 1, id + 2]);
    expect(key['client-info']).toMatch(/^id=\d+ addr=127\.0\.0\.1:\d+ .* cmd=get user=lim /);
    expect(Number(key['timestamp-last-updated'])).toBeGreaterThanOrEqual(Number(key['timestamp-created']));
    expect(Number(key['age-seconds'])).toBeGreaterThanOrEqual(0);
    expect(elements(await admin.call('ACL', 'LOG', '1')).header).toBe('*1\r\n');
    expect(text(await admin.call('ACL', 'LOG', 'RESET'))).toBe('+OK\r\n');
    expect(text(await admin.call('ACL', 'LOG'))).toBe('*0\r\n');
  });

  it('is a RESP3 map with age-seconds as a double', async () => {
    const c = await raw();
    await c.call('AUTH', 'ghost', 'pw');
    await c.call('HELLO', '3');
    const reply = text(await c.call('ACL', 'LOG'));
    expect(reply).toMatch(/^\*1\r\n%10\r\n\$5\r\ncount\r\n:1\r\n\$6\r\nreason\r\n\$4\r\nauth\r\n/);
    expect(reply).toMatch(/\$11\r\nage-seconds\r\n,[0-9.e-]+\r\n/);
  });
});

describe('requirepass is the default user password', () => {
  it('sets and clears the default user password', async () => {
    const admin = await raw();
    await admin.call('CONFIG', 'SET', 'requirepass', 'topsecret');
    try {
      const list = text(await admin.call('ACL', 'LIST'));
      const hash = createHash('sha256').update('topsecret').digest('hex');
      expect(list).toBe(`*1\r\n$110\r\nuser default on sanitize-payload #${hash} ~* &* +@all\r\n`);
      const c = await raw();
      expect(text(await c.call('GET', 'k'))).toBe('-NOAUTH Authentication required.\r\n');
      expect(text(await c.call('AUTH', 'topsecret'))).toBe('+OK\r\n');
      expect(text(await c.call('ACL', 'WHOAMI'))).toBe('$7\r\ndefault\r\n');
    } finally {
      await admin.call('CONFIG', 'SET', 'requirepass', '');
    }
    expect(text(await admin.call('ACL', 'GETUSER', 'default'))).toContain('nopass');
  });
});

describe('deleting a user', () => {
  it('closes its connections, the caller after its reply', async () => {
    const admin = await raw();
    await admin.call('ACL', 'SETUSER', 'gone', 'on', '>pw', '+@all', '~*');
    const victim = await raw();
    expect(text(await victim.call('AUTH', 'gone', 'pw'))).toBe('+OK\r\n');
    const self = await raw();
    await self.call('AUTH', 'gone', 'pw');
    expect(text(await self.call('ACL', 'DELUSER', 'gone'))).toBe(':1\r\n');
    await victim.closed;
    await self.closed;
    expect(victim.isClosed && self.isClosed).toBe(true);
    expect(text(await admin.call('PING'))).toBe('+PONG\r\n');
  });
});

describe('the aclfile', () => {
  it('loads at startup, saves and reloads, keeping rules when the file is bad', async () => {
    const dir = tempDir();
    const file = join(dir, 'users.acl');
    writeFileSync(file, 'user default on nopass ~* &* +@all\nuser reader on >pw ~r:* +@read\n');
    const conf = join(dir, 'redis.conf');
    writeFileSync(conf, `aclfile ${file}\n`);
    const srv = await startFerroWithConfigFile(conf);
    try {
      const c = await RawClient.connect({ port: srv.port });
      clients.push(c);
      const list = text(await c.call('ACL', 'LIST'));
      expect(list).toContain('user reader on sanitize-payload #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~r:* resetchannels -@all +@read');
      await c.call('ACL', 'SETUSER', 'writer', 'on', '>w', '~w:*', '+@write');
      expect(text(await c.call('ACL', 'SAVE'))).toBe('+OK\r\n');
      const saved = readFileSync(file, 'utf8');
      const listed = elements(await c.call('ACL', 'LIST')).items.map((b) => text(b).split('\r\n')[1]);
      expect(saved).toBe(listed.map((l) => `${l}\n`).join(''));
      // Reload: a user removed from the file disappears, and its clients are closed.
      const reader = await RawClient.connect({ port: srv.port });
      clients.push(reader);
      expect(text(await reader.call('AUTH', 'reader', 'pw'))).toBe('+OK\r\n');
      writeFileSync(file, saved.split('\n').filter((l) => !l.startsWith('user reader')).join('\n'));
      expect(text(await c.call('ACL', 'LOAD'))).toBe('+OK\r\n');
      await reader.closed;
      expect(elements(await c.call('ACL', 'USERS')).items.map((b) => text(b).split('\r\n')[1])).toEqual(['default', 'writer']);
      // A bad file changes nothing and says why, line by line.
      writeFileSync(file, 'user a on +nosuch\nnotuser x\nuser b %Q~x\n');
      expect(text(await c.call('ACL', 'LOAD'))).toBe(
        `-ERR ${file}:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. ${file}:2 should start with user keyword followed by the username. ${file}:3: Syntax error. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n`,
      );
      expect(elements(await c.call('ACL', 'USERS')).items).toHaveLength(2);
    } finally {
      await srv.close();
    }
  });

  it("CONFIG REWRITE writes users in place of the file's user lines, the rest after the marker", async () => {
    const dir = tempDir();
    const conf = join(dir, 'redis.conf');
    writeFileSync(conf, '# top\nuser app on >pw ~* +@all\nhz 10\n');
    const srv = await startFerroWithConfigFile(conf);
    try {
      const c = await RawClient.connect({ port: srv.port });
      clients.push(c);
      await c.call('ACL', 'SETUSER', 'app', '-get');
      expect(text(await c.call('CONFIG', 'REWRITE'))).toBe('+OK\r\n');
      const written = readFileSync(conf, 'utf8').split('\n');
      // As Redis 7.2 writes the same file.
      expect(written.slice(0, 3)).toEqual([
        '# top',
        'user app on sanitize-payload #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* resetchannels +@all -get',
        'hz 10',
      ]);
      expect(written).toContain('# Generated by CONFIG REWRITE');
      expect(written.filter((l) => l.startsWith('user '))).toEqual([written[1], 'user default on nopass sanitize-payload ~* &* +@all']);
    } finally {
      await srv.close();
    }
    // The rewritten file starts a server with the same users.
    const again = await startFerroWithConfigFile(conf);
    try {
      const c = await RawClient.connect({ port: again.port });
      clients.push(c);
      expect(text(await c.call('AUTH', 'app', 'pw'))).toBe('+OK\r\n');
      expect(text(await c.call('GET', 'k'))).toBe("-NOPERM User app has no permissions to run the 'get' command\r\n");
    } finally {
      await again.close();
    }
  });

  it('answers LOAD and SAVE with Redis error when no aclfile is configured', async () => {
    const c = await raw();
    expect(text(await c.call('ACL', 'SAVE'))).toMatch(/^-ERR This Redis instance is not configured to use an ACL file\./);
  });

  it('takes `user` lines from redis.conf, but not together with an aclfile', async () => {
    const dir = tempDir();
    const conf = join(dir, 'redis.conf');
    writeFileSync(conf, 'user default on >adminpw ~* &* +@all\nuser app on >apppw ~app:* +@all\n');
    const srv = await startFerroWithConfigFile(conf);
    try {
      const c = await RawClient.connect({ port: srv.port });
      clients.push(c);
      expect(text(await c.call('PING'))).toBe('-NOAUTH Authentication required.\r\n');
      expect(text(await c.call('AUTH', 'app', 'apppw'))).toBe('+OK\r\n');
      expect(text(await c.call('SET', 'x', '1'))).toBe('-NOPERM No permissions to access a key\r\n');
    } finally {
      await srv.close();
    }
    writeFileSync(conf, `user app on >pw +@all\naclfile ${join(dir, 'users.acl')}\n`);
    const config = loadConfig({ configFile: conf, directives: [{ name: 'port', args: ['0'] }] });
    expect(() => new FerroServer({ config, logger: new Logger('notice', '', true) })).toThrow(new AclStartupError(MIXED_ACL_SOURCES));
  });
});

describe('protected mode', () => {
  it('refuses only non-loopback clients while the default user has no password', () => {
    expect(protectedModeRefuses(true, true, false)).toBe(true);
    expect(protectedModeRefuses(true, true, true)).toBe(false);
    expect(protectedModeRefuses(true, false, false)).toBe(false);
    expect(protectedModeRefuses(false, true, false)).toBe(false);
  });

  it('sends DENIED to a client from another address and closes it', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    // With no address but loopback on this machine, the decision above is all there is to test.
    const address = external?.address;
    const srv = await startFerro({ host: '0.0.0.0' });
    try {
      const loopback = await RawClient.connect({ port: srv.port });
      clients.push(loopback);
      expect(text(await loopback.call('PING'))).toBe('+PONG\r\n');
      if (address) {
        const { connect } = await import('node:net');
        const received = await new Promise<string>((resolve, reject) => {
          const s = connect({ host: address, port: srv.port });
          let data = '';
          s.on('data', (d) => (data += d.toString('latin1')));
          s.on('close', () => resolve(data));
          s.on('error', reject);
        });
        expect(received).toBe(DENIED_MESSAGE);
        // With a password set, the same client is served.
        await loopback.call('CONFIG', 'SET', 'requirepass', 'pw');
        const served = await new Promise<string>((resolve, reject) => {
          const s = connect({ host: address, port: srv.port }, () => s.write('*1\r\n$4\r\nPING\r\n'));
          s.on('data', (d) => {
            resolve(d.toString('latin1'));
            s.destroy();
          });
          s.on('error', reject);
        });
        expect(served).toBe('-NOAUTH Authentication required.\r\n');
      }
    } finally {
      await srv.close();
    }
  });
});
