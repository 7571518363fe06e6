// NGSI-LD ProblemDetails (ETSI GS CIM 009, clause 5.5.2): a type URI, a title and the status it answers with.
export const problemTypes = {
  InvalidRequest: 400,
  BadRequestData: 400,
  AlreadyExists: 409,
  OperationNotSupported: 422,
  ResourceNotFound: 404,
  InternalError: 500,
  TooComplexQuery: 403,
  TooManyResults: 403,
  LdContextNotAvailable: 503,
  NoMultiTenantSupport: 501,
  NonexistentTenant: 404,
  Unauthorized: 401,
  Forbidden: 403,
  LoopDetected: 508,
  // HTTP's own answers to media types (6.3.4, 6.3.6), in the same ProblemDetails form.
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
} as const;

export type ProblemType = keyof typeof problemTypes;

export class BrokerError extends Error {
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    /** Where HTTP has a more precise status than the type's (413 for a body too large). */
    private readonly statusOverride?: number,
  ) {
    super(detail);
  }
  get status() {
    return this.statusOverride ?? problemTypes[this.type];
  }
  toJSON() {
    return { type: `https://uri.etsi.org/ngsi-ld/errors/${this.type}`, title: this.type, status: this.status, detail: this.detail };
  }
}
