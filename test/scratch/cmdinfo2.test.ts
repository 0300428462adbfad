import { it } from 'vitest';
import { Pair } from '../support/diff';
import { RawClient } from '../support/raw';
import { elements } from '../support/resp';
const parts = ['name','arity','flags','first','last','step','acl','tips','keyspecs','subcommands'];
it('cmdinfo', async () => {
  const pair = await Pair.start();
  const f = await RawClient.connect(pair.ferroEndpoint);
  const r = await RawClient.connect(pair.redisEndpoint);
  const names = elements(await f.call('COMMAND', 'LIST')).items.map((b) => b.toString().split('\r\n')[1]);
  const cats: Record<string,string[]> = {};
  for (const n of names.sort()) {
    const a = elements(await f.call('COMMAND', 'INFO', n)).items[0];
    const b = elements(await r.call('COMMAND', 'INFO', n)).items[0];
    if (b.toString().startsWith('$-1') || b.toString().startsWith('_')) { (cats['missing-in-7.0'] ??= []).push(n); continue; }
    const ea = elements(a).items, eb = elements(b).items;
    for (let i = 0; i < 9; i++) if (!ea[i].equals(eb[i])) (cats[parts[i]] ??= []).push(n + (i===8||i===7||i===2? ' ' + JSON.stringify(ea[i].toString().replace(/\r\n/g,' ')) + ' vs ' + JSON.stringify(eb[i].toString().replace(/\r\n/g,' ')) : ''));
  }
  for (const [k, v] of Object.entries(cats)) console.log(`## ${k} (${v.length})\n` + v.join('\n'));
  await pair.stop();
});
