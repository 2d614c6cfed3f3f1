"""The outbound address check: an IPv6 address that wraps a private IPv4 one (NAT64, 6to4,
Teredo, IPv4-mapped) is refused like the IPv4 address itself; one that wraps a public address
is allowed."""

from __future__ import annotations

import ipaddress

import pytest

from campaign import outbound


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254, the cloud metadata address
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b:1::a00:1",  # local-use NAT64 prefix, 10.0.0.1 in its last 32 bits
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo
        "::ffff:10.0.0.1",  # IPv4-mapped
        "10.0.0.1",
        "fe80::1",
    ],
)
def test_an_ipv6_address_wrapping_a_private_ipv4_one_is_not_allowed(address):
    assert not outbound.allowed_address(ipaddress.ip_address(address), local=False)


@pytest.mark.parametrize(
    "address", ["64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111", "93.184.216.34"]
)
def test_a_public_address_also_wrapped_in_nat64_or_6to4_is_allowed(address):
    assert outbound.allowed_address(ipaddress.ip_address(address), local=False)


def test_the_embedded_ipv4_address_is_read_from_each_wrapping():
    def embedded(text):
        return [str(a) for a in outbound.embedded_ipv4(ipaddress.ip_address(text))]

    assert embedded("64:ff9b::a9fe:a9fe") == ["169.254.169.254"]
    assert embedded("2002:a00:1::1") == ["10.0.0.1"]
    assert embedded("::ffff:10.0.0.1") == ["10.0.0.1"]
    assert embedded("2606:4700::1111") == []
