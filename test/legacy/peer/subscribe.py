"""A legacy consumer: Python fedmsg's own FedMsgContext.tail_messages with validate_signatures on, connected to
ADDRESS, so each message goes through fedmsg's own loads and validate (a refused one is never yielded). Prints
one JSON line per message it yields: its topic, body, headers and the certificate's CN as Python reads it.
Usage: subscribe.py PKI_DIR ADDRESS POLICY_JSON"""
import base64, json, logging, sys, warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
import fedmsg.config, fedmsg.core  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

PKI, ADDRESS, POLICY = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
config = dict(fedmsg.config.defaults)
config.update(endpoints={"bridge": [ADDRESS]}, mute=True, name="legacy-consumer", post_init_sleep=0,
              validate_signatures=True, crypto_backend="x509", crypto_validate_backends=["x509"],
              ssldir=PKI + "/ssldir", ca_cert_location=PKI + "/ca.crt", crl_location=PKI + "/crl.pem",
              routing_policy=POLICY, routing_nitpicky=True)
context = fedmsg.core.FedMsgContext(**config)
print(json.dumps({"ready": True}), flush=True)
for _name, _endpoint, topic, message in context.tail_messages():
    pem = base64.b64decode(message["certificate"])
    cn = x509.load_pem_x509_certificate(pem).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    print(json.dumps({"topic": topic, "msg": message["msg"], "headers": message.get("headers"), "cn": cn}),
          flush=True)
