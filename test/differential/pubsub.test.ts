/**
 * Pub/sub against a real redis-server, two connections each: a subscriber
 * and a publisher run the same script, and the subscriber's replies and
 * pushes are compared byte for byte, in RESP2 and RESP3. Orders Redis
 * leaves to its hash tables (several channels unsubscribed at once, PUBSUB
 * CHANNELS) are kept to one element. PUBSUB HELP's last line differs
 * between 7.0 and 7.2, so it is checked in the cargo tests only.
 */
import { describe, expect, it } from 'vitest';

import { usePair } from '../support/diff';
import { type Line, runSubscriberScript } from '../support/subscriber';

const pair = usePair();

const scripts: Record<string, Line[]> = {
  'subscribe, publish, unsubscribe': [
    ['sub', 'SUBSCRIBE', 'news', 'sport', 'news'],
    ['pub', 'PUBLISH', 'news', 'hello'],
    ['pub', 'PUBLISH', 'weather', 'nobody'],
    ['pub', 'PUBSUB', 'NUMSUB', 'news', 'sport', 'none'],
    ['pub', 'PUBSUB', 'NUMSUB'],
    ['pub', 'PUBSUB', 'CHANNELS', 'n*'],
    ['sub', 'UNSUBSCRIBE', 'sport', 'never'],
    ['sub', 'UNSUBSCRIBE'],
    ['sub', 'UNSUBSCRIBE'],
    ['pub', 'PUBLISH', 'news', 'gone'],
    ['pub', 'PUBSUB', 'CHANNELS'],
  ],
  'patterns and messages that match both': [
    ['sub', 'PSUBSCRIBE', 'n*', 'x?'],
    ['sub', 'SUBSCRIBE', 'news'],
    ['pub', 'PUBLISH', 'news', 'both'],
    ['pub', 'PUBLISH', 'xy', 'pattern only'],
    ['pub', 'PUBSUB', 'NUMPAT'],
    ['sub', 'PUNSUBSCRIBE', 'x?'],
    ['sub', 'PUNSUBSCRIBE'],
    ['sub', 'PUNSUBSCRIBE'],
    ['sub', 'UNSUBSCRIBE', 'news'],
  ],
  'shard channels are their own namespace': [
    ['sub', 'SSUBSCRIBE', 'orders'],
    ['sub', 'SUBSCRIBE', 'orders'],
    ['pub', 'SPUBLISH', 'orders', 'shard'],
    ['pub', 'PUBLISH', 'orders', 'plain'],
    ['pub', 'PUBSUB', 'SHARDCHANNELS'],
    ['pub', 'PUBSUB', 'SHARDNUMSUB', 'orders', 'x'],
    ['pub', 'PUBSUB', 'SHARDCHANNELS', 'zz*'],
    ['sub', 'SUNSUBSCRIBE'],
    ['sub', 'SUNSUBSCRIBE'],
    ['sub', 'UNSUBSCRIBE'],
  ],
  'commands while subscribed, PING and RESET': [
    ['sub', 'SUBSCRIBE', 'c'],
    ['sub', 'GET', 'k'],
    ['sub', 'SET', 'k', 'v'],
    ['sub', 'PING', 'hi'],
    ['sub', 'PUBLISH', 'c', 'self'],
    ['sub', 'RESET'],
    ['pub', 'PUBLISH', 'c', 'after reset'],
    ['sub', 'GET', 'k'],
  ],
  'errors and introspection': [
    ['pub', 'PUBSUB', 'CHANNELS', 'a', 'b'],
    ['pub', 'PUBSUB', 'NUMPAT', 'x'],
    ['pub', 'PUBSUB', 'NOPE'],
    ['pub', 'PUBLISH', 'only-channel'],
    ['sub', 'SUBSCRIBE'],
    ['pub', 'SPUBLISH', 'x', 'y'],
  ],
};

describe('pub/sub against redis-server', () => {
  for (const [name, script] of Object.entries(scripts)) {
    for (const resp3 of [false, true]) {
      it(`${name}${resp3 ? ' (RESP3)' : ''}`, async () => {
        const p = pair();
        const [ferro, redis] = await Promise.all([
          runSubscriberScript(p.ferroEndpoint, script, { resp3 }),
          runSubscriberScript(p.redisEndpoint, script, { resp3 }),
        ]);
        expect(ferro).toEqual(redis);
      });
    }
  }
});
