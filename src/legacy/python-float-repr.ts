/**
 * Python's `repr(float)` (and so `json.dumps` of a float): the shortest digits that round-trip, written in
 * fixed notation when the decimal point falls between -4 and 16 digits, else `d.ddde+XX`. JavaScript finds
 * the same shortest digits (both use the round-trip rule of Steele-White / David Gay), but lays them out
 * differently (`10000000000000000` vs `1e+16`, `1e-7` vs `1e-07`, `100` vs `100.0`), hence this layout.
 *
 * @example
 * ```ts
 * pythonFloatRepr(100) // '100.0'
 * pythonFloatRepr(1e16) // '1e+16'
 * pythonFloatRepr(0.00001) // '1e-05'
 * ```
 */
export function pythonFloatRepr(value: number): string {
  // json.dumps writes the non-finite floats as these JavaScript-style literals (allow_nan=True).
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'Infinity'
  if (value === -Infinity) return '-Infinity'
  const sign = value < 0 || Object.is(value, -0) ? '-' : ''
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string]
  const digits = mantissa.replace('.', '')
  // Python's decpt: the value is 0.DIGITS × 10^decpt.
  const decpt = Number(exponentText) + 1
  if (decpt <= -4 || decpt > 16) {
    const exponent = decpt - 1
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const magnitude = String(Math.abs(exponent)).padStart(2, '0')
    return `${sign}${head}e${exponent < 0 ? '-' : '+'}${magnitude}`
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`
}
