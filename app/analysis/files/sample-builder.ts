/** Growable columns of samples (ts ms, signal id, value, quality): what a foreign table becomes before it is written. */
export class SampleBuilder {
  ts = new Float64Array(1024);
  signal = new Uint32Array(1024);
  value = new Float64Array(1024);
  quality = new Uint8Array(1024);
  length = 0;

  push(ts: number, signal: number, value: number, quality: number): void {
    if (this.length === this.ts.length) this.grow();
    const i = this.length++;
    this.ts[i] = ts;
    this.signal[i] = signal;
    this.value[i] = value;
    this.quality[i] = quality;
  }

  private grow(): void {
    const n = this.ts.length * 2;
    const ts = new Float64Array(n);
    ts.set(this.ts);
    const signal = new Uint32Array(n);
    signal.set(this.signal);
    const value = new Float64Array(n);
    value.set(this.value);
    const quality = new Uint8Array(n);
    quality.set(this.quality);
    Object.assign(this, { ts, signal, value, quality });
  }
}
