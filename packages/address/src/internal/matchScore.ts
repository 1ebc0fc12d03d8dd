/**
 * How sure a validation is: each component's contribution to the score by its status, the
 * penalty of a conflict, and the `MatchConfidence` bucket of a score.
 *
 * @internal
 */
import type { ComponentStatus, Confidence } from "../Status.js"

/** The weight of each component in the score (they sum to 1). */
export const weights = { country: 0.1, region: 0.15, locality: 0.25, postal: 0.25, street: 0.15, number: 0.1 } as const

/** The score one component contributes (fraction of its weight); absent components give 0. */
export const credit = (s: ComponentStatus | undefined): number => {
  if (s === undefined) return 0
  switch (s.detail) {
    case "Exact":
    case "Alias":
      return 1
    case "Appended":
      return 0.9
    case "Corrected":
      return 0.6
    case "StandardizedNoMatch":
      return 0.5
    default:
      return 0
  }
}

/** `MatchConfidence` bucket of a score (thresholds documented in the README). */
export const confidenceOf = (score: number): Confidence =>
  score >= 0.8 ? "High" : score >= 0.7 ? "MediumHigh" : score >= 0.55 ? "Medium" : score >= 0.4 ? "MediumLow" : "Low"

/** How much a conflict between a valid postal code and the locality given lowers the score. */
export const conflictPenalty = 0.1
