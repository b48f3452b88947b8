/**
 * The formula editor: Monaco with the formula language (highlighting, completion of signals
 * and functions, hover docs, squiggles at the exact position from the shared checker), a
 * function-library browser, a live preview of the result over the recent live data
 * (formulas.preview, debounced while typing), and "Save as derived signal".
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { useEchart } from '../charts/use-echart';
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { IDockviewPanelProps } from 'dockview-react';
import { FUNCTION_LIBRARY, type FormulaDiagnostic } from '../../../app/shared/formula';
import { useParx } from '../store';
import { useSession } from '../session-context';
import { checkText, FORMULA_LANGUAGE, functionMarkdown, monaco, registerFormulaLanguage, setDiagnostics } from './monaco-formula';
import { filterFunctions } from './function-search';
import './formulas.css';

echarts.use([LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface FormulaEditorParams {
  formula?: string;
}

const PREVIEW_DEBOUNCE_MS = 300;
const PREVIEW_REFRESH_MS = 2000;
const PREVIEW_POINTS = 1500;

type Preview = { state: 'idle' } | { state: 'loading' } | { state: 'ok'; t: Float64Array; v: Float64Array; unit: string; samples: number } | { state: 'error'; message: string };

function usePreview(formula: string, valid: boolean): Preview {
  const { transport } = useSession();
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  useEffect(() => {
    if (!valid) {
      setPreview({ state: 'idle' });
      return;
    }
    let live = true;
    let refresh: ReturnType<typeof setInterval> | undefined;
    const load = async (): Promise<void> => {
      const r = await transport.call('formulas.preview', { formula, points: PREVIEW_POINTS });
      if (!live) return;
      setPreview(r.ok ? { state: 'ok', ...r.value } : { state: 'error', message: r.error.message });
    };
    // Debounced while typing; then kept current with the live data.
    const start = setTimeout(() => {
      void load();
      refresh = setInterval(() => void load(), PREVIEW_REFRESH_MS);
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(start);
      if (refresh) clearInterval(refresh);
    };
  }, [transport, formula, valid]);
  return preview;
}

function PreviewChart({ preview, unit }: { preview: Preview; unit: string }): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const chart = useEchart(host, (c) => {
    c.setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 24, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', axisLabel: { color: '#aaa', hideOverlap: true }, splitLine: { show: true, lineStyle: { color: '#333' } } },
      yAxis: { type: 'value', scale: true, name: '', nameTextStyle: { color: '#aaa' }, axisLabel: { color: '#aaa' }, splitLine: { lineStyle: { color: '#333' } } },
      series: [{ type: 'line', showSymbol: false, connectNulls: false, lineStyle: { width: 1.5, color: '#4fc3f7' }, dimensions: ['t', 'v'], data: new Float64Array(0) }],
    });
  }, []);
  useEffect(() => {
    const c = chart.current;
    const el = host.current;
    if (!c || !el) return;
    const ok = preview.state === 'ok';
    const n = ok ? preview.t.length : 0;
    const xy = new Float64Array(n * 2);
    if (ok) for (let i = 0; i < n; i++) {
      xy[2 * i] = preview.t[i]!;
      xy[2 * i + 1] = preview.v[i]!;
    }
    c.setOption({ yAxis: { name: unit || '' }, series: [{ data: xy }] });
    el.dataset.points = String(n);
  }, [chart, preview, unit]);
  return <div className="fe-chart" data-testid="formula-preview" ref={host} />;
}

function SaveForm({ formula, unit, disabled }: { formula: string; unit: string | null; disabled: boolean }): React.JSX.Element {
  const { transport } = useSession();
  const [name, setName] = useState('');
  const [unitText, setUnit] = useState('');
  const [description, setDescription] = useState('');
  const [persist, setPersist] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (): Promise<void> => {
    setResult(null);
    const r = await transport.call('derived.save', { derived: { name: name.trim(), unit: unitText.trim() || (unit ?? ''), description, formula, persist } });
    setResult(r.ok ? { ok: true, text: `Saved "${name.trim()}": it is in the Signals list and can be put on a trend.` } : { ok: false, text: `${r.error.path ? `${r.error.path}: ` : ''}${r.error.message}` });
  };
  return (
    <form
      className="fe-save"
      data-testid="derived-save"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <strong>Save as derived signal</strong>
      <label>
        Name <input aria-label="derived signal name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Speed (m/s)" />
      </label>
      <label>
        Unit <input aria-label="derived signal unit" className="narrow" value={unitText} onChange={(e) => setUnit(e.target.value)} placeholder={unit ?? ''} />
      </label>
      <label className="grow">
        Description <input aria-label="derived signal description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label title="Also write it into recorded batch files (otherwise it is computed when shown)">
        <input type="checkbox" checked={persist} onChange={(e) => setPersist(e.target.checked)} /> record
      </label>
      <button type="submit" disabled={disabled || name.trim() === ''}>
        Save
      </button>
      {result ? (
        <div className={result.ok ? 'fe-ok' : 'fe-error'} data-testid="derived-result" data-ok={String(result.ok)}>
          {result.text}
        </div>
      ) : null}
    </form>
  );
}

function FunctionLibrary({ onInsert }: { onInsert: (name: string) => void }): React.JSX.Element {
  const [query, setQuery] = useState('');
  const list = useMemo(() => filterFunctions(FUNCTION_LIBRARY, query), [query]);
  return (
    <aside className="fe-library" data-testid="function-library">
      <input aria-label="search functions" placeholder="Search functions…" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul>
        {list.map((f) => (
          <li key={f.name}>
            <button type="button" data-testid="function-item" data-function={f.name} title={`${functionMarkdown(f).replaceAll('**', '').replaceAll('`', '')}`} onClick={() => onInsert(f.name)}>
              <code>{f.signature}</code>
              <span>{f.description}</span>
            </button>
          </li>
        ))}
        {list.length === 0 ? <li className="muted">No function matches "{query}".</li> : null}
      </ul>
    </aside>
  );
}

function statusText(diagnostics: readonly FormulaDiagnostic[], unit: string | null, empty: boolean): { state: string; text: string } {
  if (empty) return { state: 'empty', text: 'Type a formula: signals in [brackets], functions from the library (Ctrl+Space completes).' };
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error) return { state: 'error', text: `${error.message} (at ${error.start})` };
  const warning = diagnostics.find((d) => d.severity === 'warning');
  const u = `result unit: ${unit || 'none'}`;
  return warning ? { state: 'warning', text: `${u} · warning: ${warning.message}` } : { state: 'ok', text: u };
}

export function FormulaEditorPane(props: IDockviewPanelProps<FormulaEditorParams>): React.JSX.Element {
  const signals = useParx((s) => s.signals);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [text, setText] = useState(props.params.formula ?? '');
  const checked = useMemo(() => checkText(text, signals), [text, signals]);
  const valid = text.trim() !== '' && !checked.diagnostics.some((d) => d.severity === 'error');
  const preview = usePreview(text, valid);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    registerFormulaLanguage(() => useParx.getState().signals);
    const e = monaco.editor.create(el, {
      value: text,
      language: FORMULA_LANGUAGE,
      theme: 'vs-dark',
      minimap: { enabled: false },
      lineNumbers: 'off',
      glyphMargin: false,
      folding: false,
      wordWrap: 'on',
      scrollBeyondLastLine: false,
      automaticLayout: true,
      fontSize: 14,
      fixedOverflowWidgets: true,
      ariaLabel: 'formula',
    });
    editor.current = e;
    const sub = e.onDidChangeModelContent(() => setText(e.getValue()));
    e.focus();
    return () => {
      sub.dispose();
      e.dispose();
      editor.current = null;
    };
    // The editor is created once; its text then lives in Monaco (text state follows it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (model) setDiagnostics(model, checked.diagnostics);
  }, [checked]);

  const insertFunction = (name: string): void => {
    const e = editor.current;
    if (!e) return;
    const selection = e.getSelection() ?? new monaco.Selection(1, 1, 1, 1);
    e.executeEdits('function-library', [{ range: selection, text: `${name}()`, forceMoveMarkers: true }]);
    const end = e.getPosition();
    if (end) e.setPosition({ lineNumber: end.lineNumber, column: end.column - 1 });
    e.focus();
  };

  const status = statusText(checked.diagnostics, checked.unit, text.trim() === '');
  const previewNote =
    preview.state === 'ok'
      ? preview.samples === 0
        ? 'no recent live data for these signals yet'
        : `${preview.samples.toLocaleString()} samples of the last minutes`
      : preview.state === 'error'
        ? preview.message
        : valid
          ? 'evaluating…'
          : '';
  return (
    <div className="formula-editor" data-testid="formula-editor">
      <div className="fe-main">
        <div className="fe-code" data-testid="formula-code" ref={host} />
        <div className="fe-status" data-testid="formula-status" data-state={status.state}>
          {status.text}
        </div>
        <div className="fe-preview-head">
          <strong>Live preview</strong> <span className="muted" data-testid="preview-note">{previewNote}</span>
        </div>
        <PreviewChart preview={preview} unit={checked.unit ?? ''} />
        <SaveForm formula={text} unit={checked.unit} disabled={!valid} />
      </div>
      <FunctionLibrary onInsert={insertFunction} />
    </div>
  );
}
