// Module customization hooks (node:module register): append the URL of every module loaded through `import`
// to the file named in `data.file`, so that a test can see what a `fedmsg` run loaded.
import { appendFileSync } from 'node:fs'

let file

export function initialize(data) {
  file = data.file
}

export async function load(url, context, nextLoad) {
  appendFileSync(file, `${url}\n`)
  return nextLoad(url, context)
}
