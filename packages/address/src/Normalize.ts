/**
 * Standardisation tables as the postal authorities use them: USPS Publication 28 street
 * suffixes (Appendix C1), directionals, and secondary unit designators (Appendix C2).
 *
 * Written by hand from the public Publication 28. Each suffix row is
 * `FULLNAME ABBREVIATION variant…`: the first word is the primary street suffix name, the second
 * the USPS standard abbreviation, the rest the common spellings USPS maps to it.
 * @since 0.1.0
 */
import { keyFilter, ordinalDigits } from "./internal/words.js"

const suffixRows = `ALLEY ALY ALLEE ALLY
ANNEX ANX ANEX ANNX
ARCADE ARC
AVENUE AVE AV AVEN AVENU AVN AVNUE
BAYOU BYU BAYOO
BEACH BCH
BEND BND
BLUFF BLF BLUF
BLUFFS BLFS
BOTTOM BTM BOT BOTTM
BOULEVARD BLVD BOUL BOULV
BRANCH BR BRNCH
BRIDGE BRG BRDGE
BROOK BRK
BROOKS BRKS
BURG BG
BURGS BGS
BYPASS BYP BYPA BYPAS BYPS
CAMP CP CMP
CANYON CYN CANYN CNYN
CAPE CPE
CAUSEWAY CSWY CAUSWA
CENTER CTR CEN CENT CENTR CENTRE CNTER CNTR
CENTERS CTRS
CIRCLE CIR CIRC CIRCL CRCL CRCLE
CIRCLES CIRS
CLIFF CLF
CLIFFS CLFS
CLUB CLB
COMMON CMN
COMMONS CMNS
CORNER COR
CORNERS CORS
COURSE CRSE
COURT CT
COURTS CTS
COVE CV
COVES CVS
CREEK CRK
CRESCENT CRES CRSENT CRSNT
CREST CRST
CROSSING XING CRSSNG
CROSSROAD XRD
CROSSROADS XRDS
CURVE CURV
DALE DL
DAM DM
DIVIDE DV DIV DVD
DRIVE DR DRIV DRV
DRIVES DRS
ESTATE EST
ESTATES ESTS
EXPRESSWAY EXPY EXP EXPR EXPRESS EXPW
EXTENSION EXT EXTN EXTNSN
EXTENSIONS EXTS
FALL FALL
FALLS FLS
FERRY FRY FRRY
FIELD FLD
FIELDS FLDS
FLAT FLT
FLATS FLTS
FORD FRD
FORDS FRDS
FOREST FRST FORESTS
FORGE FRG FORG
FORGES FRGS
FORK FRK
FORKS FRKS
FORT FT FRT
FREEWAY FWY FREEWY FRWAY FRWY
GARDEN GDN GARDN GRDEN GRDN
GARDENS GDNS
GATEWAY GTWY GATEWY GATWAY GTWAY
GLEN GLN
GLENS GLNS
GREEN GRN
GREENS GRNS
GROVE GRV GROV
GROVES GRVS
HARBOR HBR HARB HARBR HRBOR
HARBORS HBRS
HAVEN HVN
HEIGHTS HTS HT
HIGHWAY HWY HIGHWY HIWAY HIWY HWAY
HILL HL
HILLS HLS
HOLLOW HOLW HLLW HOLLOWS HOLWS
INLET INLT
ISLAND IS ISLND
ISLANDS ISS ISLNDS
ISLE ISLE ISLES
JUNCTION JCT JCTION JCTN JUNCTN JUNCTON
JUNCTIONS JCTS JCTNS
KEY KY
KEYS KYS
KNOLL KNL KNOL
KNOLLS KNLS
LAKE LK
LAKES LKS
LAND LAND
LANDING LNDG LNDNG
LANE LN
LIGHT LGT
LIGHTS LGTS
LOAF LF
LOCK LCK
LOCKS LCKS
LODGE LDG LDGE LODG
LOOP LOOP LOOPS
MALL MALL
MANOR MNR
MANORS MNRS
MEADOW MDW
MEADOWS MDWS MEDOWS
MEWS MEWS
MILL ML
MILLS MLS
MISSION MSN MISSN MSSN
MOTORWAY MTWY
MOUNT MT MNT
MOUNTAIN MTN MNTAIN MNTN MOUNTIN MTIN
MOUNTAINS MTNS MNTNS
NECK NCK
ORCHARD ORCH ORCHRD
OVAL OVAL OVL
OVERPASS OPAS
PARK PARK PRK PARKS
PARKWAY PKWY PARKWY PKWAY PKY PARKWAYS PKWYS
PASS PASS
PASSAGE PSGE
PATH PATH PATHS
PIKE PIKE PIKES
PINE PNE
PINES PNES
PLACE PL
PLAIN PLN
PLAINS PLNS
PLAZA PLZ PLZA
POINT PT
POINTS PTS
PORT PRT
PORTS PRTS
PRAIRIE PR PRR
RADIAL RADL RAD RADIEL
RAMP RAMP
RANCH RNCH RANCHES RNCHS
RAPID RPD
RAPIDS RPDS
REST RST
RIDGE RDG RDGE
RIDGES RDGS
RIVER RIV RVR RIVR
ROAD RD
ROADS RDS
ROUTE RTE
ROW ROW
RUE RUE
RUN RUN
SHOAL SHL
SHOALS SHLS
SHORE SHR SHOAR
SHORES SHRS SHOARS
SKYWAY SKWY
SPRING SPG SPNG SPRNG
SPRINGS SPGS SPNGS SPRNGS
SPUR SPUR SPURS
SQUARE SQ SQR SQRE SQU
SQUARES SQS SQRS
STATION STA STATN STN
STRAVENUE STRA STRAV STRAVEN STRAVN STRVN STRVNUE
STREAM STRM STREME
STREET ST STRT STR
STREETS STS
SUMMIT SMT SUMIT SUMITT
TERRACE TER TERR
THROUGHWAY TRWY
TRACE TRCE TRACES
TRACK TRAK TRACKS TRK TRKS
TRAFFICWAY TRFY
TRAIL TRL TRAILS TRLS
TRAILER TRLR TRLRS
TUNNEL TUNL TUNEL TUNLS TUNNELS TUNNL
TURNPIKE TPKE TRNPK TURNPK
UNDERPASS UPAS
UNION UN
UNIONS UNS
VALLEY VLY VALLY VLLY
VALLEYS VLYS
VIADUCT VIA VDCT VIADCT
VIEW VW
VIEWS VWS
VILLAGE VLG VILL VILLAG VILLG VILLIAGE
VILLAGES VLGS
VILLE VL
VISTA VIS VIST VST VSTA
WALK WALK WALKS
WALL WALL
WAY WAY WY
WAYS WAYS
WELL WL
WELLS WLS`

