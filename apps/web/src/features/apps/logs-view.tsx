'use client';

import { deploymentRoutes } from '@wharf/contracts';
import { useMemo, useRef, useState } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { StreamState } from './stream-state';
import { MAX_LINES, useLogStream } from './use-log-stream';
import { useStickToBottom } from './use-stick-to-bottom';

/** The services of what an environment runs (an image app: its one service). */
function useServices(environment: string): string[] {
  const { app, params } = useApp();
  const current = app.environments.find((e) => e.name === environment)?.currentDeploymentId ?? null;
  const deployment = useResource(
    (signal) =>
      current && app.kind === 'compose'
        ? api(deploymentRoutes.get, { params: { ...params, deploymentId: current } }, { signal })
        : Promise.resolve(null),
    [params, current, app.kind],
  );
  return app.kind === 'compose' ? (deployment.data?.services ?? []) : [app.service];
}

/** The app's log, live: every replica's lines with time and source, newest at the bottom. */
export function LogsView() {
  const { t, formatTime, formatNumber } = useI18n();
  const { app, params } = useApp();
  const [environment, setEnvironment] = useState(app.environment);
  const services = useServices(environment);
  const [chosen, setChosen] = useState<string>();
  const service = chosen && services.includes(chosen) ? chosen : (services[0] ?? app.service);
  const logParams = useMemo(() => ({ ...params, service, environment }), [params, service, environment]);
  const logs = useLogStream(logParams);
  const panel = useRef<HTMLDivElement>(null);
  const stick = useStickToBottom(panel, logs.lines);

  return (
    <section className="card" aria-labelledby="logs-title" data-testid="logs-view">
      <div className="log-toolbar">
        <h2 id="logs-title" className="log-title">
          {t('logs.title')}
        </h2>
        <StreamState stream={logs.stream} />
        <span className="spacer" />
        {app.environments.length > 1 && (
          <label className="log-select">
            <span className="visually-hidden">{t('logs.environment')}</span>
            <select value={environment} onChange={(e) => setEnvironment(e.currentTarget.value)} data-testid="logs-environment">
              {app.environments.map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {services.length > 1 && (
          <label className="log-select">
            <span className="visually-hidden">{t('logs.service')}</span>
            <select value={service} onChange={(e) => setChosen(e.currentTarget.value)} data-testid="logs-service">
              {services.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className="button button-secondary button-small"
          aria-pressed={logs.paused}
          onClick={() => logs.setPaused(!logs.paused)}
          data-testid="logs-pause"
        >
          {logs.paused ? (logs.pending > 0 ? t('logs.resumeWith', { count: logs.pending }) : t('logs.resume')) : t('logs.pause')}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={logs.clear}>
          {t('logs.clear')}
        </button>
      </div>
      <div
        ref={panel}
        className="log-panel log-panel-tall"
        onScroll={stick.onScroll}
        role="log"
        aria-label={t('logs.title')}
        data-testid="log-lines"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable with the keyboard
        tabIndex={0}
      >
        {logs.lines.length === 0 ? (
          <p className="log-empty">{t('logs.empty')}</p>
        ) : (
          logs.lines.map((line) => (
            <div key={line.id} className={`log-line log-${line.stream}`} data-testid="log-line">
              <time className="log-time" dateTime={line.at} title={line.at}>
                {formatTime(line.at)}
              </time>
              <span className="log-source" title={line.source}>
                {line.source}
              </span>
              <span className="log-text">{line.line}</span>
            </div>
          ))
        )}
      </div>
      {!stick.atBottom && (
        <button type="button" className="button button-secondary button-small log-jump" onClick={stick.jumpToBottom}>
          {t('logs.jumpToLatest')}
        </button>
      )}
      {logs.stream.status === 'failed' && <ProblemAlert error={logs.stream.error} />}
      <p className="field-hint">{t('logs.hint', { max: formatNumber(MAX_LINES) })}</p>
    </section>
  );
}
