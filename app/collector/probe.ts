/**
 * Read each address once, outside the collector: `parx probe`, "Test connection" in the UI.
 * Works for polled and pushed protocols alike (a pushed one waits for the first value of
 * each address, up to the timeout).
 */
import { qualityName, Quality, type QualityName } from '../shared/samples';
import { err, ok, parxError, type Result } from '../shared/result';
import type { ConnectionConfig } from '../shared/contract';
import type { BrowseItem, DriverSession, ProtocolDriver } from '../drivers/driver';
import { driverForUrl, findDriver } from '../drivers';
import { nowMs } from './stats';
import { withTimeout } from '../shared/with-timeout';

export interface ProbeValue {
  readonly signal: string;
  readonly value: number | null;
  readonly quality: QualityName;
  readonly ts: number;
  readonly error?: string;
}

function withDriver(config: ConnectionConfig): Result<{ driver: ProtocolDriver; config: ConnectionConfig }> {
  const driver = findDriver(config.protocol);
  return driver ? ok({ driver, config }) : err(parxError('invalid-request', `protocol "${config.protocol}" has no driver in this build`));
}

function resolveDriver(url: string): Result<{ driver: ProtocolDriver; config: ConnectionConfig }> {
  const driver = driverForUrl(url);
  if (!driver) return err(parxError('invalid-request', `no driver for "${url}" (expected modbus://, modbus-rtu://, opc.tcp://, mqtt://, enip:// or egd://)`));
  const config = driver.connectionFromUrl(url);
  if (!config.ok) return config;
  return ok({ driver, config: config.value });
}

async function withSession<T>(target: string | ConnectionConfig, timeoutMs: number, use: (s: DriverSession, d: ProtocolDriver) => Promise<T>): Promise<Result<T>> {
  const r = typeof target === 'string' ? resolveDriver(target) : withDriver(target);
  if (!r.ok) return r;
  const { driver, config } = r.value;
  const session = driver.open(config);
  session.onDrop(() => undefined);
  try {
    await withTimeout(session.connect(), timeoutMs, `connect to ${driver.endpoint(config)}: no answer within ${timeoutMs} ms`);
    return ok(await use(session, driver));
  } catch (e) {
    return err(parxError('connection', `${driver.endpoint(config)}: ${e instanceof Error ? e.message : String(e)}`));
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** `target`: a URL (`parx probe`) or a connection's settings ("Test connection" in the UI). */
export async function probe(target: string | ConnectionConfig, signals: readonly string[], timeoutMs = 10_000): Promise<Result<ProbeValue[]>> {
  return withSession(target, timeoutMs, async (session, driver) => {
    const results: ProbeValue[] = signals.map((signal) => ({ signal, value: null, quality: 'bad', ts: nowMs() }));
    const parsed: { index: number; address: unknown }[] = [];
    signals.forEach((signal, index) => {
      const a = driver.parseAddress(signal);
      if (a.ok) parsed.push({ index, address: a.value });
      else results[index] = { signal, value: null, quality: 'bad', ts: nowMs(), error: a.error.message };
    });
    if (parsed.length === 0) return results;
    const addresses = parsed.map((p) => p.address);
    const put = (i: number, value: number, quality: number, ts: number, error?: string): void => {
      const index = parsed[i]?.index;
      if (index === undefined) return;
      const q = qualityName(quality);
      results[index] = { signal: signals[index] as string, value: Number.isNaN(value) ? null : value, quality: q, ts, ...(error ? { error } : {}) };
    };
    if (session.prepare && session.read) {
      const read = await withTimeout(session.read(session.prepare(addresses)), timeoutMs, `read: no answer within ${timeoutMs} ms`);
      // Errors name their address; give each bad signal its own, all of them only when none matches.
      const reason = (i: number): string => {
        const own = read.errors.filter((e) => e.startsWith(`${signals[parsed[i]?.index ?? 0]}:`));
        return (own.length ? own : read.errors).join('; ') || 'no value';
      };
      addresses.forEach((_, i) => put(i, read.values[i] as number, read.quality[i] as number, nowMs(), (read.quality[i] as number) === Quality.bad ? reason(i) : undefined));
      return results;
    }
    if (!session.subscribe) throw new Error('this driver can neither read nor subscribe');
    const seen = new Set<number>();
    /** Signals that so far got only "nothing yet" (a bad sample marked waiting): kept, but a value may still come before the timeout. */
    const provisional = new Set<number>();
    const errors: string[] = [];
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const sub = await session.subscribe(addresses, 100, {
      samples: (list) => {
        for (const s of list) {
          if (seen.has(s.index)) continue;
          // The sample's own reason where the driver gives one; else the latest error it reported before pushing it.
          put(s.index, s.value, s.quality, s.ts, s.quality === Quality.bad ? (s.error ?? errors[errors.length - 1] ?? 'bad quality') : undefined);
          // EGD reports "no packet yet" as bad after its stale period (1 s): not an answer, so
          // the probe waits on for a value until its own timeout.
          if (s.waiting) provisional.add(s.index);
          else {
            seen.add(s.index);
            provisional.delete(s.index);
          }
        }
        if (seen.size === addresses.length) done();
      },
      error: (m) => errors.push(m),
    });
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs))]);
    await sub.close().catch(() => undefined);
    addresses.forEach((_, i) => {
      if (!seen.has(i) && !provisional.has(i)) put(i, NaN, Quality.bad, nowMs(), errors.join('; ') || `no value within ${timeoutMs} ms`);
    });
    return results;
  });
}

export async function browse(target: string | ConnectionConfig, parent: string | null, timeoutMs = 5000): Promise<Result<BrowseItem[]>> {
  return withSession(target, timeoutMs + 1000, async (session) => {
    if (!session.browse) throw new Error('this protocol offers no browsing; see its register or tag map');
    return session.browse(parent, { timeoutMs });
  });
}
