import { it } from 'vitest';
import { lines, Pair } from '../support/diff';
it('peek', async () => {
  const pair = await Pair.start();
  const { ferro, redis } = await pair.run(lines(process.env.SCRIPT ?? 'PING'), { resp3: !!process.env.RESP3 });
  for (let i = 0; i < Math.max(ferro.length, redis.length); i++) {
    const same = ferro[i] === redis[i];
    console.log(same ? '  ' : '!!', 'F', ferro[i]);
    if (!same) console.log('!!', 'R', redis[i]);
  }
  await pair.stop();
});
