/**
 * A strip processing line (pickling / galvanizing style) that behaves like one: coils are
 * threaded at crawl speed, ramped up, run, slowed down and tailed out; tension, furnace
 * temperatures and drive current follow the speed with the lags a real line shows.
 * Time comes only from the caller, so the same seed and the same clock give the same plant.
 */

export type LinePhase = 'thread' | 'accelerate' | 'run' | 'decelerate' | 'tailout';

export interface LineState {
  timeMs: number;
  phase: LinePhase;
  /** m/min */
  lineSpeed: number;
  /** kN */
  entryTension: number;
  /** kN */
  exitTension: number;
  /** µm */
  thicknessDeviation: number;
  /** mm */
  stripWidth: number;
  /** °C */
  furnaceZone1Temp: number;
  /** °C */
  furnaceZone2Temp: number;
  /** A */
  mainDriveCurrent: number;
  /** m since the weld of the current coil */
  coilLength: number;
  coilId: number;
  weldSeam: boolean;
  tensionHighAlarm: boolean;
}

export interface LineOptions {
  seed?: number;
  startMs?: number;
  /** Nominal coil length in m; each coil varies ±8 % around it. */
  coilLengthM?: number;
  /** m/min */
  runSpeed?: number;
  /** The run phase ends when the coil is nearly through; a `run` duration only caps it. */
  phaseDurationsS?: Partial<Record<LinePhase, number>>;
}

export const TENSION_HIGH_LIMIT_KN = 58;
export const FIRST_COIL_ID = 250001;

/** Fixed ticks make the plant independent of how often it is polled, not just roughly so. */
const TICK_MS = 10;
const TICK_S = TICK_MS / 1000;
/** A laptop waking from sleep must not make one call integrate hours; beyond this the clock just jumps. */
const MAX_CATCH_UP_MS = 15 * 60_000;
const WELD_PULSE_S = 1;
const CRAWL_SPEED = 15;

const DEFAULT_DURATIONS_S: Record<LinePhase, number> = { thread: 5, accelerate: 12, run: Number.POSITIVE_INFINITY, decelerate: 9, tailout: 4 };

/** mulberry32: tiny, fast, and good enough for process noise. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Speed ramps follow an S-curve: drives limit jerk, and acceleration peaks mid-ramp at 1.5× its mean. */
function sCurve(x: number): number {
  const s = Math.min(1, Math.max(0, x));
  return s * s * (3 - 2 * s);
}

interface Coil {
  id: number;
  targetLengthM: number;
  widthMm: number;
  /** Off-gauge amplitude at head and tail, µm. */
  headGauge: number;
  tailGauge: number;
  /** kN per m/s² of tension disturbance while the line changes speed (inertia compensation never is perfect). */
  entryTensionGain: number;
  exitTensionGain: number;
}

export class StripLine {
  private readonly random: () => number;
  private readonly durations: Record<LinePhase, number>;
  private readonly runSpeed: number;
  private readonly crawlSpeed: number;
  private readonly coilLengthM: number;

  private tickMs: number;
  private phase: LinePhase = 'thread';
  private phaseElapsedS = 0;
  private rampFromSpeed: number;
  private speed: number;
  private acceleration = 0;
  private coil: Coil;
  private coilLength = 0;
  private weldLeftS = WELD_PULSE_S;
  private entryTension = 18;
  private exitTension = 20;
  private gaugeWander = 0;
  private furnaceDrift1 = 0;
  private furnaceDrift2 = 0;
  /** Fast and slow lags of the relative speed; their difference is the heat the strip takes before the burners catch up. */
  private heatLoad = { fast1: 0, slow1: 0, fast2: 0, slow2: 0 };
  /** Transmitter noise is drawn every tick, not every poll, so polling does not shift the random stream. */
  private readonly transmitterNoise = new Float64Array(8);
  private state: LineState;

  constructor(opts: LineOptions = {}) {
    this.random = mulberry32(opts.seed ?? 1);
    this.runSpeed = Math.max(1, opts.runSpeed ?? 600);
    this.crawlSpeed = Math.min(CRAWL_SPEED, this.runSpeed / 2);
    this.coilLengthM = Math.max(1, opts.coilLengthM ?? 600);
    this.durations = { ...DEFAULT_DURATIONS_S };
    for (const [phase, seconds] of Object.entries(opts.phaseDurationsS ?? {}) as [LinePhase, number | undefined][]) {
      if (seconds !== undefined && seconds >= 0) this.durations[phase] = Math.max(TICK_S, seconds);
    }
    this.tickMs = opts.startMs ?? 0;
    this.speed = this.crawlSpeed;
    this.rampFromSpeed = this.crawlSpeed;
    const relative = this.crawlSpeed / this.runSpeed;
    this.heatLoad = { fast1: relative, slow1: relative, fast2: relative, slow2: relative };
    this.coil = this.newCoil(FIRST_COIL_ID);
    this.drawTransmitterNoise();
    this.state = this.measure();
  }

  /** Advances to nowMs and returns a fresh snapshot. A clock that goes backwards changes nothing. */
  step(nowMs: number): LineState {
    if (nowMs - this.tickMs > MAX_CATCH_UP_MS) this.tickMs = nowMs - MAX_CATCH_UP_MS;
    let ticked = false;
    while (this.tickMs + TICK_MS <= nowMs) {
      this.tick();
      this.tickMs += TICK_MS;
      ticked = true;
    }
    if (ticked) this.state = this.measure();
    if (nowMs > this.state.timeMs) this.state.timeMs = nowMs;
    return { ...this.state };
  }

