/**
 * A pool of worker threads that validate slices of input row groups (`SliceTask.SliceTask`:
 * column arrays in, one encoded Parquet row group out), so a job uses every core.
 *
 * Made once per service (scoped: the workers end when the scope closes); workers start on the
 * first task, not before, and a worker that dies fails its task and is replaced on the next one.
 * Tasks are served in submission order by whichever worker is free; callers keep the order of
 * their results (the runner awaits its slices in order).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as os from "node:os"
import { Worker } from "node:worker_threads"
import type { PoolHandle } from "./PoolHandle.js"
import type { SliceResult, SliceTask } from "./SliceTask.js"

/**
 * A worker failed (crashed, or threw on a task): the message says why. `input` is true when
 * the task's rows could not be decoded (a corrupt input row group, `SliceInputError`).
 */
export class ValidatePoolError {
  readonly _tag = "ValidatePoolError"
  constructor(readonly message: string, readonly input = false) {}
}

/** A pool of validation workers. */
export interface ValidatePool {
  /** How many workers it runs at most. */
  readonly size: number
  /** Validates one slice on a free worker. */
  readonly run: (task: SliceTask) => Effect.Effect<SliceResult, ValidatePoolError>
  /** Starts every worker now and waits until each has loaded the engine and its reference data. */
  readonly warm: Effect.Effect<void, ValidatePoolError>
  /**
   * Hands the memory of a row group that `run` returned back to the workers once it is written
   * (`DatasetWriter.writeEncoded` has succeeded), for the row groups they encode next
   * (`SliceTask.OutputBuffers`). The buffer is transferred: `bytes` is unusable afterwards.
   * Optional: a group not handed back is simply collected.
   */
  readonly recycle: (bytes: Uint8Array) => void
  /**
   * Stops the workers that are idle now, and their memory (reference indexes, heap: ~220 MiB
   * each) goes with them; the next task starts them again, cold. For a service that runs one
   * job and has other work after it (the CLI's embedded service).
   */
  readonly release: Effect.Effect<void>
  /** How many workers are running now (started, and neither stopped nor lost). */
  readonly running: () => number
}

interface Pending {
  readonly id: number
  readonly task: SliceTask
  readonly done: (result: SliceResult | ValidatePoolError) => void
}

interface Slot {
  readonly worker: Worker
  busy: Pending | undefined
  /** Settles when the worker says it is ready (or is lost). */
  readonly ready: Promise<ValidatePoolError | undefined>
}

type Reply =
  | { readonly id: number; readonly result: SliceResult }
  | { readonly id: number; readonly error: string; readonly input: boolean }
  | { readonly ready: true }

// Run from the TypeScript sources (tests, tsx), a worker thread does not inherit its process's
// TypeScript loader, so it starts through a shim that loads one; compiled (this package's dist/,
// or an app bundle that emits ValidateWorker.js beside its chunks) it starts on the JavaScript.
const entry = import.meta.url.endsWith(".ts")
  ? new URL("./ValidateWorkerFromSource.mjs", import.meta.url)
  : new URL("./ValidateWorker.js", import.meta.url)

/**
 * A worker's young generation. Validation allocates short-lived strings and objects per row;
 * a larger nursery than the default lets more of them die before a scavenge, trading some RSS
 * per worker for less CPU (the engine bench in `bench/` measures both).
 */
const youngGenerationMb = 64

/** Workers by default: the machine's cores. */
export const defaultSize = (): number => Math.max(1, os.availableParallelism())

/** How a pool's workers start. */
export interface PoolOptions {
  /**
   * Sample rows each worker validates when it starts, before taking tasks
   * (`ValidateWarmup`): its first task then runs on optimised code. Default 0 (none).
   * {@link defaultWarmupRows} is what `geojobs-local --warm-workers` uses.
   */
  readonly warmupRows?: number | undefined
}

/**
 * Files with fewer rows are validated in the validator's own thread by default
 * (`ValidateParquet.ValidatorOptions.minRowsForWorkers`): starting workers would cost more.
 */
export const defaultMinRowsForWorkers = 20_000

/**
 * Warm-up rows per worker for a service that starts its workers ahead of its jobs: two tasks'
 * worth, enough for a large first job to run at a later job's speed (fewer left it slower, more
 * did no better in the engine bench), for a little CPU per worker at start.
 */
export const defaultWarmupRows = 50_000

const handles = new WeakMap<PoolHandle, ValidatePool>()

/** An opaque handle of `pool` (see `PoolHandle`). */
export const handle = (pool: ValidatePool): PoolHandle => {
  const made: PoolHandle = { _tag: "@geojobs/engine/PoolHandle" }
  handles.set(made, pool)
  return made
}

/** The pool of a handle made by {@link handle}; undefined for any other value. */
export const fromHandle = (made: PoolHandle): ValidatePool | undefined => handles.get(made)

