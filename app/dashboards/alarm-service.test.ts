import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveBus } from '../engine/live-bus';
import { tempDir, waitFor } from '../testing/helpers';
import type { AlarmOccurrence } from '../shared/dashboards/alarm-schema';
import { AlarmService, type AlarmHost } from './alarm-service';

const SIGNALS = [
  { id: 0, name: 'Exit Tension', unit: 'kN' },
  { id: 1, name: 'Line Speed', unit: 'm/min' },
];

function host(workspace: string, bus: LiveBus, events: AlarmOccurrence[]): AlarmHost {
  return {
    workspace,
    signalByName: (n) => SIGNALS.find((s) => s.name === n),
    subscribe: (ids, rate, sink) => bus.subscribe(ids, rate, sink),
    broadcast: (event, payload) => {
      if (event === 'alarm.changed') events.push(payload as AlarmOccurrence);
    },
    log: () => undefined,
  };
}

function batch(signal: number, samples: [number, number][]) {
  return {
    signal: Uint32Array.from(samples.map(() => signal)),
    ts: Float64Array.from(samples.map((s) => s[0])),
    value: Float64Array.from(samples.map((s) => s[1])),
    quality: new Uint8Array(samples.length),
  };
}

describe('AlarmService', () => {
  it('raises, acknowledges with a comment and clears a limit alarm; the history survives a restart', async () => {
    const ws = await tempDir();
    const bus = new LiveBus();
    const events: AlarmOccurrence[] = [];
    const svc = await AlarmService.start(host(ws, bus, events));
    const defined = await svc.define([{ id: 'tension-hi', kind: 'limit', message: 'Exit tension high', priority: 3, signal: 'Exit Tension', direction: 'hi', setpoint: 58, deadband: 2, onDelayMs: 0, enabled: true }]);
    expect(defined.problems).toEqual([]);
    expect(JSON.parse(await fs.readFile(path.join(ws, 'alarms.json'), 'utf8')).version).toBe(1);

    bus.publish(batch(0, [[1000, 50], [1100, 59], [1200, 57]]));
    await waitFor(() => events.length >= 1, 'raise');
    expect(events[0]).toMatchObject({ alarm: 'tension-hi', state: 'active', activeAt: 1100, value: 59 });

    const acked = svc.ack(events[0]!.key, 'operator saw it', 5000);
    expect(acked).toMatchObject({ state: 'acknowledged', ackAt: 5000, ackComment: 'operator saw it' });

    bus.publish(batch(0, [[1300, 55]]));
    await waitFor(() => events.length >= 3, 'clear');
    expect(events[2]).toMatchObject({ state: 'cleared', clearedAt: 1300, ackComment: 'operator saw it' });
    await svc.stop();

    // A new service on the same workspace reads definitions and history back.
    const again = await AlarmService.start(host(ws, new LiveBus(), []));
    const listed = again.list(10);
    expect(listed.definitions.map((d) => d.id)).toEqual(['tension-hi']);
    expect(listed.occurrences[0]).toMatchObject({ key: events[0]!.key, state: 'cleared', ackComment: 'operator saw it' });
    await again.stop();
    bus.dispose();
  });

  it('history(from, to) finds the occurrences active in a range, in their final state, even ones trimmed from memory', async () => {
    const ws = await tempDir();
    const bus = new LiveBus();
    const svc = await AlarmService.start(host(ws, bus, []));
    await svc.define([{ id: 'tension-hi', kind: 'limit', message: 'Exit tension high', priority: 3, signal: 'Exit Tension', direction: 'hi', setpoint: 58, deadband: 2, onDelayMs: 0, enabled: true }]);
    // Three raises: [1100, 1300), [2100, 2300), [3100, still open).
    for (const base of [1000, 2000, 3000]) bus.publish(batch(0, [[base, 50], [base + 100, 59], ...(base < 3000 ? ([[base + 300, 50]] as [number, number][]) : [])]));
    await waitFor(() => svc.list(10).occurrences.filter((o) => o.clearedAt !== null || o.activeAt === 3100).length === 3, 'three raises, two cleared');
    await svc.stop();
    // A torn line (a crash mid-append) is skipped, not fatal.
    await fs.appendFile(path.join(ws, 'alarms-history.jsonl'), '{"key":"tension-hi@9","activeAt":9,');

    const again = await AlarmService.start(host(ws, new LiveBus(), []));
    const at = async (from: number, to: number) => (await again.history(from, to, 100)).map((o) => [o.activeAt, o.clearedAt]);
    expect(await at(0, 1e9)).toEqual([[1100, 1300], [2100, 2300], [3100, null]]);
    expect(await at(1250, 1260)).toEqual([[1100, 1300]]); // inside the first, by its final (cleared) state
    expect(await at(1400, 2000)).toEqual([]); // between two occurrences
    expect(await at(5000, 6000)).toEqual([[3100, null]]); // the open one covers everything after it
    expect(await again.history(0, 1e9, 2)).toHaveLength(2);
    await again.stop();
  });

  it('runs formula alarms through the stream evaluator and names definitions that cannot run', async () => {
    const ws = await tempDir();
    const bus = new LiveBus();
    const events: AlarmOccurrence[] = [];
    const svc = await AlarmService.start(host(ws, bus, events));
    const r = await svc.define([
      { id: 'fast', kind: 'formula', message: 'Line too fast', priority: 2, formula: '[Line Speed] > 600', onDelayMs: 0, enabled: true },
      { id: 'ghost', kind: 'limit', message: 'No such signal', priority: 1, signal: 'Ghost', direction: 'lo', setpoint: 1, deadband: 0, onDelayMs: 0, enabled: true },
    ]);
    expect(r.problems).toEqual([{ alarm: 'ghost', message: 'no signal named "Ghost"' }]);
    bus.publish(batch(1, [[1000, 500], [1100, 650], [1200, 700]]));
    await waitFor(() => events.length >= 1, 'formula raise');
    expect(events[0]).toMatchObject({ alarm: 'fast', state: 'active', activeAt: 1100, value: null });
    await svc.stop();
    bus.dispose();
  });

  it('does not overwrite a broken alarms.json', async () => {
    const ws = await tempDir();
    await fs.writeFile(path.join(ws, 'alarms.json'), '{"version": 1, "alarms": [{"id": "x"}]}');
    const logs: string[] = [];
    const svc = await AlarmService.start({ ...host(ws, new LiveBus(), []), log: (_l, m) => logs.push(m) });
    expect(svc.list(10).definitions).toEqual([]);
    expect(logs.join('\n')).toMatch(/alarms\.json is invalid/);
    expect(await fs.readFile(path.join(ws, 'alarms.json'), 'utf8')).toContain('"id": "x"');
    await svc.stop();
  });
});
