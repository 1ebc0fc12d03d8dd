// Entry of the validation worker threads (ValidatePool) when the engine runs from its TypeScript
// sources (tsx, vitest): a worker thread does not inherit its process's TypeScript loader, so
// ValidateWorker.ts is imported through tsx's scoped loader (tsx is a dev dependency of the
// workspace). Built code starts ValidateWorker.js directly.
const { tsImport } = await import("tsx/esm/api")
await tsImport("./ValidateWorker.ts", import.meta.url)
