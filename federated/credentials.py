"""Credentials for a secure Flower deployment: a private CA, the SuperLink's TLS certificate
and one SuperNode key pair per partner, laid out as ``PROFILEHUB_FLWR_*`` expects.

    folder/ca.crt  server.pem  server.key        PROFILEHUB_FLWR_CA_CERT / _SERVER_CERT / _KEY
    folder/keys/partner-<i>  partner-<i>.pub      PROFILEHUB_FLWR_NODE_AUTH_KEYS=folder/keys

Partner keys are OpenSSH ECDSA P-384 keys, what ``flower-supernode --auth-supernode-private-key``
loads and ``flwr supernode register`` accepts. For tests and rehearsals: in production each
partner makes its own key pair and sends only the public key.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VALID_DAYS = 365


def _certificate(subject: str, public_key, issuer: x509.Name | None, signing_key,
                 *, ca: bool, hosts: tuple[str, ...] = ()) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5))
               .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if hosts:
        names = [x509.IPAddress(ipaddress.ip_address(host)) if host[0].isdigit()
                 else x509.DNSName(host) for host in hosts]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def create_credentials(folder: Path, num_partners: int,
                       hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> dict[str, str]:
    """Write a CA, a server certificate for ``hosts`` and ``num_partners`` SuperNode key pairs
    under ``folder``; the ``PROFILEHUB_FLWR_*`` variables that point at them."""
    keys = folder / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP384R1())
    ca_cert = _certificate("ProfileHub Flower CA", ca_key.public_key(), None, ca_key, ca=True)
    server_key = ec.generate_private_key(ec.SECP384R1())
    server_cert = _certificate(hosts[0], server_key.public_key(), ca_cert.subject, ca_key,
                               ca=False, hosts=hosts)
    pem = serialization.Encoding.PEM
    (folder / "ca.crt").write_bytes(ca_cert.public_bytes(pem))
    (folder / "server.pem").write_bytes(server_cert.public_bytes(pem))
    (folder / "server.key").write_bytes(_pem_key(server_key))
    (folder / "server.key").chmod(0o600)
    for partner in range(num_partners):
        write_supernode_key(keys / f"partner-{partner}")
    return {"PROFILEHUB_FLWR_CA_CERT": str(folder / "ca.crt"),
            "PROFILEHUB_FLWR_SERVER_CERT": str(folder / "server.pem"),
            "PROFILEHUB_FLWR_SERVER_KEY": str(folder / "server.key"),
            "PROFILEHUB_FLWR_NODE_AUTH_KEYS": str(keys)}


def write_supernode_key(path: Path) -> Path:
    """A SuperNode's key pair: ``path`` (OpenSSH private key) and ``path.pub``."""
    key = ec.generate_private_key(ec.SECP384R1())
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.OpenSSH,
                                       serialization.NoEncryption()))
    path.chmod(0o600)
    path.with_name(f"{path.name}.pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH))
    return path
