/**
 * The United States reference index under its former name.
 *
 * @deprecated Use `@geojobs/address/UnitedStatesReference` (the same module): this name read as
 * if it held every country's data, beside `AustraliaReference`.
 * @since 0.1.0
 */
export * from "./UnitedStatesReference.js"
