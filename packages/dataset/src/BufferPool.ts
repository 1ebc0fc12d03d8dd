/**
 * Memory kept for reuse, one pool per thread: a reader or encoder that would otherwise make a
 * fresh array per page or row group (zeroed, page-faulted in, and, when it outlives a
 * young-generation collection, held as external memory until V8's next full collection) takes
 * a view over a kept buffer instead and gives the buffer back once nothing reads it.
 *
 * Used for the local service's encoded output row groups (`ValidateChunk.outputBuffers`), its
 * raw input row groups (shared buffers, `ValidateFile`) and decompressed PLAIN pages
 * (`Parquet.pagePool`). Not thread-safe.
 *
 * @since 0.1.0
 */

/** A pool of buffers (see the module's doc). */
export interface BufferPool {
  /**
   * `length` bytes: a view from offset 0 over the smallest kept buffer that holds them, or over a
   * new buffer an eighth larger (rounded up to 64 KiB: the next requests are about as large).
   */
  readonly take: (length: number) => Uint8Array
  /**
   * Keeps `buffer` for a later `take`: only a buffer of the pool's kind (shared or not) and not
   * detached (a transferred one is empty). When the pool is full its smallest buffers go first; a
   * buffer larger than `maxBytes` alone is not kept.
   */
  readonly give: (buffer: ArrayBufferLike) => void
}

/** How much a pool keeps, and of which kind. */
export interface Options {
  /** At most this many buffers kept. */
  readonly maxBuffers: number
  /** At most this many bytes kept. Default: no bound but `maxBuffers`. */
  readonly maxBytes?: number | undefined
  /** `SharedArrayBuffer`s (to post to worker threads without copying) where the runtime has them. Default false. */
  readonly shared?: boolean | undefined
}

/** Makes an empty pool. */
export const make = (options: Options): BufferPool => {
  const shared = options.shared === true && typeof SharedArrayBuffer === "function"
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY
  const kept: Array<ArrayBufferLike> = []
  let bytes = 0
  const smallest = () => kept.reduce((m, b, i) => (b.byteLength < kept[m]!.byteLength ? i : m), 0)
  const drop = (at: number) => {
    bytes -= kept[at]!.byteLength
    return kept.splice(at, 1)[0]!
  }
  return {
    take: (length) => {
      let best = -1
      for (let i = 0; i < kept.length; i++) {
        const size = kept[i]!.byteLength
        if (size >= length && (best < 0 || size < kept[best]!.byteLength)) best = i
      }
      if (best >= 0) return new Uint8Array(drop(best), 0, length)
      const size = Math.ceil((length + (length >> 3)) / 65536) * 65536
      return new Uint8Array(shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size), 0, length)
    },
    give: (buffer) => {
      const kind = shared ? buffer instanceof SharedArrayBuffer : buffer instanceof ArrayBuffer
      if (!kind || buffer.byteLength === 0 || buffer.byteLength > maxBytes) return
      while (kept.length > 0 && (kept.length >= options.maxBuffers || bytes + buffer.byteLength > maxBytes)) drop(smallest())
      if (kept.length >= options.maxBuffers) return
      kept.push(buffer)
      bytes += buffer.byteLength
    }
  }
}
