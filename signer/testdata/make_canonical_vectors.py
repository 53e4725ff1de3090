#!/usr/bin/env python3
"""Writes canonical-vectors.json: the byte layouts of signer/ENCODING.md,
computed here independently of the C++ encoder (struct.pack, and Ed25519
from python3-cryptography), so the C++ test checks one implementation
against another rather than against itself. Not run by the build; rerun it
only when ENCODING.md changes, and review the diff."""

import json
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def prefixed(b: bytes) -> bytes:
    assert len(b) <= 0xFFFF
    return struct.pack(">H", len(b)) + b


def u64(v: int) -> bytes:
    return struct.pack(">Q", v)


def key(seed: bytes):
    sk = Ed25519PrivateKey.from_private_bytes(seed)
    return sk, sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def transfer(chain_id, frm, to, amount, nonce, memo):
    return (prefixed(b"sonde.transfer.v1") + prefixed(chain_id.encode()) + frm + to + u64(amount)
            + u64(nonce) + prefixed(memo))


def u8(v: int) -> bytes:
    return struct.pack(">B", v)


def activation(chain_id, node, node_type, challenge):
    return (prefixed(b"sonde.activation_proof.v2") + prefixed(chain_id.encode()) + node
            + u8(node_type) + prefixed(challenge))


def reward_claim(chain_id, node, beneficiary, amount, nonce):
    return (prefixed(b"sonde.reward_claim.v1") + prefixed(chain_id.encode()) + node + beneficiary
            + u64(amount) + u64(nonce))


def vector(kind, name, seed, fields, encoding):
    sk, _ = key(seed)
    return {"kind": kind, "name": name, "seed": seed.hex(), "fields": fields,
            "encoding": encoding.hex(), "signature": sk.sign(encoding).hex()}


def main():
    seed_a, seed_b, seed_c = bytes([1] * 32), bytes([2] * 32), bytes(range(32))
    _, pk_a = key(seed_a)
    _, pk_b = key(seed_b)
    _, pk_c = key(seed_c)
    out = []

    f = dict(chain_id="sonde-devnet-1", **{"from": pk_a.hex()}, to=pk_b.hex(), amount=1, nonce=0,
             memo="")
    out.append(vector("transfer", "one unit, first nonce, no memo", seed_a, f,
                      transfer(f["chain_id"], pk_a, pk_b, 1, 0, b"")))
    memo = b"probe run 42"
    f = dict(chain_id="a", **{"from": pk_b.hex()}, to=pk_a.hex(), amount=2**64 - 1,
             nonce=2**64 - 2, memo=memo.hex())
    out.append(vector("transfer", "largest amount and nonce, with memo", seed_b, f,
                      transfer("a", pk_b, pk_a, 2**64 - 1, 2**64 - 2, memo)))

    challenge = bytes(range(32))
    f = dict(chain_id="sonde-devnet-1", node=pk_c.hex(), node_type=2, challenge=challenge.hex())
    out.append(vector("activation_proof", "full node, 32-byte challenge", seed_c, f,
                      activation("sonde-devnet-1", pk_c, 2, challenge)))
    f = dict(chain_id="sonde-devnet-1", node=pk_a.hex(), node_type=1, challenge="ff")
    out.append(vector("activation_proof", "light node, one-byte challenge", seed_a, f,
                      activation("sonde-devnet-1", pk_a, 1, b"\xff")))
    f = dict(chain_id="sonde-devnet-1", node=pk_b.hex(), node_type=3, challenge=challenge.hex())
    out.append(vector("activation_proof", "super node", seed_b, f,
                      activation("sonde-devnet-1", pk_b, 3, challenge)))

    f = dict(chain_id="sonde-devnet-1", node=pk_c.hex(), beneficiary=pk_a.hex(),
             amount=1234567890, nonce=7)
    out.append(vector("reward_claim", "claim to another account", seed_c, f,
                      reward_claim("sonde-devnet-1", pk_c, pk_a, 1234567890, 7)))

    json.dump({"source": "signer/testdata/make_canonical_vectors.py", "vectors": out}, sys.stdout,
              indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
