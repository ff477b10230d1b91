/** An error answer of the fake Aliyun endpoints: the HTTP status and the Code/Message the SDK turns into its error. */
export class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
