"""Python fedmsg 1.1.7's own sign and validate rates on this machine, for bench/peer.js. Reads one message
({"topic", "msg"}) as JSON on stdin; signs it with fedmsg.crypto.sign as svc-a of the peer PKI, and validates
the signed message with fedmsg.crypto.validate (x509, the peer CA and CRL, a routing policy allowing svc-a),
each for SECONDS of wall time after a short warm-up. Prints one JSON line: sign_per_s, validate_per_s and the
wire frame (fedmsg.encoding.dumps), which the bench verifies with this project's legacy verifier.
Usage: python-fedmsg-rates.py PKI_DIR SECONDS"""
import json, logging, sys, time, warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
import fedmsg.crypto, fedmsg.encoding  # noqa: E402

PKI, SECONDS = sys.argv[1], float(sys.argv[2])
message = json.load(sys.stdin)
CFG = dict(ssldir=PKI + "/ssldir", certname="svc-a", crypto_backend="x509", crypto_validate_backends=["x509"],
           ca_cert_location=PKI + "/ca.crt", crl_location=PKI + "/crl.pem",
           routing_policy={message["topic"]: ["svc-a.peer.test"]}, routing_nitpicky=False)
unsigned = dict(message, timestamp=int(time.time()), i=1, username="bench",
                msg_id="2026-00000000-0000-4000-8000-000000000001")


def rate(op, seconds):
    """Operations per second of op() over `seconds` (at least 3 operations), after 2 untimed ones."""
    op()
    op()
    count, started = 0, time.perf_counter()
    while True:
        op()
        count += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds and count >= 3:
            return count / elapsed


signed = fedmsg.crypto.sign(dict(unsigned), **CFG)
wire = fedmsg.encoding.dumps(signed)
if not fedmsg.crypto.validate(fedmsg.encoding.loads(wire), **CFG):
    sys.exit("python fedmsg refused its own message: is the peer PKI current?")
sign_per_s = rate(lambda: fedmsg.crypto.sign(dict(unsigned), **CFG), SECONDS)
validate_per_s = rate(lambda: fedmsg.crypto.validate(fedmsg.encoding.loads(wire), **CFG), SECONDS)
print(json.dumps({"sign_per_s": sign_per_s, "validate_per_s": validate_per_s, "wire": wire}))
