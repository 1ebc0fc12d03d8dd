/** JSON-like values, as the printers take them. */
export type Plain = string | number | boolean | null | ReadonlyArray<Plain> | { readonly [key: string]: Plain }

/** Not a list or an object. */
export const isScalar = (v: Plain): v is string | number | boolean | null => v === null || typeof v !== "object"

/** A scalar as Python's `str` writes it (the AWS CLI's text and table cells). */
export const scalarText = (v: string | number | boolean | null): string =>
  v === null ? "None" : v === true ? "True" : v === false ? "False" : String(v)
