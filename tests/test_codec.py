import base64

import pytest
from pydantic import BaseModel
from temporalio.api.common.v1 import Payload

from diversion.codec import (
    ENCODING,
    KEY_ID_METADATA,
    AesGcmCodec,
    KeyRing,
    PayloadDecryptionError,
    PayloadKeyError,
    data_converter,
    generate_key,
    parse_keys,
    seal,
    unseal,
)


def ring(*kids: str) -> KeyRing:
    return KeyRing(encrypt_with=kids[0], keys={kid: generate_key() for kid in kids})


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def json_payload(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=text.encode())


async def test_round_trip_keeps_data_and_metadata() -> None:
    codec = AesGcmCodec(ring("k1"))
    original = json_payload('{"victim_phone": "555-0100"}')
    [sealed] = await codec.encode([original])
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata[KEY_ID_METADATA] == b"k1"
    assert b"555-0100" not in sealed.data
    assert b"json/plain" not in sealed.data
    assert await codec.decode([sealed]) == [original]


async def test_each_encode_uses_a_fresh_nonce() -> None:
    codec = AesGcmCodec(ring("k1"))
    original = json_payload('"same"')
    [a] = await codec.encode([original])
    [b] = await codec.encode([original])
    assert a.data[:12] != b.data[:12]
    assert a.data != b.data


async def test_tampering_is_detected() -> None:
    codec = AesGcmCodec(ring("k1"))
    [sealed] = await codec.encode([json_payload('"court"')])
    altered = bytearray(sealed.data)
    altered[-1] ^= 0x01
    tampered = Payload(metadata=dict(sealed.metadata), data=bytes(altered))
    with pytest.raises(PayloadDecryptionError, match="failed authentication"):
        await codec.decode([tampered])


async def test_key_id_is_bound_to_the_ciphertext() -> None:
    keys = ring("k1", "k0")
    codec = AesGcmCodec(keys)
    [sealed] = await codec.encode([json_payload('"x"')])
    relabelled = Payload(metadata={"encoding": ENCODING, KEY_ID_METADATA: b"k0"}, data=sealed.data)
    with pytest.raises(PayloadDecryptionError, match="'k0'"):
        await codec.decode([relabelled])


async def test_unknown_key_id_is_named() -> None:
    [sealed] = await AesGcmCodec(ring("retired")).encode([json_payload('"x"')])
    with pytest.raises(PayloadDecryptionError, match="'retired'"):
        await AesGcmCodec(ring("current")).decode([sealed])


async def test_unencrypted_payloads_pass_through() -> None:
    plain = json_payload('"written before encryption"')
    assert await AesGcmCodec(ring("k1")).decode([plain]) == [plain]


async def test_rotation_old_key_still_decrypts_when_listed_second() -> None:
    old, new = generate_key(), generate_key()
    before = AesGcmCodec(parse_keys(f"kid0:{b64(old)}"))
    after = AesGcmCodec(parse_keys(f"kid1:{b64(new)}, kid0:{b64(old)}"))
    [old_sealed] = await before.encode([json_payload('"old history"')])
    [new_sealed] = await after.encode([json_payload('"new history"')])
    assert new_sealed.metadata[KEY_ID_METADATA] == b"kid1"
    assert [p.data for p in await after.decode([old_sealed, new_sealed])] == [
        b'"old history"',
        b'"new history"',
    ]


def test_parse_keys_first_encrypts() -> None:
    key = base64.b64encode(generate_key()).decode()
    parsed = parse_keys(f"a:{key},b:{key}")
    assert parsed.encrypt_with == "a"
    assert list(parsed.keys) == ["a", "b"]
    assert parse_keys(parsed.spec()) == parsed


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "no payload key"),
        ("k1", "'<key id>:<base64 key>'"),
        ("k1:not base64!!", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "5 bytes"),
        (f"bad id:{base64.b64encode(bytes(32)).decode()}", "key id 'bad id'"),
        (
            f"k:{base64.b64encode(bytes(32)).decode()},k:{base64.b64encode(bytes(32)).decode()}",
            "listed twice",
        ),
    ],
)
def test_parse_keys_refuses_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(PayloadKeyError, match=message):
        parse_keys(spec)


class Contact(BaseModel):
    phone: str


async def test_data_converter_encrypts_pydantic_models() -> None:
    converter = data_converter(ring("k1"))
    [payload] = await converter.encode([Contact(phone="555-0100")])
    assert payload.metadata["encoding"] == ENCODING
    assert b"555-0100" not in payload.data
    [back] = await converter.decode([payload], [Contact])
    assert back == Contact(phone="555-0100")


def test_sealed_bytes_open_only_whole_with_their_context() -> None:
    ring = parse_keys("k1:" + base64.b64encode(bytes(32)).decode())
    sealed = seal(ring, b"victim phone 555 0100", b"q-1")
    assert b"555 0100" not in sealed
    assert unseal(ring, sealed, b"q-1") == b"victim phone 555 0100"
    with pytest.raises(PayloadDecryptionError, match="altered or moved"):
        unseal(ring, sealed, b"q-2")
    with pytest.raises(PayloadDecryptionError, match="truncated"):
        unseal(ring, sealed[:12], b"q-1")
    with pytest.raises(PayloadDecryptionError, match="not among the configured"):
        unseal(ring, b"", b"q-1")
