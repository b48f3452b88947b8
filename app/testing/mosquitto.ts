/**
 * A real MQTT broker for tests and benchmarks: Debian's mosquitto on 127.0.0.1 and a free
 * port, anonymous or with a password file. `stop()` kills it (as a crashed broker would go),
 * `restart()` brings it back on the same port. A missing mosquitto fails loudly — a test
 * that skips itself would hide that the MQTT driver was never exercised.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../sim/modbus-server';
import { tempDir } from './helpers';

export interface MosquittoOptions {
  /** user → password; when given, anonymous clients are refused. */
  readonly users?: Readonly<Record<string, string>>;
  readonly port?: number;
  /** PEM certificate and key: the listener speaks TLS only (mqtts://). */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/local/bin/mosquitto'];

function findMosquitto(): string {
  const fromPath = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'mosquitto'));
  const found = [process.env.MOSQUITTO ?? '', ...CANDIDATES, ...fromPath].find((p) => p !== '' && fs.existsSync(p));
  if (!found) throw new Error('mosquitto is not installed: the MQTT tests need a real broker — install the Debian package "mosquitto" (apt-get install mosquitto) or set MOSQUITTO=/path/to/mosquitto');
  return found;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const binary = findMosquitto();
  const dir = await tempDir('parx-mosquitto-');
  const port = options.port ?? (await freePort());
  const conf = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning'];
  // Started as root, mosquitto drops to the "mosquitto" user, which cannot read our private temp dir.
  if (process.getuid?.() === 0) conf.push('user root');
  if (options.users) {
    const file = path.join(dir, 'passwd');
    const passwd = path.join(path.dirname(binary).replace(/sbin$/, 'bin'), 'mosquitto_passwd');
    let first = true;
    for (const [user, password] of Object.entries(options.users)) {
      await promisify(execFile)(fs.existsSync(passwd) ? passwd : 'mosquitto_passwd', ['-b', ...(first ? ['-c'] : []), file, user, password]);
      first = false;
    }
    fs.chmodSync(file, 0o600);
    conf.push('allow_anonymous false', `password_file ${file}`);
  } else {
    conf.push('allow_anonymous true');
  }
  if (options.tls) {
    fs.writeFileSync(path.join(dir, 'cert.pem'), options.tls.cert);
    fs.writeFileSync(path.join(dir, 'key.pem'), options.tls.key, { mode: 0o600 });
    conf.push(`certfile ${path.join(dir, 'cert.pem')}`, `keyfile ${path.join(dir, 'key.pem')}`);
  }
  const confFile = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(confFile, `${conf.join('\n')}\n`);

  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const p = spawn(binary, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = p;
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited: string | undefined;
    p.once('exit', (code, signal) => (exited = `mosquitto exited (code ${code}, signal ${signal}): ${stderr.trim()}`));
    p.once('error', (e) => (exited = `mosquitto did not start: ${e.message}`));
    const until = Date.now() + 10_000;
    for (;;) {
      if (exited) throw new Error(exited);
      if (await canConnect(port)) return;
      if (Date.now() > until) throw new Error(`mosquitto did not listen on 127.0.0.1:${port} within 10 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async (): Promise<void> => {
    const p = child;
    child = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  await launch();
  return { port, url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`, stop, restart: async () => (await stop(), await launch()) };
}

/** A throw-away self-signed certificate for 127.0.0.1 (Debian's openssl), for TLS tests. */
export async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await tempDir('parx-cert-');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
}
