import { it } from 'vitest';
import { Pair } from '../support/diff';
import { RawClient } from '../support/raw';
import { elements, show } from '../support/resp';
it('cmdinfo', async () => {
  const pair = await Pair.start();
  const f = await RawClient.connect(pair.ferroEndpoint);
  const r = await RawClient.connect(pair.redisEndpoint);
  const names = elements(await f.call('COMMAND', 'LIST')).items.map((b) => b.toString().split('\r\n')[1]);
  for (const sub of ['INFO', 'DOCS']) for (const n of names.sort()) {
    const a = await f.call('COMMAND', sub, n);
    const b = await r.call('COMMAND', sub, n);
    if (!a.equals(b)) console.log(`!! ${sub} ${n}\n F ${show(a)}\n R ${show(b)}`);
  }
  console.log('total', names.length);
  await pair.stop();
});
