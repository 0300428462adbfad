import { it } from 'vitest';
import { Pair } from '../support/diff';
import { RawClient } from '../support/raw';
import { elements } from '../support/resp';
it('cfg', async () => {
  const pair = await Pair.start();
  const f = await RawClient.connect(pair.ferroEndpoint);
  const r = await RawClient.connect(pair.redisEndpoint);
  const toMap = (b: Buffer) => { const it = elements(b).items.map((x) => x.toString().split('\r\n')[1] ?? ''); const m = new Map<string,string>(); for (let i=0;i<it.length;i+=2) m.set(it[i], it[i+1]); return m; };
  const fm = toMap(await f.call('CONFIG', 'GET', '*'));
  const rm = toMap(await r.call('CONFIG', 'GET', '*'));
  const out: string[] = [];
  for (const [k, v] of rm) { if (!fm.has(k)) out.push(`missing in ferro: ${k}=${v}`); else if (fm.get(k) !== v) out.push(`DIFF ${k}: ferro=${JSON.stringify(fm.get(k))} redis=${JSON.stringify(v)}`); }
  for (const [k, v] of fm) if (!rm.has(k)) out.push(`extra in ferro: ${k}=${v}`);
  console.log(out.join('\n'));
  await pair.stop();
});
