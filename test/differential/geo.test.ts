/**
 * The geo family against a real redis-server, byte for byte, in RESP2 and
 * RESP3: GEOADD (NX XX CH), GEOPOS, GEOHASH, GEODIST in every unit, and the
 * searches (GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and the
 * _RO forms) with every option, on points spread over the whole globe —
 * near the poles, on both sides of the antimeridian, at the Mercator
 * limits — with the sets in each encoding. Distances, coordinates and
 * hashes are compared digit for digit; results are compared in the order
 * Redis returns them, including unsorted searches (cell by cell) and ties
 * under COUNT (Redis's partial quicksort).
 *
 * Keyspace events are asserted in the cargo tests (this harness has one
 * connection).
 */
import { describe } from 'vitest';

import { compareScripts, lines, type Script, usePair } from '../support/diff';

const pair = usePair();

/** A script run with the sets as listpacks and again as skiplists. */
function inBothEncodings(name: string, body: string): Record<string, Script> {
  return {
    [`${name} (listpack)`]: lines(`CONFIG SET zset-max-listpack-entries 128\n${body}`),
    [`${name} (skiplist)`]: lines(`CONFIG SET zset-max-listpack-entries 0\n${body}\nCONFIG SET zset-max-listpack-entries 128`),
  };
}

/** A small seeded generator (mulberry32), so every run sends the same script. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL_POINTS: [number, number][] = [
  [179.9999, 0.5],
  [-179.9999, 0.5],
  [180, 85.05112878],
  [-180, -85.05112878],
  [0, 0],
  [0.0001, -0.0001],
  [179.5, 84.9],
  [-179.5, -84.9],
  [10, 85],
  [10, -85],
  [-0.5, 51.5],
  [139.69, 35.68],
  [-73.98, 40.75],
  [151.2, -33.87],
  [-122.42, 37.77],
  [37.62, 55.75],
  [-58.38, -34.6],
  [103.8, 1.35],
  [-149.9, 61.2],
  [-21.9, 64.1],
];

const UNITS = ['m', 'km', 'ft', 'mi', 'KM', 'Mi'];
const METERS: Record<string, number> = { m: 1, km: 1000, ft: 0.3048, mi: 1609.34 };

/**
 * Points all over the globe (plus a dense cluster), then searches of every
 * kind from random centres and members, with random radii from 100 m to
 * 20,000 km in random units and random options.
 */
function worldScript(seed: number): string {
  const rnd = seeded(seed);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const uniform = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const fixed = (v: number, digits: number[]) => v.toFixed(pick(digits));
  const points: [string, string, string][] = SPECIAL_POINTS.map(([lon, lat], i) => [`s${i}`, String(lon), String(lat)]);
  for (let i = 0; i < 70; i++) points.push([`p${i}`, fixed(uniform(-180, 180), [0, 2, 4, 6, 8]), fixed(uniform(-85.05, 85.05), [0, 2, 4, 6, 8])]);
  for (let i = 0; i < 25; i++) points.push([`c${i}`, (13.3 + uniform(-0.5, 0.5)).toFixed(6), (38.1 + uniform(-0.5, 0.5)).toFixed(6)]);
  const members = points.map(([m]) => m);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += 7) {
    out.push(`GEOADD g ${points.slice(i, i + 7).map(([m, lon, lat]) => `${lon} ${lat} ${m}`).join(' ')}`);
  }
  out.push(`GEOPOS g ${members.join(' ')}`);
  out.push(`GEOHASH g ${members.join(' ')}`);
  for (let i = 0; i < 25; i++) out.push(`GEODIST g ${pick(members)} ${pick(members)} ${pick(UNITS)}`);
  const distance = (): string => {
    const unit = pick(UNITS);
    const meters = 10 ** uniform(2, 7.3);
    return `${fixed(meters / METERS[unit.toLowerCase()], [0, 1, 3])} ${unit}`;
  };
  const centre = (): string => {
    if (rnd() < 0.3) {
      const [, lon, lat] = pick(points);
      return `${lon} ${lat}`;
    }
    return `${uniform(-180, 180).toFixed(3)} ${uniform(-85, 85).toFixed(3)}`;
  };
  const options = (): string => {
    const o: string[] = [];
    if (rnd() < 0.5) o.push('WITHDIST');
    if (rnd() < 0.4) o.push('WITHCOORD');
    if (rnd() < 0.3) o.push('WITHHASH');
    const s = rnd();
    if (s < 0.3) o.push('ASC');
    else if (s < 0.6) o.push('DESC');
    if (rnd() < 0.35) {
      o.push(`COUNT ${pick([1, 2, 3, 5, 10, 50])}`);
      if (rnd() < 0.3) o.push('ANY');
    }
    for (let i = o.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [o[i], o[j]] = [o[j], o[i]];
    }
    return o.join(' ');
  };
  for (let i = 0; i < 70; i++) {
    const kind = rnd();
    if (kind < 0.25) {
      out.push(`GEORADIUS g ${centre()} ${distance()} ${options()}`);
    } else if (kind < 0.4) {
      out.push(`GEORADIUSBYMEMBER g ${pick(members)} ${distance()} ${options()}`);
    } else {
      const from = rnd() < 0.5 ? `FROMLONLAT ${centre()}` : `FROMMEMBER ${pick(members)}`;
      const by = rnd() < 0.5 ? `BYRADIUS ${distance()}` : `BYBOX ${distance().split(' ')[0]} ${distance()}`;
      out.push(`GEOSEARCH g ${from} ${by} ${options()}`);
      if (rnd() < 0.3) {
        out.push(`GEOSEARCHSTORE dst g ${from} ${by}${rnd() < 0.5 ? ' STOREDIST' : ''}`);
        out.push('ZRANGE dst 0 -1 WITHSCORES');
        out.push('OBJECT ENCODING dst');
      }
    }
  }
  return out.join('\n');
}

