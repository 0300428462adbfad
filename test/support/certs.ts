/**
 * Certificates made with `openssl` at test time, in a temporary folder: a
 * CA, a server certificate for 127.0.0.1/localhost and a client certificate
 * it signed, a second server certificate, and a client certificate from a
 * CA the server does not trust.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { tempDir } from './servers';

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** The server key encrypted with the passphrase `secret`. */
  serverKeyEncrypted: string;
  /** Another server certificate from the same CA (CN "second.localhost"). */
  secondCert: string;
  secondKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by a CA the server does not know. */
  rogueCert: string;
  rogueKey: string;
  read(file: string): Buffer;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** An EC key (fast to make) and a certificate signed by `ca` (or self-signed without one). */
function issue(dir: string, name: string, cn: string, ca?: { cert: string; key: string }, ext?: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  if (!ca) {
    openssl(dir, ['req', '-x509', '-new', '-key', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`]);
    return { cert, key };
  }
  const csr = join(dir, `${name}.csr`);
  openssl(dir, ['req', '-new', '-key', key, '-out', csr, '-subj', `/CN=${cn}`]);
  const args = ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2'];
  if (ext) {
    const extFile = join(dir, `${name}.ext`);
    writeFileSync(extFile, `${ext}\n`);
    args.push('-extfile', extFile);
  }
  openssl(dir, args);
  return { cert, key };
}

export function makeTestPki(): TestPki {
  const dir = tempDir('ferrokv-pki-');
  const ca = issue(dir, 'ca', 'ferrokv test CA');
  const server = issue(dir, 'server', 'localhost', ca, 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  const second = issue(dir, 'second', 'second.localhost', ca, 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  const client = issue(dir, 'client', 'ferrokv client', ca);
  const rogueCa = issue(dir, 'rogue-ca', 'someone else');
  const rogue = issue(dir, 'rogue', 'ferrokv client', rogueCa);
  const serverKeyEncrypted = join(dir, 'server-encrypted.key');
  openssl(dir, ['pkey', '-in', server.key, '-aes256', '-passout', 'pass:secret', '-out', serverKeyEncrypted]);
  return {
    dir,
    caCert: ca.cert,
    serverCert: server.cert,
    serverKey: server.key,
    serverKeyEncrypted,
    secondCert: second.cert,
    secondKey: second.key,
    clientCert: client.cert,
    clientKey: client.key,
    rogueCert: rogue.cert,
    rogueKey: rogue.key,
    read: (file) => readFileSync(file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
