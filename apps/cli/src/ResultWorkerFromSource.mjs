// Entry of the result worker threads (ResultPass) when the CLI runs from its TypeScript sources
// (tsx, vitest): a worker thread does not inherit its process's TypeScript loader, so
// ResultWorker.ts is imported through tsx's scoped loader. Built code starts ResultWorker.js.
const { tsImport } = await import("tsx/esm/api")
await tsImport("./ResultWorker.ts", import.meta.url)
