/**
 * @geojobs/address — the ValidateAddress engine: parse, normalise, check against reference data,
 * and build output rows with the exact `Output_*` columns of Amazon Location's jobs.
 *
 * Prefer sub-path imports (`@geojobs/address/Engine`) in hot code.
 * @since 0.1.0
 */
export * as AustraliaReference from "./AustraliaReference.js"
export * as Countries from "./Countries.js"
export * as Engine from "./Engine.js"
export * as Gazetteer from "./Gazetteer.js"
export * as Normalize from "./Normalize.js"
export * as Outcome from "./Outcome.js"
export * as Output from "./Output.js"
export * as Parse from "./Parse.js"
export * as PostalCodes from "./PostalCodes.js"
/** @deprecated Use `UnitedStatesReference` (the same module). */
export * as Reference from "./Reference.js"
export * as Regions from "./Regions.js"
export * as ResultSummary from "./ResultSummary.js"
export * as Status from "./Status.js"
export * as UnitedStatesReference from "./UnitedStatesReference.js"
export * as Validation from "./Validation.js"
