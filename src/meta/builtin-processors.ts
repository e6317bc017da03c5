import type { MessageProcessor } from './message-summary.js'
import { bodhiProcessor } from './processors/bodhi.js'
import { fasProcessor } from './processors/fas.js'
import { gitProcessor } from './processors/git.js'
import { kojiProcessor } from './processors/koji.js'
import { loggerProcessor } from './processors/logger.js'
import { meetbotProcessor } from './processors/meetbot.js'
import { pkgdbProcessor } from './processors/pkgdb.js'
import { taggerProcessor } from './processors/tagger.js'
import { wikiProcessor } from './processors/wiki.js'

/** The processors for the seed's services, shipped with fedmsg. */
export const BUILTIN_PROCESSORS: readonly MessageProcessor[] = [
  bodhiProcessor,
  kojiProcessor,
  fasProcessor,
  wikiProcessor,
  gitProcessor,
  pkgdbProcessor,
  taggerProcessor,
  meetbotProcessor,
  loggerProcessor,
]
