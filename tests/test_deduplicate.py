from pipeline.dedup.fingerprint import content_hash

WIRE = "La Paz, 21 nov (EFE).- Transportistas bloquearon la carretera.\n\nEl Gobierno convocó al diálogo."


def test_same_text_with_other_spacing_case_and_punctuation_hashes_alike() -> None:
    variant = "LA PAZ, 21 nov (EFE) - transportistas  bloquearon la carretera\n\n\nEl gobierno convocó al dialogo"
    assert content_hash(variant) == content_hash(WIRE)


def test_changed_words_change_the_hash() -> None:
    assert content_hash(WIRE.replace("carretera", "ruta")) != content_hash(WIRE)


def test_hash_is_hex_sha256() -> None:
    digest = content_hash(WIRE)
    assert len(digest) == 64 and int(digest, 16) >= 0
