'use client';

import { deploymentRoutes } from '@wharf/contracts';
import { useMemo, useRef, useState } from 'react';
import { ProblemAlert } from '@/components/problem-alert';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useApp } from './app-provider';
import { filterLines, logFileName, logFileText, splitMatches } from './log-search';
import { StreamState } from './stream-state';
import { type LogLine, MAX_LINES, useLogStream } from './use-log-stream';
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

/** The line's text with the occurrences of the search marked. */
function LineText({ text, query }: { text: string; query: string }) {
  return (
    <span className="log-text">
      {splitMatches(text, query).map((part, i) =>
        part.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text, in order, never reordered
          <mark key={i} className="log-match" data-testid="log-match">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </span>
  );
}

/** "Download": the loaded lines as a `.log` file, through a link to a Blob made on the click (and let go of after). */
function DownloadButton({ lines, name }: { lines: readonly LogLine[]; name: () => string }) {
  const { t } = useI18n();
  function download() {
    const url = URL.createObjectURL(new Blob([logFileText(lines)], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name();
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }
  return (
    <button
      type="button"
      className="button button-ghost button-small"
      disabled={lines.length === 0}
      onClick={download}
      data-testid="logs-download"
    >
      {t('logs.download')}
    </button>
  );
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
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterLines(logs.lines, query), [logs.lines, query]);
  const panel = useRef<HTMLDivElement>(null);
  const stick = useStickToBottom(panel, shown);
  const searching = query.trim() !== '';

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
        <DownloadButton lines={logs.lines} name={() => logFileName({ app: app.name, service, environment }, new Date())} />
      </div>
      <div className="log-search">
        <label className="log-search-field">
          <span className="visually-hidden">{t('logs.search')}</span>
          <input
            type="search"
            className="input"
            value={query}
            placeholder={t('logs.searchPlaceholder')}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-testid="logs-search"
          />
        </label>
        {searching && (
          <span className="muted" role="status" data-testid="logs-match-count">
            {t('logs.matchCount', { shown: formatNumber(shown.length), total: formatNumber(logs.lines.length) })}
          </span>
        )}
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
        {shown.length === 0 ? (
          <p className="log-empty">{searching && logs.lines.length > 0 ? t('logs.noMatch') : t('logs.empty')}</p>
        ) : (
          shown.map((line) => (
            <div key={line.id} className={`log-line log-${line.stream}`} data-testid="log-line">
              <time className="log-time" dateTime={line.at} title={line.at}>
                {formatTime(line.at)}
              </time>
              <span className="log-source" title={line.source}>
                {line.source}
              </span>
              <LineText text={line.line} query={query} />
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
