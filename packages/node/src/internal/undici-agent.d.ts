/**
 * undici's `Agent` class from its own module, so that loading it does not load the rest of undici
 * (fetch, WebSocket, caches…, a visible share of a process's start-up). undici has no `exports` map; the path has
 * been stable across undici 6 and 7.
 */
declare module "undici/lib/dispatcher/agent.js" {
  import { Agent } from "undici"
  export default Agent
}
