/**
 * SORT and SORT_RO against a real redis-server, byte for byte, in RESP2 and
 * RESP3: lists, intsets and sorted sets (whose order is the same in 7.0 and
 * 7.2; small string sets changed encoding in 7.2, so their native order is
 * only compared once sorted), BY and GET patterns with hash fields, LIMIT,
 * ALPHA, DESC, STORE, and the errors.
 */
import { describe } from 'vitest';

import { compareScripts, lines, type Script, usePair } from '../support/diff';

const pair = usePair();

const scripts: Record<string, Script> = {
  'numeric and alpha': lines(`
    RPUSH l 3 10 1 2 -4.5 1e2
    SORT l
    SORT l DESC
    SORT l ALPHA
    SORT l ALPHA DESC
    SORT l LIMIT 1 2
    SORT l LIMIT -5 2
    SORT l LIMIT 2 -1
    SORT l LIMIT 6 1
    SORT l LIMIT 0 0
    SORT l asc limit 0 100 desc
    SORT missing
    SORT missing LIMIT 0 10
    RPUSH ties 2 02 2.0 +2 " 2"
    SORT ties
    RPUSH bad 1 x 3
    SORT bad
    SORT bad ALPHA
    RPUSH edge "" inf -inf
    SORT edge
    # Underflow is refused. Last in the script on purpose: Redis never clears
    # errno before strtod, so its ERANGE leaks into later SORTs of the batch.
    RPUSH tiny 1 1e-400
    SORT tiny
  `),
  'BY and GET': lines(`
    RPUSH l 3 10 1 2
    MSET w_3 30 w_10 5 w_1 20 name_3 c name_1 a
    HSET h_3 f x3
    HSET h_10 f x10
    SORT l BY w_*
    SORT l BY w_* DESC
    SORT l BY w_* ALPHA
    SORT l BY w_* GET #
    SORT l BY w_* GET # GET name_* GET h_*->f
    SORT l GET name_* GET h_*->f ALPHA
    SORT l BY h_*->f ALPHA
    SORT l BY nosort
    SORT l BY nosort DESC
    SORT l BY nosort LIMIT 1 2
    SORT l BY nosort DESC LIMIT 1 2
    SORT l GET nostar
    SORT l GET h_*->
    SORT l BY w_* LIMIT 1 2 GET name_*
    SET w_2 notanumber
    SORT l BY w_*
    SORT l BY w_* ALPHA
  `),
  'sets and sorted sets': lines(`
    SADD nums 5 3 9 1
    SORT nums
    SORT nums DESC LIMIT 0 2
    SORT nums BY nosort
    SADD words pear apple fig
    SORT words ALPHA
    SORT words ALPHA DESC
    SORT words BY nosort STORE dst
    LRANGE dst 0 -1
    ZADD z 3 c 1 a 2 b 10 d
    SORT z ALPHA
    SORT z BY nosort
    SORT z BY nosort DESC
    SORT z BY nosort LIMIT 1 2
    SORT z BY nosort DESC LIMIT 1 2
  `),
  STORE: lines(`
    RPUSH l 3 1 2
    MSET name_1 a name_3 c
    SET dst old
    EXPIRE dst 100
    SORT l STORE dst
    TYPE dst
    TTL dst
    LRANGE dst 0 -1
    SORT l GET name_* STORE dst
    LRANGE dst 0 -1
    SORT missing STORE dst
    EXISTS dst
    SORT l LIMIT 5 5 STORE dst
    SORT l STORE
    SORT_RO l STORE dst
    SORT_RO l DESC
    SORT_RO l BY nosort GET #
  `),
  errors: lines(`
    SET s v
    SORT s
    SORT_RO s
    HSET h f v
    SORT h
    RPUSH l 1
    SORT l LIMIT x 1
    SORT l LIMIT 0
    SORT l LIMIT 0 y
    SORT l BY
    SORT l GET
    SORT l FOO
    SORT
    SORT_RO
  `),
};

describe('SORT: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});
