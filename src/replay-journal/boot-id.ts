import { readFileSync } from 'node:fs'
import { uptime } from 'node:os'

/**
 * What identifies this boot of the machine: Linux's random boot id, elsewhere the boot time to 10 s. A
 * journal written without fsync records it, so that a later run can tell that the machine went down since
 * (and its last writes may never have reached the disk).
 */
export function currentBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return `booted:${Math.round((Date.now() / 1000 - uptime()) / 10)}`
  }
}
