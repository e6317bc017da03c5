"""Differential test data for the legacy JSON reader and writer: random JSON texts, each with what Python's
json.loads then fedmsg.encoding.dumps make of it. Usage: json-roundtrip.py SEED COUNT"""
import json, random, struct, sys

import fedmsg.encoding

rng = random.Random(int(sys.argv[1]))


def rand_float():
    choice = rng.random()
    if choice < 0.3:
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if choice < 0.6:
        return rng.uniform(-1e6, 1e6)
    return float(rng.randint(-10 ** 18, 10 ** 18)) * 10.0 ** rng.randint(-30, 30)


def rand_string():
    chars = []
    for _ in range(rng.randint(0, 6)):
        pick = rng.random()
        if pick < 0.4:
            chars.append(chr(rng.randint(0x20, 0x7E)))
        elif pick < 0.5:
            chars.append(chr(rng.randint(0, 0x1F)))
        elif pick < 0.6:
            chars.append(chr(rng.randint(0xD800, 0xDFFF)))
        elif pick < 0.8:
            chars.append(chr(rng.randint(0x80, 0xFFFF)))
        else:
            chars.append(chr(rng.randint(0x10000, 0x10FFFF)))
    return "".join(chars)


def rand_value(depth=0):
    pick = rng.random()
    if depth < 3 and pick < 0.2:
        return {rand_string(): rand_value(depth + 1) for _ in range(rng.randint(0, 4))}
    if depth < 3 and pick < 0.3:
        return [rand_value(depth + 1) for _ in range(rng.randint(0, 4))]
    if pick < 0.5:
        f = rand_float()
        return f if f == f and abs(f) != float("inf") else 0.5
    if pick < 0.7:
        return rng.randint(-(2 ** 80), 2 ** 80)
    if pick < 0.9:
        return rand_string()
    return rng.choice([None, True, False])


def spell(value):
    """Spells a value as some JSON producer might: spacing, key order, number and string spellings vary."""
    separators = rng.choice([(",", ":"), (", ", ": ")])
    text = json.dumps(value, ensure_ascii=rng.random() < 0.5, separators=separators)
    try:
        text.encode("utf-8")  # a frame is UTF-8: raw lone surrogates cannot travel, escaped ones can
    except UnicodeEncodeError:
        text = json.dumps(value, separators=separators)
    return text


for _ in range(int(sys.argv[2])):
    value = {rand_string(): rand_value() for _ in range(rng.randint(1, 5))}
    text = spell(value)
    print(json.dumps({"text": text, "python": fedmsg.encoding.dumps(json.loads(text))}))
