import type { LineState } from './line-model';

export interface DemoSignal {
  name: string;
  key: keyof LineState;
  unit: string;
  description: string;
}

export const DEMO_SIGNALS: readonly DemoSignal[] = [
  { name: 'Line Speed', key: 'lineSpeed', unit: 'm/min', description: 'Strip speed at the process section; crawl while threading, about 600 m/min in run' },
  { name: 'Entry Tension', key: 'entryTension', unit: 'kN', description: 'Strip tension at the entry bridle' },
  { name: 'Exit Tension', key: 'exitTension', unit: 'kN', description: 'Strip tension at the exit bridle; overshoots while the line accelerates' },
  { name: 'Thickness Deviation', key: 'thicknessDeviation', unit: 'µm', description: 'Deviation from nominal gauge at the exit gauge; off-gauge at head and tail' },
  { name: 'Strip Width', key: 'stripWidth', unit: 'mm', description: 'Measured strip width, set by the coil' },
  { name: 'Furnace Zone 1 Temp', key: 'furnaceZone1Temp', unit: '°C', description: 'Furnace zone 1 temperature; dips when the line speeds up' },
  { name: 'Furnace Zone 2 Temp', key: 'furnaceZone2Temp', unit: '°C', description: 'Furnace zone 2 temperature' },
  { name: 'Main Drive Current', key: 'mainDriveCurrent', unit: 'A', description: 'Armature current of the main process drive' },
  { name: 'Coil Length', key: 'coilLength', unit: 'm', description: 'Strip length processed since the weld of the current coil' },
  { name: 'Coil ID', key: 'coilId', unit: '', description: 'Number of the coil in the process section' },
  { name: 'Weld Seam', key: 'weldSeam', unit: '', description: 'Weld seam passing: about one second at the start of each coil' },
  { name: 'Tension High', key: 'tensionHighAlarm', unit: '', description: 'Entry or exit tension above 58 kN' },
];
