import { it } from 'vitest';
import { startFerro } from '../support/servers';
import { RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';
it('dbg', async () => {
  const s = await startFerro();
  const parts: Buffer[] = [
  Buffer.from('FLUSHALL\r\nPING\r\nSET a "b c"\r\nGET a\r\n'),
  encodeCommand(['SET', Buffer.from([0, 13, 10, 255]), Buffer.from('\r\n*1\r\n$4\r\nPING\r\n')]),
  encodeCommand(['GET', Buffer.from([0, 13, 10, 255])]),
  encodeCommand(['MSET', 'x', '1', 'y', '', 'z', 'zzz']),
  Buffer.from('MGET x y z nosuch\n'),
  encodeCommand(['INCRBY', 'x', '41']),
  Buffer.from('\r\n'),
  encodeCommand(['ECHO', 'last']),
  ];
  for (const p of parts) {
    const c = await RawClient.connect({ port: s.port });
    c.write(p);
    await new Promise((r) => setTimeout(r, 200));
    console.log(JSON.stringify(p.toString('latin1')), '=>', JSON.stringify(c.pending().toString('latin1')));
    c.close();
  }
  const c = await RawClient.connect({ port: s.port });
  c.write(Buffer.concat(parts.slice(0, 3)));
  await new Promise((r) => setTimeout(r, 200));
  console.log('first3 =>', JSON.stringify(c.pending().toString('latin1')));
  await s.close();
});