/** A street type: its primary name (e.g. `AVENUE`) and USPS abbreviation (e.g. `AVE`). */
export interface StreetType {
  readonly name: string
  readonly abbreviation: string
}

const streetTypes = new Map<string, StreetType>()
for (const row of suffixRows.split("\n")) {
  const [name, abbreviation, ...variants] = row.trim().split(" ")
  const type: StreetType = { name: name!, abbreviation: abbreviation! }
  for (const word of [name!, abbreviation!, ...variants]) if (!streetTypes.has(word)) streetTypes.set(word, type)
}

const mayBeStreetType = keyFilter(streetTypes.keys())

/** Finds the Pub 28 street type for an upper-case word (full name, abbreviation or variant). */
export const streetType = (word: string): StreetType | undefined => (mayBeStreetType(word) ? streetTypes.get(word) : undefined)

const directionals = new Map<string, string>([
  ["NORTH", "N"], ["SOUTH", "S"], ["EAST", "E"], ["WEST", "W"],
  ["NORTHEAST", "NE"], ["NORTHWEST", "NW"], ["SOUTHEAST", "SE"], ["SOUTHWEST", "SW"],
  ["N", "N"], ["S", "S"], ["E", "E"], ["W", "W"], ["NE", "NE"], ["NW", "NW"], ["SE", "SE"], ["SW", "SW"]
])

const mayBeDirectional = keyFilter(directionals.keys())

/** The USPS one- or two-letter directional for an upper-case word (`NORTHWEST` → `NW`). */
export const directional = (word: string): string | undefined => (mayBeDirectional(word) ? directionals.get(word) : undefined)

/** A secondary unit designator: its standard abbreviation and whether it must be followed by a range. */
export interface UnitDesignator {
  readonly abbreviation: string
  readonly needsRange: boolean
  /** `FL`/`FLOOR` go to the Floor component, the rest to Unit. */
  readonly floor: boolean
}