/** Makes a pool of `size` workers (default: one per core) that ends with the scope. */
export const make = (size: number = defaultSize(), options: PoolOptions = {}): Effect.Effect<ValidatePool, never, Scope.Scope> =>
  Effect.gen(function*() {
    const n = Math.max(1, Math.floor(size))
    const warmupRows = Math.max(0, Math.floor(options.warmupRows ?? 0))
    const slots: Array<Slot | undefined> = new Array(n).fill(undefined)
    const queue: Array<Pending> = []
    let nextId = 0
    let closed = false

    const spawn = (index: number): Slot => {
      const worker = new Worker(entry, { workerData: { warmupRows }, resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } })
      let readied: (lost: ValidatePoolError | undefined) => void = () => undefined
      const slot: Slot = { worker, busy: undefined, ready: new Promise((resolve) => (readied = resolve)) }
      const lost = (why: string) => {
        readied(new ValidatePoolError(why))
        if (slots[index] !== slot) return
        slots[index] = undefined
        const busy = slot.busy
        slot.busy = undefined
        if (busy !== undefined) busy.done(new ValidatePoolError(why))
        void worker.terminate()
        dispatch()
      }
      worker.on("message", (reply: Reply) => {
        if ("ready" in reply) {
          // starting up keeps the process alive (someone may be waiting in `warm`); idle does not
          if (slot.busy === undefined) worker.unref()
          return readied(undefined)
        }
        const busy = slot.busy
        if (busy === undefined || busy.id !== reply.id) return
        slot.busy = undefined
        worker.unref()
        busy.done("error" in reply ? new ValidatePoolError(reply.error, reply.input) : reply.result)
        dispatch()
      })
      worker.on("error", (error) => lost(`validation worker failed: ${error instanceof Error ? error.message : String(error)}`))
      worker.on("exit", (code) => lost(`validation worker exited (code ${code})`))
      return slot
    }

    const dispatch = (): void => {
      if (closed) return
      for (let i = 0; i < n && queue.length > 0; i++) {
        let slot = slots[i]
        if (slot !== undefined && slot.busy !== undefined) continue
        if (slot === undefined) slot = slots[i] = spawn(i)
        const pending = queue.shift()!
        slot.busy = pending
        // a busy worker keeps the process alive; an idle one does not
        slot.worker.ref()
        slot.worker.postMessage({ id: pending.id, task: pending.task })
      }
    }

    yield* Effect.addFinalizer(() =>
      Effect.promise(async () => {
        closed = true
        const stopping: Array<Promise<number>> = []
        for (let i = 0; i < n; i++) {
          const slot = slots[i]
          slots[i] = undefined
          if (slot === undefined) continue
          slot.busy?.done(new ValidatePoolError("the validation pool was closed"))
          stopping.push(slot.worker.terminate())
        }
        for (const p of queue.splice(0)) p.done(new ValidatePoolError("the validation pool was closed"))
        await Promise.allSettled(stopping)
      })
    )

    const run = (task: SliceTask): Effect.Effect<SliceResult, ValidatePoolError> =>
      Effect.async<SliceResult, ValidatePoolError>((resume) => {
        if (closed) {
          resume(Effect.fail(new ValidatePoolError("the validation pool was closed")))
          return
        }
        const pending: Pending = {
          id: nextId++,
          task,
          done: (result) => resume(result instanceof ValidatePoolError ? Effect.fail(result) : Effect.succeed(result))
        }
        queue.push(pending)
        dispatch()
        // interrupted before a worker took it: drop it (a started task runs to its end, unused)
        return Effect.sync(() => {
          const at = queue.indexOf(pending)
          if (at >= 0) queue.splice(at, 1)
        })
      })

    const warm = Effect.flatMap(
      Effect.promise(() =>
        Promise.all(slots.map((slot, i) => {
          if (closed) return new ValidatePoolError("the validation pool was closed")
          return (slot ?? (slots[i] = spawn(i))).ready
        }))
      ),
      (outcomes) => {
        const failed = outcomes.find((o) => o !== undefined)
        return failed === undefined ? Effect.void : Effect.fail(failed)
      }
    )

    // round robin: the workers encode alike, so each gets about as much memory back as it sent
    let nextRecycle = 0
    const recycle = (bytes: Uint8Array): void => {
      const buffer = bytes.buffer
      if (closed || !(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return
      for (let k = 0; k < n; k++) {
        const slot = slots[(nextRecycle + k) % n]
        if (slot === undefined) continue
        nextRecycle = (nextRecycle + k + 1) % n
        slot.worker.postMessage({ recycle: [buffer] }, [buffer])
        return
      }
    }

    const release = Effect.promise(() => {
      const stopping: Array<Promise<number>> = []
      for (let i = 0; i < n; i++) {
        const slot = slots[i]
        if (slot === undefined || slot.busy !== undefined) continue
        // no longer this pool's: its exit is not a loss
        slots[i] = undefined
        stopping.push(slot.worker.terminate())
      }
      return Promise.allSettled(stopping)
    })

    const running = () => slots.filter((slot) => slot !== undefined).length

    return { size: n, run, warm, recycle, release, running }
  })
