/**
 * An example `fedmsg webhook` receiver: the modern form of the seed's `fama updater -> xmlrpc -> trac`. It
 * verifies each POSTed envelope itself (the webhook's summary is not signed; the envelope is), then adds a
 * comment to every ticket (`#123`) the message's text names. `tickets` stands in for the tracker's API.
 *
 *   fedmsg webhook --target 'http://127.0.0.1:8080/hook=org.fedoraproject.*.git.>'
 */
import { createServer } from 'node:http'
import { EnvelopeVerifier } from 'fedmsg'

/** Most bytes of one POST: fedmsg envelopes are far smaller. */
const MAX_BODY = 1024 * 1024

/**
 * Starts the receiver on 127.0.0.1:`port` (0: any free port). `trustAnchors`/`crls` are PEM text.
 * Answers 204 once the tickets are updated, 400 for a body that is not a webhook POST, 403 for an envelope
 * that does not verify (the webhook dead-letters both: retrying cannot help).
 */
export async function startTicketUpdater({ port = 0, trustAnchors, crls = [], tickets }) {
  const verifier = new EnvelopeVerifier({ trustAnchors, crls })
  const server = createServer((req, res) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY) req.destroy()
      else chunks.push(chunk)
    })
    req.on('end', () => {
      let post, topic
      try {
        post = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        topic = String(JSON.parse(post.envelope).topic)
      } catch {
        return void res.writeHead(400).end('not a webhook POST')
      }
      const result = verifier.verify(topic, post.envelope)
      if (!result.ok) return void res.writeHead(403).end(result.reason)
      const text = JSON.stringify(result.message.body)
      for (const [, id] of text.matchAll(/#(\d{1,9})\b/g)) {
        const comments = tickets.get(id) ?? []
        comments.push(
          `${result.message.signer.name}: ${post.summary?.subtitle ?? result.message.topic}`,
        )
        tickets.set(id, comments)
      }
      res.writeHead(204).end()
    })
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/hook`, close: () => server.close() }
}
