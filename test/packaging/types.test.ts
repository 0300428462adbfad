/**
 * The package's types as an application's TypeScript sees them: `ferrokv`
 * resolved through package.json `exports` under `nodenext`, from an ES
 * module (`import`) and from CommonJS (`import x = require`), type-checked
 * strictly with the library's own declarations (no skipLibCheck).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, expect, it } from 'vitest';

import { ROOT, tempDir } from '../support/servers';

const dir = tempDir('ferrokv-types-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsc(cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', cwd], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, out: stdout + stderr });
    });
  });
}

it('startServer and its result are typed from ESM and CommonJS', async () => {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'ferrokv'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"name":"typed-app","private":true,"type":"module"}\n');
  writeFileSync(
    join(dir, 'esm.ts'),
    `import { startServer, type RunningServer, type StartServerOptions } from 'ferrokv';
const options: StartServerOptions = { frozenClock: true, config: { hz: 100, maxmemory: '10mb' } };
const server: RunningServer = await startServer(options);
const now: number = server.clock.now();
server.clock.advance(1_000);
server.clock.freeze();
server.clock.unfreeze();
const url: string = server.url;
await server.flushAll();
await server.close();
export { now, url };
`,
  );
  writeFileSync(
    join(dir, 'cjs.cts'),
    `import ferrokv = require('ferrokv');
export const started: Promise<ferrokv.RunningServer> = ferrokv.startServer({ port: 0 });
`,
  );
  // Misuse must not type-check: the declarations are real, not \`any\`.
  writeFileSync(join(dir, 'wrong.ts'), `import { startServer } from 'ferrokv';\nconst s = await startServer();\ns.clock.advance('soon');\nexport {};\n`);
  const config = (files: string[]) =>
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
      files,
    });
  writeFileSync(join(dir, 'tsconfig.json'), config(['esm.ts', 'cjs.cts']));
  const ok = await tsc(dir);
  expect(ok.out).toBe('');
  expect(ok.code).toBe(0);

  writeFileSync(join(dir, 'tsconfig.json'), config(['wrong.ts']));
  const wrong = await tsc(dir);
  expect(wrong.code).toBe(1);
  expect(wrong.out).toContain("Argument of type 'string' is not assignable to parameter of type 'number'");
}, 60_000);
