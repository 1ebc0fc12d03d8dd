/**
 * The Micro clients' credentials sources under their former home.
 *
 * @deprecated Import `@geojobs/sigv4/NodeMicroCredentials` (the same module): Node's credential
 * chains, for Effect and for Micro, live in `@geojobs/sigv4`.
 * @since 0.1.0
 */
export * from "@geojobs/sigv4/NodeMicroCredentials"
