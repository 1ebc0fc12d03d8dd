#!/usr/bin/env node
// The `geojobs` executable: loads the TypeScript entry point through tsx (a devDependency of the
// workspace root), in this process, so signals and exit codes need no relaying.
import { register } from "tsx/esm/api"

register()
await import("../src/bin.ts")
