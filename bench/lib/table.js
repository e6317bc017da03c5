// @ts-check
/**
 * The one table `npm run bench` prints: a header, then a line per row as soon as it is measured.
 */

/** @typedef {import('./row.js').Row} Row */

/** @type {readonly { title: string, width: number, right?: boolean }[]} */
const COLUMNS = [
  { title: 'figure', width: 12 },
  { title: 'alg', width: 6 },
  { title: 'payload', width: 8 },
  { title: 'fedmsg', width: 13, right: true },
  { title: 'baseline', width: 13, right: true },
  { title: 'of', width: 14 },
  { title: 'ratio', width: 5, right: true },
  { title: 'rounds', width: 10 },
  { title: 'goal', width: 0 },
]

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** @param {readonly string[]} cells */
function line(cells) {
  return cells
    .map((cell, index) => {
      const { width, right } = COLUMNS[index]
      return right ? cell.padStart(width) : cell.padEnd(width)
    })
    .join('  ')
    .trimEnd()
}

/** @type {Readonly<Record<Row['unit'], (value: number) => string>>} */
const AMOUNTS = {
  'ops/s': (value) => `${integer.format(value)} /s`,
  B: (value) => `${integer.format(value)} B`,
  µs: (value) => `${integer.format(value)} µs`,
  MB: (value) => `${value.toFixed(1)} MB`,
}

/** @param {number} value @param {Row['unit']} unit */
const amount = (value, unit) => AMOUNTS[unit](value)

/**
 * Lowest and highest ratio of the paired rounds (figure round n / baseline round n): how much the load of
 * the machine moved the ratio during the measurement.
 *
 * @param {Row} row
 */
function roundRange(row) {
  const { rounds, baselineRounds } = row
  if (rounds === undefined || baselineRounds === undefined) return ''
  const ratios = rounds.map((value, index) => value / baselineRounds[index])
  return `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`
}

/** @param {Row} row */
function goalOf(row) {
  const note = row.note ? `; ${row.note}` : ''
  if (row.ceiling !== undefined) {
    return `<= ${row.ceiling.toFixed(2)} ${row.ratio <= row.ceiling ? 'met' : 'MISSED'}${note}`
  }
  if (row.goal === undefined) return row.note ?? ''
  const verdict = row.ratio >= row.goal ? 'met' : 'MISSED'
  return `>= ${row.goal.toFixed(2)} ${verdict}${note}`
}

/** The header and its rule. */
export function tableHeader() {
  const header = line(COLUMNS.map((column) => column.title))
  return `${header}\n${'-'.repeat(header.length + 16)}`
}

/**
 * One table line.
 *
 * @param {Row} row
 */
export function tableLine(row) {
  return line([
    row.figure,
    row.alg,
    row.payload,
    amount(row.value, row.unit),
    amount(row.baseline, row.unit),
    row.baselineName,
    row.ratio.toFixed(2),
    roundRange(row),
    goalOf(row),
  ])
}
