import type { Binding, environmentRoutes, RouteOutput } from '@wharf/contracts';

/** An environment as the API sends it. */
export type AppEnvironment = RouteOutput<typeof environmentRoutes.get>;
/** A binding as the API sends it (the other app's environment may be left to its default, production). */
export type SentBinding = AppEnvironment['bindings'][string];

export const BINDING_KINDS = ['none', 'address', 'url', 'service'] as const;
export type BindingKind = (typeof BINDING_KINDS)[number];

/** One external name's binding as the dialog edits it: every field a string, whatever the kind. */
export interface BindingDraft {
  kind: BindingKind;
  host: string;
  port: string;
  url: string;
  app: string;
  service: string;
  environment: string;
  /** The other app's port; empty: its HTTP port, else its first. */
  servicePort: string;
}

export type BindingField = Exclude<keyof BindingDraft, 'kind'>;

export type ReadBinding =
  | { ok: true; binding: Binding | undefined }
  | { ok: false; field: BindingField; problem: 'required' | 'port' | 'url' };

const EMPTY: BindingDraft = {
  kind: 'none',
  host: '',
  port: '',
  url: '',
  app: '',
  service: '',
  environment: 'production',
  servicePort: '',
};

/** The draft of a binding as the environment has it (`undefined`: not bound). */
export function draftOf(binding: SentBinding | undefined): BindingDraft {
  if (!binding) return { ...EMPTY };
  switch (binding.kind) {
    case 'address':
      return { ...EMPTY, kind: 'address', host: binding.host, port: String(binding.port) };
    case 'url':
      return { ...EMPTY, kind: 'url', url: binding.url };
    case 'service':
      return {
        ...EMPTY,
        kind: 'service',
        app: binding.app,
        service: binding.service,
        environment: binding.environment ?? 'production',
        servicePort: binding.port === undefined ? '' : String(binding.port),
      };
  }
}

function port(text: string): number | undefined {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) && value >= 1 && value <= 65_535 ? value : undefined;
}

/** The binding a draft describes, or the first field that keeps it from being one. The API checks the rest. */
export function readBinding(draft: BindingDraft): ReadBinding {
  switch (draft.kind) {
    case 'none':
      return { ok: true, binding: undefined };
    case 'address': {
      const host = draft.host.trim();
      if (!host) return { ok: false, field: 'host', problem: 'required' };
      const number = port(draft.port);
      if (number === undefined) return { ok: false, field: 'port', problem: draft.port.trim() ? 'port' : 'required' };
      return { ok: true, binding: { kind: 'address', host, port: number } };
    }
    case 'url': {
      const url = draft.url.trim();
      if (!url) return { ok: false, field: 'url', problem: 'required' };
      if (!URL.canParse(url) || new URL(url).hostname === '') return { ok: false, field: 'url', problem: 'url' };
      return { ok: true, binding: { kind: 'url', url } };
    }
    case 'service': {
      const app = draft.app.trim();
      const service = draft.service.trim();
      if (!app) return { ok: false, field: 'app', problem: 'required' };
      if (!service) return { ok: false, field: 'service', problem: 'required' };
      const environment = draft.environment.trim() || 'production';
      if (!draft.servicePort.trim()) return { ok: true, binding: { kind: 'service', app, service, environment } };
      const number = port(draft.servicePort);
      if (number === undefined) return { ok: false, field: 'servicePort', problem: 'port' };
      return { ok: true, binding: { kind: 'service', app, service, environment, port: number } };
    }
  }
}

/** A binding in a few words: `db.internal:5432`, the URL, or `app/service (environment):port`. */
export function describeBinding(binding: SentBinding): string {
  switch (binding.kind) {
    case 'address':
      return `${binding.host}:${binding.port}`;
    case 'url':
      return binding.url;
    case 'service': {
      const port = binding.port === undefined ? '' : `:${binding.port}`;
      return `${binding.app}/${binding.service} (${binding.environment ?? 'production'})${port}`;
    }
  }
}