/** Many members on a few spots, so distances tie; COUNT cuts through the ties. */
function tiesScript(seed: number): string {
  const rnd = seeded(seed);
  const spots = Array.from({ length: 2 + Math.floor(rnd() * 8) }, () => `${(rnd() * 2 - 1).toFixed(2)} ${(rnd() * 2 - 1).toFixed(2)}`);
  const n = 5 + Math.floor(rnd() * 120);
  const out: string[] = [];
  for (let i = 0; i < n; i += 20) {
    const batch = Array.from({ length: Math.min(20, n - i) }, (_, k) => `${spots[Math.floor(rnd() * spots.length)]} m${i + k}`);
    out.push(`GEOADD t ${batch.join(' ')}`);
  }
  for (let i = 0; i < 15; i++) {
    const c = `${(rnd() * 2 - 1).toFixed(3)} ${(rnd() * 2 - 1).toFixed(3)}`;
    const order = ['', 'ASC', 'DESC'][Math.floor(rnd() * 3)];
    out.push(`GEOSEARCH t FROMLONLAT ${c} BYRADIUS 500 km COUNT ${1 + Math.floor(rnd() * (n + 2))} ${order} WITHDIST`);
    out.push(`GEORADIUS t ${c} 500 km ${order}`);
  }
  return out.join('\n');
}

