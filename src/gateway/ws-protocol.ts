import { assertValidTopicPattern } from '../crypto/policy/topic-pattern.js'

/** A command a WebSocket client sends (docs/gateway.md, "WebSocket protocol"). */
export type ClientCommand =
  | { readonly op: 'subscribe'; readonly patterns: readonly string[] }
  | { readonly op: 'unsubscribe'; readonly patterns: readonly string[] }
  | { readonly op: 'history'; readonly pattern: string; readonly limit: number }

const MAX_HISTORY_LIMIT = 1000

/**
 * Parses one client frame, or returns why it is not a command. Nothing else is accepted: unknown members,
 * unknown ops and invalid patterns are refused, so a client cannot smuggle anything past this point.
 */
export function parseClientCommand(text: string): ClientCommand | { readonly error: string } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { error: 'not JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'a command is a JSON object' }
  }
  const command = value as Record<string, unknown>
  const keys = Object.keys(command).sort().join(',')
  if (command.op === 'subscribe' || command.op === 'unsubscribe') {
    if (keys !== 'op,patterns' || !isPatternList(command.patterns)) {
      return { error: `${command.op} takes "patterns": a list of topic patterns` }
    }
    return { op: command.op, patterns: command.patterns }
  }
  if (command.op === 'history') {
    const { pattern, limit } = command
    if (
      keys !== 'limit,op,pattern' ||
      !isPattern(pattern) ||
      !Number.isSafeInteger(limit) ||
      (limit as number) < 1 ||
      (limit as number) > MAX_HISTORY_LIMIT
    ) {
      return { error: `history takes "pattern" and "limit" (1 to ${MAX_HISTORY_LIMIT})` }
    }
    return { op: 'history', pattern, limit: limit as number }
  }
  return { error: 'unknown op' }
}

function isPattern(value: unknown): value is string {
  if (typeof value !== 'string') return false
  try {
    assertValidTopicPattern(value)
    return true
  } catch {
    return false
  }
}

const isPatternList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every(isPattern)
