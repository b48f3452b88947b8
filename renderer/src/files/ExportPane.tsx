/**
 * The export dialog: signals of a source over a range (whole, current batch, visible range,
 * between the cursors) to CSV, XLSX, JSON or Parquet, raw or resampled, with annotations;
 * a progress bar and Cancel while the engine writes.
 */
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../app/shared/contract';
import type { ExportFormat } from '../../../app/shared/contract/files';
import { useSession } from '../session-context';
import { useAnalysis } from '../analysis/analysis-store';
import { chosenRange, rangeParams, RangePicker, SourcePicker, useBatches, type RangeMode } from './source-tools';
import './files.css';

export function ExportPane(): React.JSX.Element {
  const { transport } = useSession();
  const [source, setSource] = useState('');
  const { signals, batches, error: sourceError } = useBatches(source);
  const [chosen, setChosen] = useState<string[]>([]);
  const [mode, setMode] = useState<RangeMode>(() => (useAnalysis.getState().ranges.time ? 'visible' : 'all'));
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [resample, setResample] = useState('');
  const [out, setOut] = useState('export');
  const [job, setJob] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number; phase: string } | null>(null);
  const [result, setResult] = useState<ResultOf<'files.export'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = transport.on('files.export.progress', (p) => {
      if (p.job === job) setProgress(p);
    });
    return () => d.dispose();
  }, [transport, job]);
  // Start from the first few signals of a newly chosen source.
  useEffect(() => setChosen((c) => (c.length && c.every((n) => signals.some((s) => s.name === n)) ? c : signals.slice(0, 2).map((s) => s.name))), [signals]);

  const range = chosenRange(mode);
  const resampleMs = resample.trim() ? Number(resample) : undefined;
  const problem = !source ? 'choose a source' : chosen.length === 0 ? 'choose at least one signal' : range.problem ?? (resampleMs !== undefined && !(resampleMs > 0) ? 'the resampling step must be a number of ms above 0' : null);

  const run = async (): Promise<void> => {
    const id = `export-${Date.now().toString(36)}`;
    setJob(id);
    setError(null);
    setResult(null);
    setProgress({ done: 0, total: 1, phase: 'starting' });
    const r = await transport.call('files.export', {
      source,
      signals: chosen,
      format,
      out,
      job: id,
      ...rangeParams(range),
      ...(resampleMs !== undefined ? { resampleMs } : {}),
    });
    setJob(null);
    if (r.ok) setResult(r.value);
    else setError(r.error.message);
  };

  const cancel = (): void => {
    if (job) void transport.call('files.export.cancel', { job });
  };

  const pct = progress && progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0;
  return (
    <div className="files-pane" data-testid="export-pane">
      <SourcePicker value={source} onChange={setSource} />
      {sourceError ? <div className="error">{sourceError}</div> : null}
      {batches.length > 0 ? <div className="muted">{batches.length} batch(es)</div> : null}
      <h4>Signals</h4>
      <div className="signals-box" data-testid="export-signals">
        {signals.map((s) => (
          <label key={s.name}>
            <input type="checkbox" checked={chosen.includes(s.name)} onChange={(e) => setChosen(e.target.checked ? [...chosen, s.name] : chosen.filter((n) => n !== s.name))} /> {s.name}
            {s.unit ? <span className="muted"> [{s.unit}]</span> : null}
          </label>
        ))}
        {signals.length === 0 ? <span className="muted">no signals yet</span> : null}
      </div>
      <RangePicker mode={mode} onChange={setMode} />
      <div className="row">
        <label>
          Format{' '}
          <select data-testid="export-format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            <option value="csv">CSV</option>
            <option value="xlsx">Excel (XLSX)</option>
            <option value="json">JSON</option>
            <option value="parquet">Parquet (ParX batch file)</option>
          </select>
        </label>
        <label>
          Resample every <input className="narrow" data-testid="export-resample" value={resample} placeholder="raw" onChange={(e) => setResample(e.target.value)} size={6} /> ms
        </label>
      </div>
      <div className="row">
        <label>
          File <input className="grow" data-testid="export-out" value={out} onChange={(e) => setOut(e.target.value)} />
        </label>
        <span className="muted">(a bare name goes to the workspace's exports folder)</span>
      </div>
      <div className="row">
        <button type="button" data-testid="export-run" disabled={problem !== null || job !== null} onClick={() => void run()}>
          Export
        </button>
        {job ? (
          <>
            <progress data-testid="export-progress" max={100} value={pct} />
            <span className="muted" data-testid="export-phase">
              {progress?.phase} {pct}%
            </span>
            <button type="button" data-testid="export-cancel" onClick={cancel}>
              Cancel
            </button>
          </>
        ) : null}
        {problem && !job ? <span className="warn">{problem}</span> : null}
      </div>
      {error ? (
        <div className="error" data-testid="export-error">
          {error}
        </div>
      ) : null}
      {result ? (
        <div className="ok" data-testid="export-result" data-file={result.file}>
          Wrote {result.rows.toLocaleString()} rows ({result.samples.toLocaleString()} samples, {result.annotations} annotation(s), {(result.bytes / 1024).toFixed(1)} kB) to <span className="mono">{result.file}</span>
          {result.skipped.map((x) => (
            <div key={x.file} className="warn" data-testid="export-skipped">
              left out {x.file}: {x.message}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