const SICILY = `
  GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
  ZSCORE Sicily Palermo
  GEODIST Sicily Palermo Catania
  GEODIST Sicily Palermo Catania km
  GEODIST Sicily Palermo Catania KM
  GEODIST Sicily Palermo Catania mi
  GEODIST Sicily Palermo Catania ft
  GEODIST Sicily Palermo Catania yd
  GEODIST Sicily Palermo Catania km extra
  GEODIST Sicily Palermo nope
  GEODIST Sicily Palermo Palermo
  GEODIST nokey a b
  GEODIST nokey a b yd
  GEOHASH Sicily Palermo Catania nope
  GEOHASH nokey a
  GEOHASH Sicily
  GEOPOS Sicily Palermo Catania nope
  GEOPOS nokey a b
  GEOPOS Sicily
  GEORADIUS Sicily 15 37 200 km WITHDIST
  GEORADIUS Sicily 15 37 200 km WITHCOORD
  GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH
  GEORADIUS Sicily 15 37 100 km
  GEORADIUS Sicily 15 37 200 km ASC
  GEORADIUS Sicily 15 37 200 km DESC
  GEORADIUS Sicily 15 37 200 km COUNT 1
  GEORADIUS Sicily 15 37 200 km COUNT 1 DESC
  GEORADIUS Sicily 15 37 200 km COUNT 1 ANY
  GEORADIUS Sicily 15 37 200 km STORE dst
  ZRANGE dst 0 -1 WITHSCORES
  OBJECT ENCODING dst
  GEORADIUS Sicily 15 37 200 km STOREDIST dst2
  ZRANGE dst2 0 -1 WITHSCORES
  GEORADIUS Sicily 15 37 1 km STORE dst
  EXISTS dst
  GEORADIUS nokey 15 37 200 km STORE dst2
  EXISTS dst2
  GEORADIUS nokey 15 37 200 km
  GEORADIUSBYMEMBER Sicily Palermo 200 km WITHDIST
  GEORADIUSBYMEMBER Sicily Palermo 200 km STOREDIST d3
  ZRANGE d3 0 -1 WITHSCORES
  GEORADIUSBYMEMBER nokey nope x yd WITHDIST
  GEORADIUSBYMEMBER_RO Sicily Palermo 100 km
  GEORADIUS_RO Sicily 15 37 200 km WITHDIST DESC
  GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHCOORD WITHDIST WITHHASH
  GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km ASC WITHCOORD WITHDIST WITHHASH
  GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km COUNT 1 ANY
  GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 0 0 km WITHDIST
  GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km
  ZRANGE dst 0 -1 WITHSCORES
  GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST
  ZRANGE dst 0 -1 WITHSCORES
  GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1 DESC
  ZRANGE dst 0 -1 WITHSCORES
  GEOSEARCHSTORE dst nokey FROMLONLAT 15 37 BYRADIUS 200 km
  EXISTS dst
  GEOSEARCHSTORE Sicily Sicily FROMLONLAT 15 37 BYRADIUS 100 km
  ZRANGE Sicily 0 -1
  GEOADD Sicily ch 13.361389 38.115556 Palermo 1 1 x
  GEOADD Sicily nx ch 13 38 Palermo
  GEOADD Sicily xx ch 13 38 Palermo 2 2 y
  GEOADD Sicily xx 1 1 nothere
  GEOADD missing xx 1 1 nothere
  EXISTS missing
  GEOADD Sicily -180 -85.05112878 sw 180 85.05112878 ne -0 -0 negzero 0x10 1e1 hex
  GEOPOS Sicily sw ne negzero hex
  GEOHASH Sicily sw ne negzero hex
  ZADD weird -1 neg 1e30 big 0 zero 4503599627370495 max52 4503599627370496 over
  GEOPOS weird neg big zero max52 over
  GEOHASH weird neg big zero max52 over
  GEORADIUS weird 0 0 20000 km WITHHASH WITHCOORD
`;

