/**
 * `--output text` as the AWS CLI writes it: an object's scalar members on one tab-separated
 * line in key order, prefixed with the upper-cased member name it came from; nested members on
 * their own lines; a list of objects shares one set of columns (missing ones `None`); a list
 * of scalars under a name gives one line per item.
 */
import type { Plain } from "./plain.js"
import { isScalar, scalarText } from "./plain.js"

type Obj = { readonly [key: string]: Plain }
const isObject = (v: Plain): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v)
const sorted = (keys: Iterable<string>) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

const item = (value: Plain, out: Array<string>, identifier?: string, scalarKeys?: ReadonlyArray<string>): void => {
  if (isObject(value)) object(value, out, identifier, scalarKeys)
  else if (Array.isArray(value)) list(value, out, identifier)
  else out.push(scalarText(value as string))
}

const scalarList = (items: ReadonlyArray<Plain>, out: Array<string>, identifier?: string) => {
  if (identifier !== undefined) for (const v of items) out.push(`${identifier.toUpperCase()}\t${scalarText(v as string)}`)
  else out.push(items.map((v) => scalarText(v as string)).join("\t"))
}

const list = (items: ReadonlyArray<Plain>, out: Array<string>, identifier?: string) => {
  if (items.length === 0) return
  if (items.some(isObject)) {
    const keys = new Set<string>()
    for (const o of items) if (isObject(o)) for (const [k, v] of Object.entries(o)) if (isScalar(v)) keys.add(k)
    const all = sorted(keys)
    for (const element of items) item(element, out, identifier, all)
  } else if (items.some(Array.isArray)) {
    const scalars = items.filter(isScalar)
    if (scalars.length > 0) scalarList(scalars, out, identifier)
    for (const element of items) if (!isScalar(element)) item(element, out, identifier)
  } else scalarList(items, out, identifier)
}

const object = (value: Obj, out: Array<string>, identifier?: string, scalarKeys?: ReadonlyArray<string>) => {
  const scalars: Array<string> = []
  const nested: Array<[string, Plain]> = []
  if (scalarKeys === undefined) {
    for (const k of sorted(Object.keys(value))) {
      const v = value[k]!
      if (isScalar(v)) scalars.push(scalarText(v))
      else nested.push([k, v])
    }
  } else {
    for (const k of scalarKeys) scalars.push(k in value ? scalarText(value[k] as string) : "")
    for (const k of sorted(Object.keys(value).filter((k) => !scalarKeys.includes(k)))) nested.push([k, value[k]!])
  }
  if (scalars.length > 0) out.push((identifier !== undefined ? [identifier.toUpperCase(), ...scalars] : scalars).join("\t"))
  for (const [k, v] of nested) item(v, out, k)
}

/** The text lines for `value`, each ending in a newline. */
export const text = (value: Plain): string => {
  const out: Array<string> = []
  item(value, out)
  return out.map((l) => l + "\n").join("")
}
