/**
 * Every code block of README.md and docs/*.md is exercised (issue #11 item 2). This file classifies them
 * all and checks the ones that need no installed package; doc-snippets-installed.test.ts runs the modules
 * and the shell blocks against the packed, installed package.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateConfig } from '../../src/config/validate-config.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../src/crypto/chain/eku.js'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import { ALL_SNIPPETS, commandLines, kindOf, REPO, type SnippetKind } from './doc-snippets.js'

const of = (kind: SnippetKind) => ALL_SNIPPETS.filter((snippet) => kindOf(snippet) === kind)
const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>
}

describe('code blocks of README.md and docs/*.md', () => {
  it('each is run, checked, or marked with why it cannot be', () => {
    const unclassified = ALL_SNIPPETS.filter((snippet) => kindOf(snippet) === undefined)
    expect(unclassified.map((snippet) => snippet.where)).toEqual([])
  })

  it('the skipped ones are few: diagrams, layouts, sample output, a unit file, a regular expression', () => {
    expect(of('skip').length).toBeLessThanOrEqual(8)
  })

  /** `fedmsg COMMAND --help`, followed by the help of each of its subcommands (`fedmsg policy who-can`). */
  const helpOf = (command: string): string => {
    const run = (...args: string[]) =>
      execFileSync(process.execPath, ['bin/fedmsg.js', ...args, '--help'], {
        cwd: REPO,
        encoding: 'utf8',
      })
    const help = run(command)
    const subcommands = /\nCommands:\n([\s\S]*)$/.exec(help)?.[1] ?? ''
    const names = [...subcommands.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!)
    return [help, ...names.filter((n) => n !== 'help').map((n) => run(command, n))].join('\n')
  }

  it.each(of('synopsis').map((s) => [s.where, s]))(
    '%s: every flag is one --help lists',
    (_, s) => {
      for (const line of commandLines(s.code)) {
        const [, command, rest] = /^fedmsg (\w+)\s+(.*)$/.exec(line)!
        const help = helpOf(command!)
        for (const flag of rest!.match(/--[a-z][\w-]*/g) ?? []) {
          expect(help, `${line}: ${flag}`).toMatch(new RegExp(`${flag}\\b`))
        }
      }
    },
    90_000,
  )

  it.each(of('json').map((s) => [s.where, s]))('%s: a valid configuration or policy', (_, s) => {
    const value = JSON.parse(s.code) as Record<string, unknown>
    if ('rules' in value) expect(RoutingPolicy.fromJson(value)).toBeInstanceOf(RoutingPolicy)
    else
      expect(() =>
        validateConfig(value, 'file', { file: undefined, display: s.where }),
      ).not.toThrow()
  })

  it.each(of('oid').map((s) => [s.where, s]))('%s: the OID the package exports', (_, s) => {
    expect(s.code.trim()).toBe(FEDMSG_MESSAGE_SIGNING_EKU)
  })

  it.each(of('dev-commands').map((s) => [s.where, s]))(
    '%s: every script, binary and path exists',
    (_, s) => {
      for (const line of commandLines(s.code)) {
        const [tool, first, ...args] = line.split(/\s+/)
        if (tool === 'npm' && first === 'run')
          expect(PACKAGE.scripts, line).toHaveProperty([args[0]!])
        else if (tool === 'npm') expect(PACKAGE.scripts, line).toHaveProperty([first!])
        else {
          expect(existsSync(join(REPO, 'node_modules', '.bin', first!)), line).toBe(true)
          for (const path of args.filter(
            (arg) => /^[\w.-]+\//.test(arg) || arg.endsWith('.json'),
          )) {
            expect(existsSync(join(REPO, path)), `${line}: ${path}`).toBe(true)
          }
        }
      }
    },
  )
})
