/**
 * A command for trigger tests: a node script that appends one JSON line per run to the file named by its first
 * argument, with what it got (stdin, the FEDMSG_* environment, its argv), then behaves as its second argument
 * says: `exit:N`, `sleep` (ignores SIGTERM: only SIGKILL stops it) or nothing (exit 0).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Recorded {
  readonly stdin: string
  readonly env: Record<string, string | undefined>
  readonly argv: readonly string[]
}

const SCRIPT = `import { appendFileSync } from 'node:fs'
const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const { FEDMSG_TOPIC, FEDMSG_SIGNER, FEDMSG_MSG_ID } = process.env
const record = { stdin: Buffer.concat(chunks).toString(), env: { FEDMSG_TOPIC, FEDMSG_SIGNER, FEDMSG_MSG_ID }, argv: process.argv.slice(2) }
appendFileSync(process.argv[2], JSON.stringify(record) + '\\n')
const mode = process.argv[3] ?? ''
if (mode.startsWith('exit:')) process.exit(Number(mode.slice(5)))
if (mode === 'sleep') {
  process.on('SIGTERM', () => {})
  setInterval(() => {}, 1000)
}
`

/** Writes the script into `dir`; returns its path. */
export function writeRecorder(dir: string): string {
  const path = join(dir, 'record.mjs')
  writeFileSync(path, SCRIPT)
  return path
}

/** The runs recorded in `file` so far. */
export function recorded(file: string): Recorded[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Recorded)
}
