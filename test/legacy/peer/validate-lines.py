"""Validates legacy frames, one JSON text per stdin line, with Python fedmsg's own validate(); prints one JSON
line each: {"ok": bool}. Usage: validate-lines.py PKI_DIR"""
import json, logging, sys, warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
import fedmsg.crypto, fedmsg.encoding  # noqa: E402

PKI = sys.argv[1]
CFG = dict(ssldir=PKI + "/ssldir", crypto_backend="x509", crypto_validate_backends=["x509"],
           ca_cert_location=PKI + "/ca.crt", crl_location=PKI + "/crl.pem", routing_policy={},
           routing_nitpicky=False)
for line in sys.stdin:
    try:
        ok = bool(fedmsg.crypto.validate(fedmsg.encoding.loads(line), **CFG))
    except Exception:
        ok = False
    print(json.dumps({"ok": ok}))
