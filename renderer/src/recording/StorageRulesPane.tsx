/**
 * Storage rules: the workspace's recording section as forms derived from the contract
 * schemas — signals, batching rule, triggers with their conditions and pre/post/dead times,
 * on-change deadbands, compression, format, destination, retention, and the InfluxDB output
 * (the workspace's `outputs.influx`). Every change is checked
 * by the engine (config.validate) and its messages appear at the fields; Save applies it
 * (config.save). Below, the trigger pool's live status.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import { InfluxOutputSchema, RecordingSchema, RetentionSchema, type WorkspaceConfig } from '../../../app/shared/contract';
import { OnChangeBandSchema, TriggerSchema } from '../../../app/shared/contract/trigger-config';
import { SchemaForm } from '../forms/SchemaForm';
import { formFields } from '../forms/schema-fields';
import { useSession } from '../session-context';
import { CONDITION_TYPES, conditionSchema, newBand, newCondition, newTrigger, OWN_EDITORS, problemsUnder, RULE_MODES, ruleSchema, tuneFields, unplaced, type Problem } from './storage-rules-model';
import { TriggerStatusList } from './TriggerStatusList';
import './storage-rules.css';

type Obj = Record<string, unknown>;

const GENERAL = formFields(RecordingSchema).filter((f) => !OWN_EDITORS.has(f.key));
const TRIGGER = formFields(TriggerSchema).filter((f) => f.key !== 'start' && f.key !== 'stop');
const BAND = formFields(OnChangeBandSchema);
const RETENTION = formFields(RetentionSchema);
const INFLUX_LABELS: Record<string, { label: string; kind?: 'password' }> = {
  url: { label: 'Server URL' },
  database: { label: 'Database (1.x)' },
  retentionPolicy: { label: 'Retention policy (1.x)' },
  bucket: { label: 'Bucket (2.x)' },
  org: { label: 'Org (2.x)' },
  token: { label: 'Token (2.x)', kind: 'password' },
};
// Labels in the server's words; the token is a secret. `signals` is not offered here: every recorded signal is published unless the configuration file narrows it.
const INFLUX = formFields(InfluxOutputSchema)
  .filter((f) => f.key !== 'signals' && f.key !== 'enabled')
  .map((f) => ({ ...f, ...INFLUX_LABELS[f.key] }));
const without = (key: string) => (f: { key: string }) => f.key !== key;

function ConditionEditor(props: { label: string; value: Obj | undefined; optional: boolean; prefix: string; problems: readonly Problem[]; signals: readonly string[]; onChange(v: Obj | undefined): void }): React.JSX.Element {
  const { value, onChange } = props;
  const type = value ? String(value.type) : '';
  const fields = useMemo(() => (type ? tuneFields(formFields(conditionSchema(type)).filter(without('type')), props.signals) : []), [type, props.signals]);
  return (
    <div className="condition" data-condition={props.label.toLowerCase()}>
      <div className="field">
        <label>{props.label}</label>
        <select data-testid="condition-type" value={type} onChange={(e) => onChange(e.target.value ? newCondition(e.target.value, props.signals[0] ?? '') : undefined)}>
          {props.optional ? <option value="">when the start no longer holds (edge: pre/post window only)</option> : null}
          {CONDITION_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      {value ? <SchemaForm fields={fields} value={value} errors={problemsUnder(props.problems, props.prefix)} onChange={(v) => onChange({ ...v, type })} /> : null}
    </div>
  );
}

export function StorageRulesPane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const [config, setConfig] = useState<WorkspaceConfig | null>(null);
  const [draft, setDraft] = useState<Obj | null>(null);
  /** The InfluxDB output's settings (undefined: none); saved with the recording section. */
  const [influx, setInflux] = useState<Obj | undefined>(undefined);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [checking, setChecking] = useState(false);

  const load = useCallback(async () => {
    const r = await transport.call('config.get', {});
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setConfig(r.value.config);
    setDraft((r.value.config.recording as Obj | undefined) ?? (RecordingSchema.parse({}) as Obj));
    setInflux(r.value.config.outputs?.influx as Obj | undefined);
  }, [transport]);

  useEffect(() => void load(), [load]);

  const candidate = useMemo(() => {
    if (!config || !draft) return null;
    // An undefined `influx` drops out of the JSON sent: unchecking removes the output.
    return { ...config, recording: draft, outputs: { ...config.outputs, influx } };
  }, [config, draft, influx]);

  // The engine checks every draft (debounced): its messages are the ones shown.
  useEffect(() => {
    if (!candidate) return;
    setChecking(true);
    const timer = setTimeout(() => {
      void transport.call('config.validate', { config: candidate }).then((r) => {
        setChecking(false);
        setProblems(r.ok ? r.value.problems : [{ path: '', message: r.error.message }]);
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [candidate, transport]);

  if (!config || !draft || !candidate) return <div className="storage-rules muted">{message?.text ?? 'Loading…'}</div>;

  const signals = config.signals.map((s) => s.name);
  const general = tuneFields(GENERAL, signals);
  const trigger = tuneFields(TRIGGER, signals);
  const band = tuneFields(BAND, signals);
  const first = signals[0] ?? '';
  const set = (patch: Obj): void => {
    setDraft({ ...draft, ...patch });
    setMessage(null);
  };
  const rule = (draft.rule as Obj | undefined) ?? { mode: 'continuous' };
  const ruleMode = String(rule.mode);
  const triggers = (draft.triggers as Obj[] | undefined) ?? [];
  const bands = (draft.onChange as Obj[] | undefined) ?? [];
  const selected = draft.signals as string[] | undefined;
  const retention = draft.retention as Obj | undefined;
  const setTrigger = (i: number, t: Obj | null): void => set({ triggers: t ? triggers.map((x, k) => (k === i ? t : x)) : triggers.filter((_, k) => k !== i) });
  const setBand = (i: number, b: Obj | null): void => set({ onChange: b ? bands.map((x, k) => (k === i ? b : x)) : bands.filter((_, k) => k !== i) });
  const recordingProblems = problems.filter((p) => p.path === 'recording' || p.path.startsWith('recording.') || p.path.startsWith('outputs.influx'));
  const elsewhere = unplaced(problems, ['recording', 'outputs.influx']);
  const setOutput = (v: Obj | undefined): void => {
    setInflux(v);
    setMessage(null);
  };

  const save = async (): Promise<void> => {
    const r = await transport.call('config.save', { config: candidate });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setMessage({ ok: true, text: `Saved and applied (${r.value.file}); the previous version is kept in history.` });
    await load();
  };

  return (
    <div className="storage-rules" data-testid="storage-rules">
      <div className="toolbar">
        <button type="button" data-testid="save-storage-rules" disabled={checking || recordingProblems.length > 0 || elsewhere.length > 0} onClick={() => void save()}>
          Save
        </button>
        <button type="button" onClick={() => void load()}>
          Revert
        </button>
        <span className="muted">{checking ? 'checking…' : recordingProblems.length ? `${recordingProblems.length} problem(s)` : 'valid'}</span>
        {message ? (
          <span className={message.ok ? 'ok' : 'field-error'} data-testid="storage-rules-message">
            {message.text}
          </span>
        ) : null}
      </div>
      {elsewhere.length ? (
        <ul className="field-error" data-testid="other-problems">
          {elsewhere.map((p) => (
            <li key={p.path + p.message}>
              {p.path}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}

      <section data-section="general">
        <h3>Recording</h3>
        <SchemaForm fields={general} value={draft} errors={problemsUnder(problems, 'recording')} onChange={(v) => set(v)} />
      </section>

      <section data-section="signals">
        <h3>Signals recorded</h3>
        <label className="inline">
          <input type="checkbox" checked={selected === undefined} onChange={(e) => set({ signals: e.target.checked ? undefined : [...signals] })} /> all signals
        </label>
        {selected !== undefined ? (
          <div className="signal-picks">
            {signals.map((s) => (
              <label key={s} className="inline">
                <input type="checkbox" checked={selected.includes(s)} onChange={(e) => set({ signals: e.target.checked ? [...selected, s] : selected.filter((x) => x !== s) })} /> {s}
              </label>
            ))}
          </div>
        ) : null}
        {problemsUnder(problems, 'recording').signals ? <div className="field-error">{problemsUnder(problems, 'recording').signals}</div> : null}
      </section>

      <section data-section="rule">
        <h3>Batching</h3>
        <div className="field">
          <label>Rule</label>
          <select data-testid="rule-mode" value={ruleMode} onChange={(e) => set({ rule: { mode: e.target.value } })}>
            {RULE_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <SchemaForm fields={tuneFields(formFields(ruleSchema(ruleMode)).filter(without('mode')), signals)} value={rule} errors={problemsUnder(problems, 'recording.rule')} onChange={(v) => set({ rule: { ...v, mode: ruleMode } })} />
        <p className="muted">With rule “manual” nothing records until started by hand — the triggers below still record their own batches.</p>
      </section>

      <section data-section="triggers">
        <h3>Triggers</h3>
        {triggers.map((t, i) => {
          const prefix = `recording.triggers[${i}]`;
          return (
            <div key={i} className="trigger-editor" data-testid={`trigger-${i}`}>
              <SchemaForm fields={trigger} value={t} errors={problemsUnder(problems, prefix)} onChange={(v) => setTrigger(i, { ...t, ...v })} />
              <ConditionEditor label="Start" optional={false} value={t.start as Obj} prefix={`${prefix}.start`} problems={problems} signals={signals} onChange={(c) => setTrigger(i, { ...t, start: c })} />
              <ConditionEditor
                label="Stop"
                optional
                value={t.stop as Obj | undefined}
                prefix={`${prefix}.stop`}
                problems={problems}
                signals={signals}
                onChange={(c) => {
                  const { stop: _stop, ...rest } = t;
                  setTrigger(i, c ? { ...rest, stop: c } : rest);
                }}
              />
              <button type="button" className="link" onClick={() => setTrigger(i, null)}>
                Remove trigger
              </button>
            </div>
          );
        })}
        <button type="button" data-testid="add-trigger" onClick={() => set({ triggers: [...triggers, newTrigger(triggers.length + 1, first)] })}>
          Add trigger
        </button>
      </section>

      <section data-section="on-change">
        <h3>On change (deadband)</h3>
        {bands.map((b, i) => (
          <div key={i} className="band-editor" data-testid={`band-${i}`}>
            <SchemaForm fields={band} value={b} errors={problemsUnder(problems, `recording.onChange[${i}]`)} onChange={(v) => setBand(i, v)} />
            <button type="button" className="link" onClick={() => setBand(i, null)}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => set({ onChange: [...bands, newBand(first)] })}>
          Add deadband
        </button>
      </section>

      <section data-section="retention">
        <h3>Retention</h3>
        <label className="inline">
          <input type="checkbox" checked={retention !== undefined} onChange={(e) => set({ retention: e.target.checked ? {} : undefined })} /> delete (or archive) old batch files
        </label>
        {retention ? <SchemaForm fields={tuneFields(RETENTION, signals)} value={retention} errors={problemsUnder(problems, 'recording.retention')} onChange={(v) => set({ retention: v })} /> : null}
      </section>

      <section data-section="influx">
        <h3>InfluxDB output</h3>
        <label className="inline">
          <input type="checkbox" data-testid="influx-enabled" checked={influx !== undefined && influx.enabled !== false} onChange={(e) => setOutput(e.target.checked ? { ...(influx ?? { url: 'http://127.0.0.1:8086', database: 'parx', measurement: 'parx' }), enabled: true } : influx ? { ...influx, enabled: false } : undefined)} /> publish
          the recorded signals to InfluxDB as they arrive (line protocol; retried through outages from the disk buffer)
        </label>
        {influx && influx.enabled !== false ? <SchemaForm fields={INFLUX} value={influx} errors={problemsUnder(problems, 'outputs.influx')} onChange={(v) => setOutput({ ...influx, ...v })} /> : null}
      </section>

      <section data-section="trigger-status">
        <h3>Trigger status</h3>
        <TriggerStatusList />
      </section>
    </div>
  );
}