const ERRORS = `
  GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 2.35 48.85 Paris
  SET str x
  GEOADD str 1 1 a
  GEOPOS str a
  GEOHASH str a
  GEODIST str a b
  GEODIST str a b x
  GEORADIUS str 200 100 x yd
  GEORADIUSBYMEMBER str nope x yd
  GEOSEARCH str FROMLONLAT 200 200 BYBOX x x yd
  GEOSEARCHSTORE dst str FROMLONLAT 200 200 BYBOX x x yd
  GEOSEARCHSTORE str g FROMLONLAT 15 37 BYRADIUS 200 km
  TYPE str
  GEOADD g xx nx 1 1 a
  GEOADD g 1 1
  GEOADD g 1 1 a 2
  GEOADD g gt 1 1 Palermo
  GEOADD g incr 1 1 Palermo
  GEOADD g 1 x a
  GEOADD g 200 2 z
  GEOADD g 2 85.06 z
  GEOADD g 1 1 a 1 1000 b
  GEOADD g inf 2 z
  GEOADD g "1 " 1 sp
  GEORADIUS g 15 37 200 km COUNT 0
  GEORADIUS g 15 37 200 km COUNT -1
  GEORADIUS g 15 37 200 km COUNT x
  GEORADIUS g 15 37 200 km COUNT 1.5
  GEORADIUS g 15 37 200 km COUNT
  GEORADIUS g 15 37 200 km COUNT 9223372036854775807
  GEORADIUS g 15 37 200 km COUNT 1 COUNT 2
  GEORADIUS g 15 37 200 km ASC DESC
  GEORADIUS g 15 37 200 km ANY
  GEORADIUS g 15 37 200 km COUNT 1 ANY WITHDIST
  GEORADIUS g 200 37 200 km
  GEORADIUS g 15 86 200 km
  GEORADIUS g x 37 200 km
  GEORADIUS g 15 37 x km
  GEORADIUS g 15 37 -1 km
  GEORADIUS g 15 37 1 yd
  GEORADIUS g 15 37 200 km bogus
  GEORADIUS g 15 37 200
  GEORADIUS g 0 0 inf m
  GEORADIUS g 0 0 nan m
  GEORADIUS g -inf 0 1 m
  GEORADIUS g 180.0000001 0 1 m
  GEORADIUS g 0 -85.05112879 1 m
  GEORADIUS g 15.087269 37.502669 0 m WITHDIST
  GEORADIUS g 15 37 1e30 km WITHDIST COUNT 2
  GEORADIUS g 15 37 200 km STORE dst WITHDIST
  GEORADIUS g 15 37 200 km WITHHASH STOREDIST dst
  GEORADIUS g 15 37 200 km STORE
  GEORADIUS g 15 37 200 km STOREDIST
  GEORADIUS g 15 37 200 km STORE a STOREDIST b
  ZRANGE b 0 -1 WITHSCORES
  EXISTS a
  GEORADIUS_RO g 15 37 200 km STORE dst
  GEORADIUSBYMEMBER_RO g Palermo 200 km STOREDIST dst
  GEORADIUSBYMEMBER g nope 200 km
  GEORADIUSBYMEMBER g Palermo x km
  GEORADIUSBYMEMBER g Palermo -5 km
  GEORADIUSBYMEMBER g Palermo 5 yd
  GEOSEARCH g FROMMEMBER Palermo FROMLONLAT 1 1 BYBOX 400 400 km
  GEOSEARCH g FROMLONLAT 1 1 FROMMEMBER Palermo BYBOX 400 400 km
  GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km FROMMEMBER Catania
  GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 1 km BYRADIUS 200 km WITHDIST
  GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km BYBOX 600 600 km
  GEOSEARCH g FROMLONLAT 15 37 BYBOX 600 600 km BYRADIUS 200 km
  GEOSEARCH g BYBOX 400 400 km
  GEOSEARCH g FROMLONLAT 1 1
  GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 200
  GEOSEARCH g FROMLONLAT 1 1 BYBOX 200 200
  GEOSEARCH g FROMLONLAT 1 BYRADIUS 200 km
  GEOSEARCH g FROMMEMBER BYRADIUS 200 km
  GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km STORE x
  GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km STOREDIST
  GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km ANY
  GEOSEARCH g FROMMEMBER nope BYRADIUS 1 km
  GEOSEARCH g FROMMEMBER nope FROMLONLAT 300 300 BYRADIUS 200 km
  GEOSEARCH g BYRADIUS -1 km FROMLONLAT 300 300
  GEOSEARCH g FROMLONLAT 1 1 BYBOX -1 1 km
  GEOSEARCH g FROMLONLAT 1 1 BYBOX x 1 km
  GEOSEARCH g FROMLONLAT 1 1 BYBOX 1 x km
  GEOSEARCH g FROMLONLAT 1 1 BYBOX 1 1 yd
  GEOSEARCH nokey FROMMEMBER x BYRADIUS 1 km
  GEOSEARCH nokey FROMMEMBER x
  GEOSEARCH nokey FROMMEMBER x BYRADIUS 1 yd
  GEOSEARCH nokey BYBOX 0 0 km
  GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST STOREDIST
  ZRANGE dst 0 -1 WITHSCORES
  GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST
  GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km STORE x
  GEOSEARCHSTORE dst g FROMLONLAT 15 37
  GEOSEARCHSTORE dst nokey FROMLONLAT 15 37
  geosearch g fromlonlat 15 37 byradius 200 km withdist
`;

const scripts: Record<string, Script> = {
  ...inBothEncodings('Sicily: every command and option', SICILY),
  'errors and the order Redis checks arguments in': lines(ERRORS),
  ...inBothEncodings('points around the world, seed 1', worldScript(1)),
  ...inBothEncodings('points around the world, seed 2', worldScript(2)),
  ...inBothEncodings('points around the world, seed 3', worldScript(3)),
  ...inBothEncodings('points around the world, seed 4', worldScript(4)),
  ...inBothEncodings('equal distances under COUNT, seed 1', tiesScript(1)),
  ...inBothEncodings('equal distances under COUNT, seed 2', tiesScript(2)),
  ...inBothEncodings('equal distances under COUNT, seed 3', tiesScript(3)),
};

describe('geo commands', () => {
  compareScripts(pair, scripts);
});
