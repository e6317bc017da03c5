"""Signs legacy test messages with Python fedmsg's own code and prints, one JSON line each, the frames as they
travel and Python fedmsg's own validate() verdict on them. Usage: sign-cases.py PKI_DIR"""
import json, logging, sys, warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
import fedmsg.crypto, fedmsg.encoding  # noqa: E402

PKI = sys.argv[1]
ALPHA = "org.fedoraproject.dev.peer.alpha"
BETA = "org.fedoraproject.dev.peer.beta"
POLICY = {ALPHA: ["svc-a.peer.test"]}


def config(certname="svc-a", nitpicky=False):
    return dict(ssldir=PKI + "/ssldir", certname=certname, crypto_backend="x509",
                crypto_validate_backends=["x509"], ca_cert_location=PKI + "/ca.crt",
                crl_location=PKI + "/crl.pem", routing_policy=POLICY, routing_nitpicky=nitpicky)


def signed(body, certname="svc-a", topic=ALPHA):
    message = {"topic": topic, "msg": body, "timestamp": 1733480000, "i": 1,
               "msg_id": "2026-00000000-0000-4000-8000-000000000001", "username": "peer"}
    return fedmsg.crypto.sign(message, **config(certname))


def python_verdict(wire, nitpicky):
    try:
        return bool(fedmsg.crypto.validate(fedmsg.encoding.loads(wire), **config(nitpicky=nitpicky)))
    except Exception:  # Python fedmsg raises on some bad input (padding, JSON); a raise is a refusal.
        return False


def emit(name, wire, reason, topic_frame=ALPHA, nitpicky=False):
    print(json.dumps({"name": name, "topic_frame": topic_frame, "wire": wire, "nitpicky": nitpicky,
                      "expected_reason": reason, "python_ok": python_verdict(wire, nitpicky)}))


FLOATS = {"one": 1.0, "tenth": 0.1, "big": 1e16, "small": 1e-05, "huge": 1.5e300, "negzero": -0.0,
          "pi": 3.141592653589793, "third": 1 / 3, "int64": 2 ** 64 + 1, "neg": -(10 ** 30)}
UNICODE = {"e": "\u00e9", "cjk": "\u65e5\u672c", "emoji": "\U0001F600", "ctl": "\x00\x1f\x7f", "quote": "\"\\/",
           "lone": "\ud800", "\uffff": 1, "\U0001F600": 2, "tab\t": "\n\r\b\f"}

emit("valid", fedmsg.encoding.dumps(signed({"hello": "world"})), None)
emit("floats and big integers", fedmsg.encoding.dumps(signed(FLOATS)), None)
emit("unicode and escapes", fedmsg.encoding.dumps(signed(UNICODE)), None)
# A lone surrogate cannot be sent as UTF-8 (Python's .encode('utf-8') raises): escaped only.
UTF8 = {key: value for key, value in UNICODE.items() if key != "lone"}
emit("unicode sent as UTF-8", json.dumps(signed(UTF8), ensure_ascii=False), None)
respelled = fedmsg.encoding.dumps(signed({"x": 1.5, "y": 100.0}))
respelled = respelled.replace('"x":1.5', '"x" : 1.50').replace('"y":100.0', '"y":1E2')
emit("numbers respelled on the wire", respelled, None)
emit("float that Python reads differently", fedmsg.encoding.dumps(signed({"x": 0.1})).replace('"x":0.1', '"x":0.10000000000000001'), None)
tampered = signed({"hello": "world"})
tampered["msg"]["hello"] = "mallory"
emit("tampered body", fedmsg.encoding.dumps(tampered), "bad_signature")
big = signed({"n": 2 ** 64})
emit("integer past 2^53 changed by one", fedmsg.encoding.dumps(big).replace(str(2 ** 64), str(2 ** 64 + 1)), "bad_signature")
emit("float changed in the last digit", fedmsg.encoding.dumps(signed({"f": 0.1})).replace("0.1", "0.1000000000000001"), "bad_signature")
emit("wrong CA (rogue certificate, same CN)", fedmsg.encoding.dumps(signed({"a": 1}, "svc-rogue")), "untrusted_chain")
emit("expired certificate", fedmsg.encoding.dumps(signed({"a": 1}, "svc-expired")), "cert_expired")
emit("revoked certificate", fedmsg.encoding.dumps(signed({"a": 1}, "svc-revoked")), "revoked")
emit("routing policy: signer not listed", fedmsg.encoding.dumps(signed({"a": 1}, "svc-b")), "policy_denied")
emit("topic not in policy, not nitpicky", fedmsg.encoding.dumps(signed({"a": 1}, "svc-b", BETA)), None, BETA)
emit("topic not in policy, nitpicky", fedmsg.encoding.dumps(signed({"a": 1}, "svc-b", BETA)), "policy_denied", BETA, True)
swapped = signed({"a": 1}, topic=BETA)
swapped["certificate"] = signed({"a": 1}, "svc-b", BETA)["certificate"]
emit("certificate of another signer", fedmsg.encoding.dumps(swapped), "bad_signature", BETA)
no_sig = signed({"a": 1})
del no_sig["signature"]
emit("no signature", fedmsg.encoding.dumps(no_sig), "malformed")
bad_cert = signed({"a": 1})
bad_cert["certificate"] = "bm90IGEgY2VydGlmaWNhdGU=\n"
emit("certificate that does not parse", fedmsg.encoding.dumps(bad_cert), "malformed")
emit("not JSON", "{\"topic\": ", "malformed")
gpg = signed({"a": 1})
gpg["crypto"] = "gpg"
emit("crypto other than x509", fedmsg.encoding.dumps(gpg), "unsupported_alg")