  private newCoil(id: number): Coil {
    const r = this.random;
    const sign = () => (r() < 0.5 ? -1 : 1);
    return {
      id,
      targetLengthM: this.coilLengthM * (0.92 + 0.16 * r()),
      widthMm: 1000 + 50 * Math.floor(r() * 11),
      headGauge: sign() * (15 + 20 * r()),
      tailGauge: sign() * (10 + 20 * r()),
      entryTensionGain: 1 + 2 * r(),
      exitTensionGain: 3.5 + 4 * r(),
    };
  }

  private gauss(): number {
    const u = 1 - this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private enter(phase: LinePhase): void {
    this.phase = phase;
    this.phaseElapsedS = 0;
    this.rampFromSpeed = this.speed;
  }

  /** Length the strip travels while slowing from run speed to crawl and tailing out. */
  private stoppingDistanceM(): number {
    const ramp = ((this.speed + this.crawlSpeed) / 2) * (this.durations.decelerate / 60);
    const tail = this.crawlSpeed * (this.durations.tailout / 60);
    return ramp + tail;
  }

  private advancePhase(): void {
    this.phaseElapsedS += TICK_S;
    const progress = this.phaseElapsedS / this.durations[this.phase];
    switch (this.phase) {
      case 'thread':
        this.speed = this.crawlSpeed;
        if (progress >= 1) this.enter('accelerate');
        break;
      case 'accelerate':
        this.speed = this.rampFromSpeed + (this.runSpeed - this.rampFromSpeed) * sCurve(progress);
        if (progress >= 1) this.enter('run');
        break;
      case 'run':
        this.speed = this.runSpeed;
        if (this.coil.targetLengthM - this.coilLength <= this.stoppingDistanceM() || progress >= 1) this.enter('decelerate');
        break;
      case 'decelerate':
        this.speed = this.crawlSpeed + (this.rampFromSpeed - this.crawlSpeed) * (1 - sCurve(progress));
        if (progress >= 1) this.enter('tailout');
        break;
      case 'tailout':
        this.speed = this.crawlSpeed;
        if (progress >= 1) {
          this.coil = this.newCoil(this.coil.id + 1);
          this.coilLength = 0;
          this.weldLeftS = WELD_PULSE_S;
          this.enter('thread');
        }
        break;
    }
  }

  private tick(): void {
    const before = this.speed;
    this.advancePhase();
    this.acceleration = (this.speed - before) / 60 / TICK_S;
    this.coilLength += (this.speed / 60) * TICK_S;
    this.weldLeftS -= TICK_S;

    const threading = this.phase === 'thread' || this.phase === 'tailout';
    const entryTarget = (threading ? 18 : 46) + this.coil.entryTensionGain * this.acceleration;
    const exitTarget = (threading ? 20 : 52) + this.coil.exitTensionGain * this.acceleration;
    this.entryTension += ((entryTarget - this.entryTension) * TICK_S) / 0.8;
    this.exitTension += ((exitTarget - this.exitTension) * TICK_S) / 0.8;

    // Ornstein-Uhlenbeck wander: slow, bounded, never a straight line.
    this.gaugeWander += (-this.gaugeWander / 3) * TICK_S + 1.2 * Math.sqrt(TICK_S) * this.gauss();
    this.furnaceDrift1 += (-this.furnaceDrift1 / 120) * TICK_S + 0.3 * Math.sqrt(TICK_S) * this.gauss();
    this.furnaceDrift2 += (-this.furnaceDrift2 / 180) * TICK_S + 0.25 * Math.sqrt(TICK_S) * this.gauss();

    const relative = this.speed / this.runSpeed;
    const h = this.heatLoad;
    h.fast1 += ((relative - h.fast1) * TICK_S) / 8;
    h.slow1 += ((relative - h.slow1) * TICK_S) / 45;
    h.fast2 += ((relative - h.fast2) * TICK_S) / 14;
    h.slow2 += ((relative - h.slow2) * TICK_S) / 70;
    this.drawTransmitterNoise();
  }

  private drawTransmitterNoise(): void {
    for (let i = 0; i < this.transmitterNoise.length; i++) this.transmitterNoise[i] = this.gauss();
  }

  /** Instrument readings: the true values plus the small noise a transmitter adds. */
  private measure(): LineState {
    const [n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0] = this.transmitterNoise;
    const entryTension = this.entryTension + 0.25 * n0;
    const exitTension = this.exitTension + 0.25 * n1;
    const remaining = Math.max(0, this.coil.targetLengthM - this.coilLength);
    const offGauge = this.coil.headGauge * Math.exp(-this.coilLength / 8) + this.coil.tailGauge * Math.exp(-remaining / 8);
    const h = this.heatLoad;
    const current = 110 + 0.85 * this.speed + 4.2 * (this.entryTension + this.exitTension) + 380 * this.acceleration + 4 * n2;
    return {
      timeMs: this.tickMs,
      phase: this.phase,
      lineSpeed: Math.max(0, this.speed + 0.2 * n3),
      entryTension,
      exitTension,
      thicknessDeviation: this.gaugeWander + offGauge + 1.2 * n4,
      stripWidth: this.coil.widthMm + 0.3 * n5,
      furnaceZone1Temp: 780 + this.furnaceDrift1 - 18 * (h.fast1 - h.slow1) + 0.3 * n6,
      furnaceZone2Temp: 820 + this.furnaceDrift2 - 10 * (h.fast2 - h.slow2) + 0.3 * n7,
      mainDriveCurrent: Math.max(0, current),
      coilLength: this.coilLength,
      coilId: this.coil.id,
      weldSeam: this.weldLeftS > 0,
      tensionHighAlarm: entryTension > TENSION_HIGH_LIMIT_KN || exitTension > TENSION_HIGH_LIMIT_KN,
    };
  }
}
