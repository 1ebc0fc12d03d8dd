/**
 * Headers as exports and people write them, matched case-, space- and punctuation-insensitively.
 */
import { describe, expect, it } from "@effect/vitest"
import { canonicalColumn, mapHeaders } from "../src/AddressColumns.js"

describe("header aliases", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["Zip Code", "AddressComponents_PostalCode"],
    ["ZIP", "AddressComponents_PostalCode"],
    ["Postcode", "AddressComponents_PostalCode"],
    ["Postal Code", "AddressComponents_PostalCode"],
    ["Zip/Postal Code", "AddressComponents_PostalCode"],
    ["ZIP+4", "AddressComponents_PostalCode"],
    ["Street Address", "AddressLines_1"],
    ["Street Address 1", "AddressLines_1"],
    ["Address Line 1", "AddressLines_1"],
    ["Address Line 2", "AddressLines_2"],
    ["Addr1", "AddressLines_1"],
    ["City", "AddressComponents_Locality"],
    ["Town", "AddressComponents_Locality"],
    ["Town/City", "AddressComponents_Locality"],
    ["State", "AddressComponents_Region"],
    ["Province", "AddressComponents_Region"],
    ["Region", "AddressComponents_Region"],
    ["State/Province", "AddressComponents_Region"],
    ["Country", "AddressComponents_Country"],
    ["Country/Region", "AddressComponents_Country"],
    ["  country\u00a0code ", "AddressComponents_Country"],
    ["Apt/Suite", "AddressComponents_Unit"],
    ["House No.", "AddressComponents_AddressNumber"],
    // exports that qualify the usual names
    ["Billing Street", "AddressLines_1"],
    ["Billing City", "AddressComponents_Locality"],
    ["Mailing Zip/Postal Code", "AddressComponents_PostalCode"],
    ["Business Country/Region", "AddressComponents_Country"],
    ["Home Street 2", "AddressLines_2"],
    ["Address 1 - City", "AddressComponents_Locality"],
    ["Shipping State/Province", "AddressComponents_Region"]
  ]
  for (const [header, column] of cases) {
    it(`${JSON.stringify(header)} → ${column}`, () => {
      expect(canonicalColumn(header)).toBe(column)
    })
  }

  it("headers that are not address parts stay as they are", () => {
    for (const header of ["Email Address", "Home Phone", "IP Address", "Name", "Notes", "State Tax Id"]) {
      expect(canonicalColumn(header)).toBeUndefined()
    }
    expect(mapHeaders(["Name", "Billing Street", "Billing City", "Shipping City"])).toEqual([
      "Name",
      "AddressLines_1",
      "AddressComponents_Locality",
      "Shipping City"
    ])
  })
})
