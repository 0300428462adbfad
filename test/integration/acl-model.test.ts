/**
 * The TypeScript ACL model on its own: ACL LOG's grouping window and scan
 * depth, selector merging, and rule staging (all or nothing).
 */
import { describe, expect, it } from 'vitest';

import { CommandCatalog } from '../../ts/acl/catalog';
import { AclLog, type AclDenial } from '../../ts/acl/log';
import { AclSetUserError, applyRules, mergeSelectorArguments } from '../../ts/acl/rules';
import { AclUser } from '../../ts/acl/user';

const denial = (object: string, timeMs: number, reason = 'command'): AclDenial => ({
  reason,
  context: 'toplevel',
  object,
  username: 'u',
  clientInfo: `id=1 t=${timeMs}`,
  timeMs,
});

describe('ACL LOG grouping', () => {
  it('groups the same event within 60 seconds of its last occurrence, moving it to the front', () => {
    const log = new AclLog();
    log.add(denial('get', 1_000), 128);
    log.add(denial('set', 2_000), 128);
    log.add(denial('get', 61_000), 128);
    expect(log.entries.map((e) => [e.object, e.count, e.entryId, e.createdMs, e.updatedMs])).toEqual([
      ['get', 2, 0, 1_000, 61_000],
      ['set', 1, 1, 2_000, 2_000],
    ]);
    expect(log.entries[0].clientInfo).toBe('id=1 t=61000');
    // 60.001 s after the last update: a new entry.
    log.add(denial('get', 121_001), 128);
    expect(log.entries.map((e) => [e.object, e.count, e.entryId])).toEqual([
      ['get', 1, 2],
      ['get', 2, 0],
      ['set', 1, 1],
    ]);
  });

  it('looks only at the 10 newest entries and keeps at most acllog-max-len', () => {
    const log = new AclLog();
    log.add(denial('old', 0), 128);
    for (let i = 0; i < 10; i++) log.add(denial(`k${i}`, 1), 128);
    log.add(denial('old', 2), 128);
    expect(log.entries.filter((e) => e.object === 'old')).toHaveLength(2);
    log.add(denial('x', 3, 'key'), 3);
    expect(log.entries.map((e) => e.object)).toEqual(['x', 'old', 'k9']);
  });
});

describe('ACL rules', () => {
  const catalog = new CommandCatalog(
    [
      { name: 'get', categories: ['read', 'string', 'fast'], hasSubcommands: false },
      { name: 'set', categories: ['write', 'string', 'slow'], hasSubcommands: false },
      { name: 'config', categories: ['slow'], hasSubcommands: true },
      { name: 'config|get', categories: ['admin', 'slow', 'dangerous'], parent: 'config', hasSubcommands: false },
      { name: 'config|set', categories: ['admin', 'slow', 'dangerous'], parent: 'config', hasSubcommands: false },
    ],
    ['read', 'write', 'string', 'admin', 'fast', 'slow', 'dangerous'],
  );

  it('merges selectors spread over several arguments, or names the unclosed one', () => {
    expect(mergeSelectorArguments(['on', '(+get', '~a', '%R~b)', '(+set)'])).toEqual(['on', '(+get ~a %R~b)', '(+set)']);
    expect(mergeSelectorArguments(['on', '(+get', '~a'])).toEqual({ unmatchedAt: 1 });
  });

  it('applies all rules or none', () => {
    const u = new AclUser('u', catalog);
    const staged = applyRules(u, ['on', '+get', '~a*'], false);
    expect(staged.describe()).toBe('on sanitize-payload ~a* resetchannels -@all +get');
    expect(() => applyRules(staged, ['+set', 'bogus'], false)).toThrow(AclSetUserError);
    expect(() => applyRules(staged, ['+set', 'bogus'], false)).toThrow("Error in ACL SETUSER modifier 'bogus': Syntax error");
    expect(staged.describe()).toBe('on sanitize-payload ~a* resetchannels -@all +get');
  });

  it('lets a container rule take its subcommands and a later subcommand rule refine it', () => {
    const u = applyRules(new AclUser('u', catalog), ['+config', '-config|set'], false);
    expect([...u.root.allowed].sort()).toEqual(['config', 'config|get']);
    expect(u.root.describeCommands()).toBe('-@all +config -config|set');
    // Re-allowing the container drops the subcommand rule it covers.
    const again = applyRules(u, ['+config'], false);
    expect(again.root.describeCommands()).toBe('-@all +config');
  });
});
