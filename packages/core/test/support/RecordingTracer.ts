/**
 * A `Tracer` that records every span it makes (name, parent, kind, attributes, events, exit), for
 * asserting span trees in tests.
 */
import type * as Context from "effect/Context"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

export interface RecordedEvent {
  readonly name: string
  readonly attributes: Record<string, unknown>
}

let nextId = 0

export class RecordedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId: string
  readonly traceId: string
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<RecordedEvent> = []
  readonly links: Array<Tracer.SpanLink>
  status: Tracer.SpanStatus
  exit: Exit.Exit<unknown, unknown> | undefined

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.spanId = `span-${++nextId}`
    this.traceId = parent._tag === "Some" ? parent.value.traceId : `trace-${nextId}`
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
  }

  get parentId(): string | undefined {
    return Option.getOrUndefined(Option.map(this.parent, (p) => p.spanId))
  }

  get ended(): boolean {
    return this.status._tag === "Ended"
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    this.exit = exit
  }

  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }

  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push({ name, attributes: { ...attributes } })
  }

  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }

  /** Attributes as a plain object. */
  attrs(): Record<string, unknown> {
    return Object.fromEntries(this.attributes)
  }
}

export interface Recorder {
  readonly tracer: Tracer.Tracer
  readonly spans: Array<RecordedSpan>
  /** The spans whose parent is `span` (or the roots, for undefined), in start order. */
  readonly children: (span: RecordedSpan | undefined) => Array<RecordedSpan>
  /** The one span named `name`; fails the test when there are none or several. */
  readonly only: (name: string) => RecordedSpan
  /** The tree as indented lines: `name {attributes}`. */
  readonly render: () => string
}

export const makeRecorder = (): Recorder => {
  const spans: Array<RecordedSpan> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const span = new RecordedSpan(name, parent, context, links, startTime, kind)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  const children = (span: RecordedSpan | undefined) =>
    spans.filter((s) =>
      span === undefined ? s.parentId === undefined || !spans.some((p) => p.spanId === s.parentId) : s.parentId === span.spanId
    )
  const only = (name: string) => {
    const found = spans.filter((s) => s.name === name)
    if (found.length !== 1) throw new Error(`expected one span ${name}, found ${found.length}: ${spans.map((s) => s.name).join(", ")}`)
    return found[0]!
  }
  const render = () => {
    const lines: Array<string> = []
    const walk = (span: RecordedSpan, depth: number) => {
      lines.push(`${"  ".repeat(depth)}${span.name} ${JSON.stringify(span.attrs())}`)
      for (const e of span.events) lines.push(`${"  ".repeat(depth + 1)}! ${e.name} ${JSON.stringify(e.attributes)}`)
      for (const c of children(span)) walk(c, depth + 1)
    }
    for (const root of children(undefined)) walk(root, 0)
    return lines.join("\n")
  }
  return { tracer, spans, children, only, render }
}
