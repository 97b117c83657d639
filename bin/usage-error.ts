// A command called the wrong way (a bad flag, a missing file argument): `aida` prints it and exits 2.
export class UsageError extends Error {}
