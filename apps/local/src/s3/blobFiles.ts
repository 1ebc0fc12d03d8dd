/**
 * Object bodies on disk: written to a temp file, fsynced, then renamed into the blob directory under
 * a random name, so a crash never leaves a partial body where a reader could find it. Blob names are
 * generated here, never derived from keys.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { createHash, randomUUID } from "node:crypto"
import { constants as FsConstants } from "node:fs"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { S3Errors, type S3Error } from "./S3Error.js"

/** The directories of a store. */
export interface BlobDirs {
  readonly root: string
  readonly blobs: string
  readonly tmp: string
  /** Whether bodies and the blob directory are fsynced before a blob is published. */
  readonly fsync: boolean
}

/** Where the store keeps its files under a data directory. */
export const blobDirs = (dataDir: string, fsync = true): BlobDirs => {
  const root = Path.join(Path.resolve(dataDir), "s3")
  return { root, blobs: Path.join(root, "blobs"), tmp: Path.join(root, "tmp"), fsync }
}

const failure = (what: string) => (cause: unknown): S3Error =>
  S3Errors.internal(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`)

const isNotFound = (cause: unknown): boolean =>
  typeof cause === "object" && cause !== null && (cause as { code?: unknown }).code === "ENOENT"

/** Creates the store's directories. */
export const ensureDirs = (dirs: BlobDirs): Effect.Effect<void, S3Error> =>
  Effect.tryPromise({
    try: async () => {
      await Fs.mkdir(dirs.blobs, { recursive: true })
      await Fs.mkdir(dirs.tmp, { recursive: true })
    },
    catch: failure("cannot create the data directory")
  })

/** A fresh temp file path (not created). */
export const tempPath = (dirs: BlobDirs): string => Path.join(dirs.tmp, `${randomUUID()}.part`)

/** The path of a blob, by its name. */
export const blobPath = (dirs: BlobDirs, name: string): string => Path.join(dirs.blobs, name)

/** Removes a file; a missing file is fine. */
export const removeFile = (path: string): Effect.Effect<void> =>
  Effect.promise(() => Fs.rm(path, { force: true }).catch(() => undefined))

const fsyncDir = async (dir: string): Promise<void> => {
  const handle = await Fs.open(dir, "r")
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** What was written to a temp file. */
export interface Written {
  readonly tempPath: string
  readonly size: number
  /** The MD5 of the bytes written. */
  readonly md5: Buffer
}

/** How a body is written. */
export interface WriteLimits {
  /** The most bytes accepted; one more and the write fails with `tooLarge`. */
  readonly maxBytes: number
  readonly tooLarge: () => S3Error
}

/**
 * Streams `body` into a new temp file with a running MD5, then fsyncs it. On any failure (including
 * the size limit, or interruption) the temp file is removed.
 */
export const writeTemp = <E>(
  dirs: BlobDirs,
  body: Stream.Stream<Uint8Array, E>,
  limits: WriteLimits
): Effect.Effect<Written, E | S3Error> =>
  Effect.suspend(() => {
    const path = tempPath(dirs)
    const hash = createHash("md5")
    let size = 0
    return Effect.acquireUseRelease(
      Effect.tryPromise({ try: () => Fs.open(path, "wx"), catch: failure("cannot create a temp file") }),
      (handle) =>
        body.pipe(
          Stream.runForEach((bytes) => {
            if (bytes.length === 0) return Effect.void
            size += bytes.length
            if (size > limits.maxBytes) return Effect.fail(limits.tooLarge())
            hash.update(bytes)
            return Effect.tryPromise({
              try: () => writeAll(handle, bytes),
              catch: failure("cannot write a temp file")
            })
          }),
          Effect.zipRight(Effect.tryPromise({
            try: () => (dirs.fsync ? handle.sync() : Promise.resolve()),
            catch: failure("cannot fsync a temp file")
          }))
        ),
      (handle) => Effect.promise(() => handle.close().catch(() => undefined))
    ).pipe(
      Effect.map((): Written => ({ tempPath: path, size, md5: hash.digest() })),
      Effect.onExit((exit) => (exit._tag === "Failure" ? removeFile(path) : Effect.void))
    )
  })

const writeAll = async (handle: Fs.FileHandle, bytes: Uint8Array): Promise<void> => {
  let offset = 0
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset)
    offset += bytesWritten
  }
}

/** Fsyncs a file written elsewhere and hashes it; fails if it is larger than `maxBytes`. */
export const hashFile = (dirs: BlobDirs, path: string, limits: WriteLimits): Effect.Effect<{ size: number; md5: Buffer }, S3Error> =>
  Effect.tryPromise({
    try: async () => {
      const handle = await Fs.open(path, "r+")
      try {
        const { size } = await handle.stat()
        if (size > limits.maxBytes) return { size, md5: undefined }
        const hash = createHash("md5")
        const buffer = Buffer.allocUnsafe(1 << 20)
        let position = 0
        while (position < size) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
          if (bytesRead === 0) break
          hash.update(buffer.subarray(0, bytesRead))
          position += bytesRead
        }
        if (dirs.fsync) await handle.sync()
        return { size: position, md5: hash.digest() }
      } finally {
        await handle.close()
      }
    },
    catch: failure(`cannot read ${path}`)
  }).pipe(
    Effect.flatMap(({ md5, size }) => (md5 === undefined ? Effect.fail(limits.tooLarge()) : Effect.succeed({ size, md5 })))
  )

/** Fsyncs a file written elsewhere and returns its size; fails if it is larger than `maxBytes`. */
export const syncFile = (dirs: BlobDirs, path: string, limits: WriteLimits): Effect.Effect<number, S3Error> =>
  Effect.tryPromise({
    try: async () => {
      const handle = await Fs.open(path, "r+")
      try {
        const { size } = await handle.stat()
        if (size <= limits.maxBytes && dirs.fsync) await handle.sync()
        return size
      } finally {
        await handle.close()
      }
    },
    catch: failure(`cannot read ${path}`)
  }).pipe(Effect.filterOrFail((size) => size <= limits.maxBytes, () => limits.tooLarge()))

/**
 * Moves a fully written, fsynced file into the blob directory under a new random name (an atomic
 * rename, falling back to copy + fsync + rename across file systems) and returns that name.
 */
export const publish = (dirs: BlobDirs, path: string): Effect.Effect<string, S3Error> =>
  Effect.tryPromise({
    try: async () => {
      const name = randomUUID()
      const target = blobPath(dirs, name)
      try {
        await Fs.rename(path, target)
      } catch (cause) {
        if ((cause as { code?: unknown }).code !== "EXDEV") throw cause
        const staged = tempPath(dirs)
        await Fs.copyFile(path, staged)
        const handle = await Fs.open(staged, "r+")
        try {
          if (dirs.fsync) await handle.sync()
        } finally {
          await handle.close()
        }
        await Fs.rename(staged, target)
        await Fs.rm(path, { force: true })
      }
      if (dirs.fsync) await fsyncDir(dirs.blobs)
      return name
    },
    catch: failure("cannot publish a blob")
  })

/** Concatenates blobs into a new temp file, fsynced. */
export const concatTemp = (dirs: BlobDirs, names: ReadonlyArray<string>): Effect.Effect<Written, S3Error> =>
  Effect.suspend(() => {
    const path = tempPath(dirs)
    return Effect.tryPromise({
      try: async () => {
        const out = await Fs.open(path, "wx")
        let size = 0
        try {
          const buffer = Buffer.allocUnsafe(1 << 20)
          for (const name of names) {
            const input = await Fs.open(blobPath(dirs, name), "r")
            try {
              for (;;) {
                const { bytesRead } = await input.read(buffer, 0, buffer.length, null)
                if (bytesRead === 0) break
                await writeAll(out, buffer.subarray(0, bytesRead))
                size += bytesRead
              }
            } finally {
              await input.close()
            }
          }
          if (dirs.fsync) await out.sync()
        } finally {
          await out.close()
        }
        return { tempPath: path, size, md5: Buffer.alloc(0) }
      },
      catch: failure("cannot assemble the parts")
    }).pipe(Effect.onExit((exit) => (exit._tag === "Failure" ? removeFile(path) : Effect.void)))
  })

/** An open blob, read by position. Closing is the caller's (scope's) business. */
export interface OpenBlob {
  readonly handle: Fs.FileHandle
}

/** Opens a blob for reading; `None` when it is gone (replaced or deleted meanwhile). */
export const openBlob = (dirs: BlobDirs, name: string): Effect.Effect<Option.Option<Fs.FileHandle>, S3Error> =>
  Effect.tryPromise({
    try: () =>
      Fs.open(blobPath(dirs, name), "r").then(
        (handle) => Option.some(handle),
        (cause) => {
          if (isNotFound(cause)) return Option.none()
          throw cause
        }
      ),
    catch: failure("cannot open a blob")
  })

/** Reads `[start, end)` of an open file fully. */
export const readAt = async (handle: Fs.FileHandle, start: number, end: number): Promise<Uint8Array> => {
  const buffer = new Uint8Array(Math.max(0, end - start))
  await readInto(handle, start, buffer)
  return buffer
}

/**
 * Copies the blob `name`, whose open `handle` the caller holds, to the file `target` (created or
 * replaced; not fsynced: the copy is the caller's file). By name first: the file system copies
 * (a clone where it can) without the bytes passing through this process. Blobs are never
 * written in place and their names never reused, so a copy by name is the handle's content;
 * if the name is gone (the object was replaced or deleted since it was opened), the handle's
 * bytes are copied instead. Returns the bytes copied.
 */
export const copyBlobTo = async (dirs: BlobDirs, name: string, handle: Fs.FileHandle, size: number, target: string): Promise<number> => {
  try {
    await Fs.copyFile(blobPath(dirs, name), target, FsConstants.COPYFILE_FICLONE)
    return size
  } catch (cause) {
    if (!isNotFound(cause)) throw cause
  }
  const out = await Fs.open(target, "w")
  try {
    const piece = new Uint8Array(Math.min(Math.max(size, 1), 8 << 20))
    for (let at = 0; at < size; at += piece.length) {
      const bytes = piece.subarray(0, Math.min(piece.length, size - at))
      await readInto(handle, at, bytes)
      await out.write(bytes, 0, bytes.length, at)
    }
  } finally {
    await out.close()
  }
  return size
}

/** Reads `[start, start + target.length)` of an open file into `target`. */
export const readInto = async (handle: Fs.FileHandle, start: number, target: Uint8Array): Promise<void> => {
  let offset = 0
  while (offset < target.length) {
    const { bytesRead } = await handle.read(target, offset, target.length - offset, start + offset)
    if (bytesRead === 0) throw new Error(`blob ended at ${start + offset}, before ${start + target.length}`)
    offset += bytesRead
  }
}

const CHUNK = 256 * 1024

/** Streams `[start, end)` of an open file in chunks. */
export const streamAt = (handle: Fs.FileHandle, start: number, end: number): Stream.Stream<Uint8Array, S3Error> =>
  Stream.unfoldChunkEffect(start, (position) =>
    position >= end
      ? Effect.succeed(Option.none())
      : Effect.tryPromise({
        try: () => readAt(handle, position, Math.min(end, position + CHUNK)),
        catch: failure("cannot read a blob")
      }).pipe(Effect.map((bytes) => Option.some([Chunk.of(bytes), position + bytes.length] as const))))

/** Names of the files in a directory (none if it is missing). */
export const listDir = (dir: string): Effect.Effect<ReadonlyArray<string>, S3Error> =>
  Effect.tryPromise({
    try: () => Fs.readdir(dir).catch((cause) => (isNotFound(cause) ? [] : Promise.reject(cause))),
    catch: failure(`cannot list ${dir}`)
  })
