import { it } from 'vitest';
import { Pair } from '../support/diff';
import { RawClient } from '../support/raw';
import { elements } from '../support/resp';
it('dbg', async () => {
  const pair = await Pair.start();
  const f = await RawClient.connect(pair.ferroEndpoint);
  const a = elements(await f.call('COMMAND', 'INFO', 'append')).items[0];
  console.log(elements(a).items.map((x) => JSON.stringify(x.toString())));
  await pair.stop();
});
