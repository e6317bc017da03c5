/**
 * Temporary directory trees of config files for the config tests. Each test builds the tree it needs with
 * {@link ConfigTree.write} and removes it in `afterEach`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface ConfigTree {
  readonly root: string
  /** Absolute path of `relative` inside the tree. */
  path(relative: string): string
  /** Writes `content` (a string as is, anything else as JSON) at `relative`, creating directories. */
  write(relative: string, content: unknown): string
  remove(): void
}

export function makeConfigTree(): ConfigTree {
  const root = mkdtempSync(join(tmpdir(), 'fedmsg-config-'))
  return {
    root,
    path: (relative) => join(root, relative),
    write(relative, content) {
      const file = join(root, relative)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
      return file
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}