const designatorRows: ReadonlyArray<readonly [string, string, boolean]> = [
  ["APARTMENT", "APT", true], ["APT", "APT", true], ["BASEMENT", "BSMT", false], ["BSMT", "BSMT", false],
  ["BUILDING", "BLDG", true], ["BLDG", "BLDG", true], ["DEPARTMENT", "DEPT", true], ["DEPT", "DEPT", true],
  ["FLOOR", "FL", true], ["FL", "FL", true], ["FRONT", "FRNT", false], ["FRNT", "FRNT", false],
  ["HANGAR", "HNGR", true], ["HNGR", "HNGR", true], ["KEY", "KEY", true], ["LOBBY", "LBBY", false],
  ["LBBY", "LBBY", false], ["LOT", "LOT", true], ["LOWER", "LOWR", false], ["LOWR", "LOWR", false],
  ["OFFICE", "OFC", false], ["OFC", "OFC", false], ["PENTHOUSE", "PH", false], ["PH", "PH", false],
  ["PIER", "PIER", true], ["REAR", "REAR", false], ["ROOM", "RM", true], ["RM", "RM", true],
  ["SIDE", "SIDE", false], ["SLIP", "SLIP", true], ["SPACE", "SPC", true], ["SPC", "SPC", true],
  ["STOP", "STOP", true], ["SUITE", "STE", true], ["STE", "STE", true], ["TRAILER", "TRLR", true],
  ["TRLR", "TRLR", true], ["UNIT", "UNIT", true], ["UPPER", "UPPR", false], ["UPPR", "UPPR", false],
  ["#", "#", true], ["NO", "#", true], ["FLAT", "FLAT", true], ["SHOP", "SHOP", true], ["LEVEL", "LEVEL", true]
]
const designators = new Map<string, UnitDesignator>()
for (const [word, abbreviation, needsRange] of designatorRows) {
  designators.set(word, { abbreviation, needsRange, floor: abbreviation === "FL" || abbreviation === "LEVEL" })
}

const mayBeDesignator = keyFilter(designators.keys())

/** The Pub 28 Appendix C2 secondary unit designator for an upper-case word (`SUITE` → `STE`). */
export const unitDesignator = (word: string): UnitDesignator | undefined => (mayBeDesignator(word) ? designators.get(word) : undefined)

/** `3RD` (as in `3RD FLOOR`) → `3`; `undefined` when the word is not an ordinal number. */
export const ordinalNumber = (word: string): string | undefined => ordinalDigits(word)

/**
 * Collapses an upper-case place name for comparison: drops punctuation, and reads `ST`/`STE`,
 * `MT`, `FT` as `SAINT`/`SAINTE`, `MOUNT`, `FORT` (USPS treats these as equivalent forms).
 */
export const placeKey = (name: string): string => (isPlaceKey(name) ? name : buildPlaceKey(name))

/** A word that `placeKey` expands (`ST` → `SAINT`, …). */
const isExpanded = (name: string, from: number, to: number): boolean => {
  const n = to - from
  if (n !== 2 && n !== 3) return false
  const a = name.charCodeAt(from)
  const b = name.charCodeAt(from + 1)
  if (n === 3) return a === 83 && b === 84 && name.charCodeAt(from + 2) === 69 // STE
  return b === 84 && (a === 83 || a === 77 || a === 70) // ST, MT, FT
}

/**
 * Whether `name` is already its own key (the usual case for cleaned input and reference names):
 * only upper-case letters, digits and non-ASCII, single spaces between words, none at the ends,
 * no word to expand. Then `buildPlaceKey` would return the same text, without building it.
 */
const isPlaceKey = (name: string): boolean => {
  const n = name.length
  if (n === 0) return true
  let wordStart = 0
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i)
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c > 127) continue
    if (c !== 32 || i === wordStart) return false // not a single space after a word
    if (isExpanded(name, wordStart, i)) return false
    wordStart = i + 1
  }
  return wordStart < n && !isExpanded(name, wordStart, n)
}

/** The key form of one word of a place name (`ST` → `SAINT`, …). */
const expandWord = (word: string): string =>
  word.length > 3 ? word : word === "ST" ? "SAINT" : word === "STE" ? "SAINTE" : word === "MT" ? "MOUNT" : word === "FT" ? "FORT" : word

/**
 * The key of a name that is not its own key. Runs of key characters are copied as slices (one
 * string per run, not one per character); a lower-case letter is added upper-cased, apostrophes
 * and periods are dropped without ending the word, anything else ends it.
 */
const buildPlaceKey = (name: string): string => {
  let out = ""
  let word = ""
  let from = -1
  const n = name.length
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 32
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c > 127) {
      if (from < 0) from = i
      continue
    }
    if (from >= 0) {
      word = word.length === 0 ? name.slice(from, i) : word + name.slice(from, i)
      from = -1
    }
    if (c >= 97 && c <= 122) word += String.fromCharCode(c - 32)
    else if (c !== 39 && c !== 46 && word.length > 0) {
      const long = expandWord(word)
      out = out.length === 0 ? long : out + " " + long
      word = ""
    }
  }
  return out
}
