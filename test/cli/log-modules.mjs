// `node --import ./log-modules.mjs …`: log every imported module's URL to $FEDMSG_MODULE_LOG.
import { register } from 'node:module'

register('./module-log-hooks.mjs', {
  parentURL: import.meta.url,
  data: { file: process.env.FEDMSG_MODULE_LOG },
})
