/**
 * Runtime-neutral byte sources and sinks. Every reader in this package reads from a
 * {@link ByteSource} (random access, like hyparquet's `AsyncBuffer`), and every writer writes
 * to a {@link ByteSink}. `NodeFile` provides both over local files; a local emulator can
 * implement them over its own object store.
 *
 * @since 0.1.0
 */

/**
 * Random-access bytes: a file, an S3 object, a buffer. Readers only ever ask for the ranges
 * they need (the Parquet footer and one row group at a time; CSV/JSONL sequentially in
 * blocks), so `slice` should read just that range.
 */
export interface ByteSource {
  readonly byteLength: number
  /** Bytes `[start, end)`. The returned buffer is owned by the caller. */
  slice(start: number, end: number): Promise<ArrayBuffer>
  /**
   * Optional: reads the bytes `[start, start + target.length)` into `target` (which may be a
   * view of a `SharedArrayBuffer`), for a reader that brings its own memory (`Parquet`'s
   * `readRaw` with memory it reuses). Fails when the source ends first.
   */
  readInto?(start: number, target: Uint8Array): Promise<void>
}

/**
 * Where a writer's bytes go. `write` is called with consecutive pieces of the output; the
 * piece's memory may be reused by the writer once the promise resolves, so a sink that keeps
 * bytes must copy them. `close` commits (a file sink renames its temp file into place),
 * `abort` discards everything written so far. Exactly one of `close`/`abort` is called.
 */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>
  close(): Promise<void>
  abort(): Promise<void>
}

/** A source over bytes already in memory. */
export const fromBytes = (bytes: Uint8Array | ArrayBuffer): ByteSource => {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  return {
    byteLength: view.byteLength,
    slice: (start, end) => {
      // copy through a plain Uint8Array: a Node Buffer's `slice` is a view into a shared pool
      const from = Math.max(0, Math.min(start, view.byteLength))
      const to = Math.max(from, Math.min(end, view.byteLength))
      const copy = new Uint8Array(to - from)
      copy.set(view.subarray(from, to))
      return Promise.resolve(copy.buffer)
    }
  }
}

/** A source over a string, UTF-8 encoded. */
export const fromString = (text: string): ByteSource => fromBytes(new TextEncoder().encode(text))

/** An in-memory sink: `bytes()` returns everything written once closed. */
export interface MemorySink extends ByteSink {
  /** The bytes written; throws unless `close` was called. */
  bytes(): Uint8Array
  readonly state: "open" | "closed" | "aborted"
}

/** The pieces one after the other, in one new array. */
export const concat = (pieces: ReadonlyArray<Uint8Array>): Uint8Array => {
  let length = 0
  for (const piece of pieces) length += piece.byteLength
  const joined = new Uint8Array(length)
  let offset = 0
  for (const piece of pieces) {
    joined.set(piece, offset)
    offset += piece.byteLength
  }
  return joined
}

/** A sink that collects the output in memory (tests, and emulator stores that take a buffer). */
export const memorySink = (): MemorySink => {
  const parts: Array<Uint8Array> = []
  let state: "open" | "closed" | "aborted" = "open"
  let result: Uint8Array | undefined
  return {
    get state() {
      return state
    },
    write(bytes) {
      if (state !== "open") return Promise.reject(new Error(`sink is ${state}`))
      parts.push(bytes.slice())
      return Promise.resolve()
    },
    close() {
      state = "closed"
      return Promise.resolve()
    },
    abort() {
      state = "aborted"
      parts.length = 0
      return Promise.resolve()
    },
    bytes() {
      if (state !== "closed") throw new Error(`sink is ${state}`)
      result ??= concat(parts)
      return result
    }
  }
}

/**
 * Reads a source front to back in blocks of `blockSize` bytes (1 MiB by default), one block
 * in memory at a time.
 */
export async function* blocks(source: ByteSource, blockSize = 1 << 20): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < source.byteLength; start += blockSize) {
    const end = Math.min(source.byteLength, start + blockSize)
    yield new Uint8Array(await source.slice(start, end))
  }
}

/**
 * Buffers small writes into blocks of about `blockSize` bytes before handing them to the
 * sink, so text writers do not issue one write per row.
 */
export class BlockWriter {
  private buffer: Uint8Array
  private length = 0
  private readonly encoder = new TextEncoder()
  constructor(
    readonly sink: ByteSink,
    readonly blockSize = 1 << 20
  ) {
    this.buffer = new Uint8Array(blockSize)
  }
  /** Appends text; resolves once any full block has been handed to the sink. */
  writeText(text: string): Promise<void> | undefined {
    // worst case 3 bytes per UTF-16 unit
    if (this.length + text.length * 3 > this.buffer.byteLength) {
      if (this.length > 0) {
        const flushed = this.flush()
        return flushed.then(() => this.writeText(text))
      }
      const bytes = this.encoder.encode(text)
      return this.sink.write(bytes)
    }
    const { written } = this.encoder.encodeInto(text, this.buffer.subarray(this.length))
    this.length += written
    return this.length >= this.blockSize / 2 ? this.flush() : undefined
  }
  /** Hands buffered bytes to the sink. */
  flush(): Promise<void> {
    if (this.length === 0) return Promise.resolve()
    const bytes = this.buffer.subarray(0, this.length)
    this.length = 0
    const done = this.sink.write(bytes)
    // the sink may keep the view until it resolves: use a fresh buffer for the next block
    this.buffer = new Uint8Array(this.blockSize)
    return done
  }
}
