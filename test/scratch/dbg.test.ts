import { it } from 'vitest';
import { Pair } from '../support/diff';
import { RawClient } from '../support/raw';
it('dbg', async () => {
  const pair = await Pair.start();
  for (const ep of [pair.ferroEndpoint, pair.redisEndpoint]) {
    const c = await RawClient.connect(ep);
    for (const cmd of [['SET','a','1'],['GET','a'],['GET','nosuch'],['INCR','a'],['NOSUCH'],['CONFIG','GET','hz'],['CONFIG','RESETSTAT'],['GET','a']]) await c.call(...cmd);
    const info = (await c.call('INFO', 'stats')).toString();
    const cs = (await c.call('INFO', 'commandstats')).toString();
    const es = (await c.call('INFO', 'errorstats')).toString();
    console.log(JSON.stringify(ep), info.split('\r\n').filter(l => /total_commands|keyspace_|error_replies|total_connections/.test(l)).join(' | '), '\n', cs.replace(/usec=\d+,usec_per_call=[\d.]+,/g, ''), es);
    c.close();
  }
  await pair.stop();
});
