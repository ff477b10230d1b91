export type RegistryErrorKind = 'auth' | 'deletion_disabled' | 'unavailable' | 'invalid';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';

  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
