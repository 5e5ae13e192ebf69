"""A certificate authority and server certificates for the hosts a pod fakes.

They are made once per set of hosts and kept in the user's cache, so a pod's start needs neither
`cryptography` (about 0.1 s to import) nor the signing: the CA's private key is never written,
so nothing can sign another certificate with it, and only a pod's runner trusts that CA.
"""
from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

VALID_FROM = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
VALID_TO = datetime.datetime(2035, 1, 1, tzinfo=datetime.timezone.utc)
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "promote-gen" / "tls"


def make(directory: Path, hosts: list[str]) -> dict[str, tuple[Path, Path]]:
    """ca.pem and <host>.pem/<host>.key for each host in `directory`; returns host → (cert, key)."""
    kept = CACHE / hashlib.sha256("\n".join(sorted(hosts)).encode()).hexdigest()[:16]
    if not kept.is_dir():
        _keep(kept, hosts)
    shutil.copytree(kept, directory, dirs_exist_ok=True)
    return {host: (directory / f"{host}.pem", directory / f"{host}.key") for host in hosts}


def _keep(kept: Path, hosts: list[str]) -> None:
    """Write the set whole, then rename it into place: a reader never sees half of one."""
    kept.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=kept.parent))
    try:
        _sign(partial, hosts)
        partial.rename(kept)
    except OSError:
        if not kept.is_dir():  # another process renamed its own set there first: use that one
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _name(common: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "promote-gen pod"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem_key(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _sign(directory: Path, hosts: list[str]) -> None:
    """A fresh CA (its key kept only in memory) and a certificate for each host."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("promote-gen pod CA")).issuer_name(_name("promote-gen pod CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(VALID_FROM).not_valid_after(VALID_TO)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    (directory / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for host in hosts:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(_name(host)).issuer_name(ca.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(VALID_FROM).not_valid_after(VALID_TO)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
                .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                # Python 3.13's default TLS checks want both key identifiers.
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
                .sign(ca_key, hashes.SHA256()))
        cert_path, key_path = directory / f"{host}.pem", directory / f"{host}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(_pem_key(key))
