/**
 * Just enough XML for S3: a writer for the response documents, and a small strict parser for the
 * request documents (CompleteMultipartUpload, Delete). Anything it cannot read is `MalformedXML`.
 *
 * @internal
 */

/** The S3 namespace of every response document. */
export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"

/** An element to write: a name and either text or children. Undefined children are skipped. */
export type XmlNode = readonly [name: string, content: string | number | boolean | ReadonlyArray<XmlNode | undefined>]

/** Escapes text for element content (characters XML 1.0 cannot hold become character references). */
export const escapeText = (text: string): string =>
  text.replace(/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;"
      case "<":
        return "&lt;"
      case ">":
        return "&gt;"
      case "\"":
        return "&quot;"
      case "'":
        return "&apos;"
      default:
        return `&#x${c.charCodeAt(0).toString(16)};`
    }
  })

const render = (node: XmlNode, out: Array<string>): void => {
  const [name, content] = node
  out.push(`<${name}>`)
  if (typeof content === "string") out.push(escapeText(content))
  else if (typeof content === "number" || typeof content === "boolean") out.push(String(content))
  else for (const child of content) if (child !== undefined) render(child, out)
  out.push(`</${name}>`)
}

/** A whole response document: declaration, and the root element in the S3 namespace. */
export const document = (root: string, children: ReadonlyArray<XmlNode | undefined>): string => {
  const out: Array<string> = [`<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">`]
  for (const child of children) if (child !== undefined) render(child, out)
  out.push(`</${root}>`)
  return out.join("")
}

/** A parsed element. */
export interface XmlElement {
  readonly name: string
  readonly children: ReadonlyArray<XmlElement>
  readonly text: string
}

/** A request document that is not well-formed. */
export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'" }

const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(parseInt(entity.slice(2), 16))
    if (entity.startsWith("#")) return String.fromCodePoint(parseInt(entity.slice(1), 10))
    const known = ENTITIES[entity]
    if (known === undefined) throw new XmlSyntaxError(`unknown entity &${entity};`)
    return known
  })

const NAME = /^[A-Za-z_][\w.:-]*/

/** Parses a document into its root element; throws `XmlSyntaxError` if it is not well-formed. */
export const parse = (source: string): XmlElement => {
  let at = 0
  const skipMisc = () => {
    for (;;) {
      while (at < source.length && /\s/.test(source[at]!)) at++
      if (source.startsWith("<?", at)) {
        const end = source.indexOf("?>", at)
        if (end < 0) throw new XmlSyntaxError("unterminated processing instruction")
        at = end + 2
      } else if (source.startsWith("<!--", at)) {
        const end = source.indexOf("-->", at)
        if (end < 0) throw new XmlSyntaxError("unterminated comment")
        at = end + 3
      } else return
    }
  }
  const element = (depth: number): XmlElement => {
    if (depth > 32) throw new XmlSyntaxError("too deeply nested")
    if (source[at] !== "<") throw new XmlSyntaxError(`expected an element at ${at}`)
    at++
    const name = NAME.exec(source.slice(at, at + 256))?.[0]
    if (name === undefined) throw new XmlSyntaxError(`expected an element name at ${at}`)
    at += name.length
    const close = source.indexOf(">", at)
    if (close < 0) throw new XmlSyntaxError("unterminated start tag")
    const attributes = source.slice(at, close)
    if (!/^(\s+[A-Za-z_][\w.:-]*\s*=\s*("[^"<]*"|'[^'<]*'))*\s*\/?$/.test(attributes)) {
      throw new XmlSyntaxError(`bad attributes in <${name}>`)
    }
    at = close + 1
    if (attributes.endsWith("/")) return { name, children: [], text: "" }
    const children: Array<XmlElement> = []
    let text = ""
    for (;;) {
      if (at >= source.length) throw new XmlSyntaxError(`<${name}> is not closed`)
      if (source.startsWith("</", at)) {
        const end = source.indexOf(">", at)
        if (end < 0 || source.slice(at + 2, end).trim() !== name) throw new XmlSyntaxError(`mismatched </…> for <${name}>`)
        at = end + 1
        return { name, children, text: decodeEntities(text) }
      }
      if (source.startsWith("<!--", at)) {
        const end = source.indexOf("-->", at)
        if (end < 0) throw new XmlSyntaxError("unterminated comment")
        at = end + 3
      } else if (source.startsWith("<![CDATA[", at)) {
        const end = source.indexOf("]]>", at)
        if (end < 0) throw new XmlSyntaxError("unterminated CDATA")
        text += source.slice(at + 9, end).replace(/&/g, "&amp;").replace(/</g, "&lt;")
        at = end + 3
      } else if (source[at] === "<") {
        children.push(element(depth + 1))
      } else {
        const next = source.indexOf("<", at)
        const chunk = source.slice(at, next < 0 ? source.length : next)
        text += chunk
        at += chunk.length
      }
    }
  }
  skipMisc()
  const root = element(0)
  skipMisc()
  if (at !== source.length) throw new XmlSyntaxError("content after the root element")
  return root
}

/** The children of an element with a name. */
export const childrenNamed = (element: XmlElement, name: string): ReadonlyArray<XmlElement> =>
  element.children.filter((child) => child.name === name)

/** The text of the first child with a name, if any. */
export const childText = (element: XmlElement, name: string): string | undefined =>
  element.children.find((child) => child.name === name)?.text
