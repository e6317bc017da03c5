"""Python fedmsg 1.1.7's own consumer end to end, for bench/peer.js: FedMsgContext.tail_messages with
validate_signatures on (loads + validate of every message) connected to ADDRESS, where the bench sends one
pre-signed legacy frame as fast as it is taken. Counts the messages it yields over SECONDS after WARMUP seconds
from the first, then prints one JSON line, {"per_s": …}, and exits.
Usage: python-fedmsg-consumer.py PKI_DIR ADDRESS TOPIC WARMUP SECONDS"""
import json, logging, sys, time, warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
import fedmsg.config, fedmsg.core  # noqa: E402

PKI, ADDRESS, TOPIC, WARMUP, SECONDS = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
config = dict(fedmsg.config.defaults)
config.update(endpoints={"bench": [ADDRESS]}, mute=True, name="bench-consumer", post_init_sleep=0,
              validate_signatures=True, crypto_backend="x509", crypto_validate_backends=["x509"],
              ssldir=PKI + "/ssldir", ca_cert_location=PKI + "/ca.crt", crl_location=PKI + "/crl.pem",
              routing_policy={TOPIC: ["svc-a.peer.test"]}, routing_nitpicky=False)
context = fedmsg.core.FedMsgContext(**config)
counting_from = counted = None
for _ in context.tail_messages():
    now = time.perf_counter()
    if counting_from is None:
        counting_from, counted = now + WARMUP, 0
    elif now >= counting_from:
        counted += 1
        if now - counting_from >= SECONDS:
            print(json.dumps({"per_s": counted / (now - counting_from)}), flush=True)
            break
