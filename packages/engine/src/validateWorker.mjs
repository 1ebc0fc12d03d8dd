// Entry of the validation worker threads (ValidatePool). The worker is TypeScript, and a worker
// thread does not inherit the TypeScript loader of its process (tsx, vitest), so it is imported
// through tsx's scoped loader (tsx is a dev dependency of the workspace).
const { tsImport } = await import("tsx/esm/api")
await tsImport("./ValidateWorker.ts", import.meta.url)
