/** `parx probe` over MQTT: each bad topic or JSON path gets its own reason, not the last one heard. */
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../collector/probe';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto';

let broker: Mosquitto | undefined;
afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

describe('probe errors per address (MQTT)', () => {
  it('names each bad signal with its own reason', async () => {
    broker = await startMosquitto();
    const pub = await connectAsync(broker.url, { reconnectPeriod: 0 });
    // Retained, so the probe gets them as soon as it subscribes.
    await pub.publishAsync('plant/a', 'not a number', { retain: true });
    await pub.publishAsync('plant/b', JSON.stringify({ x: 7, s: 'text' }), { retain: true });
    await pub.endAsync();
    const r = await probe(broker.url, ['plant/a', 'plant/b@$.y', 'plant/b@$.x', 'plant/b@$.s'], 10_000);
    if (!r.ok) throw new Error(r.error.message);
    const [a, y, x, s] = r.value;
    expect(a).toMatchObject({ quality: 'bad', error: expect.stringMatching(/^plant\/a: /) });
    expect(y).toMatchObject({ quality: 'bad', error: expect.stringMatching(/^plant\/b: .*\$\.y/) });
    expect(x).toMatchObject({ quality: 'good', value: 7 });
    expect(s).toMatchObject({ quality: 'bad', error: expect.stringMatching(/^plant\/b: value at \$\.s is a string/) });
  }, 30_000);
});
