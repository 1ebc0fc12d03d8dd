// Entry of the CSV → Parquet worker threads (NodeParallel) when the package runs from its
// TypeScript sources (tsx, vitest): a worker thread does not inherit its process's TypeScript
// loader, so CsvParquetWorker.ts is imported through tsx's scoped loader (tsx is a dev dependency
// of the workspace). Built code starts CsvParquetWorker.js directly.
const { tsImport } = await import("tsx/esm/api")
await tsImport("./CsvParquetWorker.ts", import.meta.url)
