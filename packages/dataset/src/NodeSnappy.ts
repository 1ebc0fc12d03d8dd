/**
 * Native Snappy for Node: the page compressor of the `snappy` package (napi-rs bindings to the
 * Rust `snap` crate, a prebuilt binary per platform from the npm registry), when it is installed.
 * It is an optional dependency of `@geojobs/dataset`: where its binary is missing (an unusual
 * platform, `--no-optional`, a bundle without it) the writer keeps its built-in JavaScript Snappy.
 *
 * Both give standard raw Snappy that every reader decodes (pyarrow, DuckDB, hyparquet); they do
 * not give the same bytes, so a file's bytes depend on which one wrote it, never its rows. The
 * native one compresses address pages faster, a visible share of the local service's validation
 * pipeline (the engine section of `pnpm bench` measures it).
 *
 * ```ts
 * Parquet.rowGroupEncoder(columns, { snappy: NodeSnappy.compressor() })
 * ```
 *
 * @since 0.1.0
 */
import { createRequire } from "node:module"
import { compress as builtIn } from "./internal/snappy.js"

/** A page compressor: raw Snappy of `page`, in a fresh array. */
export type Compress = (page: Uint8Array) => Uint8Array

/** What `loadNative` needs of a module loader (Node's `require`; a test passes its own). */
export type Loader = (id: string) => unknown

interface SnappyModule {
  readonly compressSync: (input: Uint8Array, options?: { readonly copyOutputData?: boolean }) => Uint8Array
}

const isSnappyModule = (m: unknown): m is SnappyModule =>
  typeof m === "object" && m !== null && typeof (m as { compressSync?: unknown }).compressSync === "function"

/**
 * The native compressor loaded through `load`, or why it could not be: not installed, its
 * binary failed to load, or the module is not the `snappy` package's shape. Never throws.
 */
export const loadNative = (load: Loader): { readonly compress: Compress } | { readonly unavailable: string } => {
  let m: unknown
  try {
    m = load("snappy")
  } catch (e) {
    return { unavailable: e instanceof Error ? e.message.split("\n")[0]! : String(e) }
  }
  if (!isSnappyModule(m)) return { unavailable: "the module named snappy has no compressSync" }
  const native = m
  // `compressSync` returns a Buffer: a Uint8Array, which is what the encoder keeps.
  // `copyOutputData`: the compressed page comes back in a buffer V8 allocates (and frees when a
  // young-generation collection finds it dead, as it is once the encoder has copied it), the
  // native side's own buffer freed at once. Without it every page's buffer is the native
  // allocator's, handed to V8 as external memory and released only by a finalizer: in the local
  // service's workers that kept tens of MB more resident over a large job, for no CPU gain.
  const options = { copyOutputData: true } as const
  return { compress: (page) => native.compressSync(page, options) }
}

let cached: Compress | undefined

/**
 * The fastest Snappy compressor this process has: the native one when the `snappy` package
 * loads, else the built-in JavaScript one. Loaded once per thread (worker threads load their own).
 */
export const compressor = (): Compress => {
  if (cached === undefined) {
    const native = loadNative(createRequire(import.meta.url))
    cached = "compress" in native ? native.compress : builtIn
  }
  return cached
}

/** Whether `compressor()` is the native one (for logs and benchmarks). */
export const isNative = (): boolean => compressor() !== builtIn
