"""A legacy publisher: binds a ZeroMQ PUB socket and sends, every 100 ms until its stdin closes, what Python
fedmsg's FedMsgContext.publish sends ([topic, fedmsg.encoding.dumps(signed)]), signed by fedmsg's own code: a
valid message of svc-a, a tampered one and one of the revoked certificate. Usage: publish.py PKI_DIR ADDRESS"""
import logging, select, sys, warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
import zmq  # noqa: E402
import fedmsg.crypto, fedmsg.encoding  # noqa: E402

PKI, ADDRESS = sys.argv[1], sys.argv[2]
TOPIC = "org.fedoraproject.dev.peer.alpha"


def signed(certname, body):
    cfg = dict(ssldir=PKI + "/ssldir", certname=certname, crypto_backend="x509")
    message = {"topic": TOPIC, "msg": body, "timestamp": 1733480000, "i": 1, "username": "peer",
               "msg_id": "2026-legacy-" + certname}
    return fedmsg.crypto.sign(message, **cfg)


valid = signed("svc-a", {"hello": "w\u00f6rld", "big": 2 ** 64, "f": 0.1})
tampered = signed("svc-a", {"hello": "world"})
tampered["msg"]["hello"] = "mallory"
revoked = signed("svc-revoked", {"hello": "world"})
frames = [[TOPIC.encode("utf-8"), fedmsg.encoding.dumps(m).encode("utf-8")] for m in (valid, tampered, revoked)]

socket = zmq.Context.instance().socket(zmq.PUB)
socket.bind(ADDRESS)
print("bound", flush=True)
while True:
    for parts in frames:
        socket.send_multipart(parts)
    readable, _, _ = select.select([sys.stdin], [], [], 0.1)
    if readable and sys.stdin.read(1) == "":
        break
socket.close(linger=0)
