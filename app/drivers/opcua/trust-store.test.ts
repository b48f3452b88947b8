/** The trust store as the engine reads it, with certificates made by openssl (not by us). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/helpers';
import { findCertificate, listCertificates } from './trust-store';

async function opensslCertificate(dir: string, cn: string): Promise<string> {
  const pem = path.join(dir, `${cn}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, `${cn}.key`), '-out', pem, '-subj', `/CN=${cn}`, '-days', '2'], { stdio: 'ignore' });
  return fs.readFile(pem, 'utf8');
}

describe('OPC UA trust store', () => {
  it('a certificate in both folders (a stale rejected copy left by a connect under way) counts as trusted', async () => {
    const pki = await tempDir('parx-pki-');
    const work = await tempDir('parx-pki-work-');
    const cert = await opensslCertificate(work, 'plc-a');
    const other = await opensslCertificate(work, 'plc-b');
    await fs.mkdir(path.join(pki, 'trusted', 'certs'), { recursive: true });
    await fs.mkdir(path.join(pki, 'rejected'), { recursive: true });
    await fs.writeFile(path.join(pki, 'trusted', 'certs', 'plc-a.pem'), cert);
    await fs.writeFile(path.join(pki, 'rejected', 'plc-a[stale].pem'), cert);
    await fs.writeFile(path.join(pki, 'rejected', 'plc-b.pem'), other);

    const list = await listCertificates(pki);
    expect(list.map((c) => [c.subject.includes('plc-a') ? 'a' : 'b', c.status])).toEqual([
      ['b', 'rejected'],
      ['a', 'trusted'],
    ]);
    const a = list.find((c) => c.subject.includes('plc-a'));
    expect((await findCertificate(pki, a?.thumbprint ?? ''))?.status).toBe('trusted');
  });
});
