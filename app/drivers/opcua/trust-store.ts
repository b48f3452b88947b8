/**
 * The engine's view of the OPC UA trust store (node-opcua's folder layout): trusted/certs and
 * rejected/, one PEM or DER file per server certificate. Listing and moving files needs no
 * node-opcua; the collector's certificate manager re-reads the folders before each secured
 * connect (server-trust.ts), so a move here takes effect on the next attempt.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CertificateEntry } from '../../shared/contract/acquisition';
import { err, ok, parxError, type Result } from '../../shared/result';
import { certificateInfo } from './certificate-info';

type Status = CertificateEntry['status'];

const FOLDERS: Record<Status, string> = { trusted: path.join('trusted', 'certs'), rejected: 'rejected' };

/** The store the engine's collector uses: $PARX_PKI_DIR, else workspace/pki/opcua (as app/engine/engine.ts passes it). */
export function workspacePkiDir(workspace: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.PARX_PKI_DIR ? path.resolve(env.PARX_PKI_DIR) : path.join(workspace, 'pki', 'opcua');
}

interface StoredCertificate extends CertificateEntry {
  readonly file: string;
  readonly modifiedMs: number;
}

async function readFolder(dir: string, status: Status): Promise<StoredCertificate[]> {
  const folder = path.join(dir, FOLDERS[status]);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const found: StoredCertificate[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) continue;
      const bytes = await fs.readFile(file);
      const text = bytes.toString('latin1');
      const info = certificateInfo(text.includes('-----BEGIN CERTIFICATE-----') ? text : new Uint8Array(bytes));
      found.push({ ...info, status, file, modifiedMs: stat.mtimeMs });
    } catch {
      // Not a certificate (a stray file): not ours to judge or remove.
    }
  }
  return found;
}

/**
 * Trusted copies first: a certificate in both folders counts as trusted. node-opcua can write a
 * stale copy into rejected/ after the engineer trusted it (a connect that was already under way
 * checks against its old index), and that copy must neither hide the decision in the list nor
 * make the next connect refuse.
 */
async function readStore(dir: string): Promise<StoredCertificate[]> {
  return [...(await readFolder(dir, 'trusted')), ...(await readFolder(dir, 'rejected'))];
}

function entry(c: StoredCertificate): CertificateEntry {
  return { thumbprint: c.thumbprint, subject: c.subject, validFrom: c.validFrom, validTo: c.validTo, status: c.status };
}

/** Rejected first (they are what the engineer has to decide on), newest first within each. */
export async function listCertificates(dir: string): Promise<CertificateEntry[]> {
  // node-opcua may hold the same certificate under two names or in both folders; show it once, trusted if it is.
  const seen = new Set<string>();
  const once = (await readStore(dir)).filter((c) => !seen.has(c.thumbprint) && seen.add(c.thumbprint));
  once.sort((a, b) => (a.status === b.status ? b.modifiedMs - a.modifiedMs : a.status === 'rejected' ? -1 : 1));
  return once.map(entry);
}

export async function findCertificate(dir: string, thumbprint: string): Promise<CertificateEntry | undefined> {
  const c = (await readStore(dir)).find((x) => x.thumbprint === thumbprint);
  return c && entry(c);
}

/** Moves every copy of the certificate into the folder for `to`; the other folder keeps none. */
export async function moveCertificate(dir: string, thumbprint: string, to: Status): Promise<Result<CertificateEntry>> {
  const copies = (await readStore(dir)).filter((c) => c.thumbprint === thumbprint);
  const first = copies[0];
  if (!first) return err(parxError('not-found', `no certificate with thumbprint ${thumbprint} in ${dir}`, { path: 'thumbprint' }));
  const target = path.join(dir, FOLDERS[to]);
  await fs.mkdir(target, { recursive: true });
  for (const c of copies) {
    if (c.status === to) continue;
    const destination = path.join(target, path.basename(c.file));
    await fs.rename(c.file, destination).catch(async (e: NodeJS.ErrnoException) => {
      // Already there under the same name (moved twice): drop the stale copy.
      if (e.code !== 'EEXIST' && e.code !== 'ENOTEMPTY') throw e;
      await fs.rm(c.file, { force: true });
    });
  }
  return ok({ ...entry(first), status: to });
}
