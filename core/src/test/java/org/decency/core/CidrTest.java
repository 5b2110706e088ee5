package org.decency.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    @Test
    void anIpv4NetworkContainsItsAddressesOnly() {
        Cidr net = cidr("192.0.2.0/24");

        assertThat(net.contains(ip("192.0.2.0"))).isTrue();
        assertThat(net.contains(ip("192.0.2.255"))).isTrue();
        assertThat(net.contains(ip("192.0.3.0"))).isFalse();
        assertThat(net.contains(ip("192.0.1.255"))).isFalse();
        assertThat(net.prefix()).isEqualTo(24);
        assertThat(net.toString()).isEqualTo("192.0.2.0/24");
    }

    @Test
    void aPrefixOffTheByteBoundaryMasksTheRightBits() {
        Cidr net = cidr("192.0.2.128/25");

        assertThat(net.contains(ip("192.0.2.128"))).isTrue();
        assertThat(net.contains(ip("192.0.2.200"))).isTrue();
        assertThat(net.contains(ip("192.0.2.127"))).isFalse();
        assertThat(cidr("10.0.0.0/9").contains(ip("10.127.255.255"))).isTrue();
        assertThat(cidr("10.0.0.0/9").contains(ip("10.128.0.0"))).isFalse();
    }

    @Test
    void theBaseIsMaskedWhenWritten() {
        assertThat(cidr("192.0.2.77/24").toString()).isEqualTo("192.0.2.0/24");
        assertThat(cidr("192.0.2.77/24").contains(ip("192.0.2.1"))).isTrue();
    }

    @Test
    void aBareAddressIsASingleHostNetwork() {
        Cidr one = cidr("192.0.2.9");

        assertThat(one.prefix()).isEqualTo(32);
        assertThat(one.toString()).isEqualTo("192.0.2.9/32");
        assertThat(one.contains(ip("192.0.2.9"))).isTrue();
        assertThat(one.contains(ip("192.0.2.8"))).isFalse();
        assertThat(cidr("2001:db8::1").prefix()).isEqualTo(128);
        assertThat(cidr("2001:db8::1").contains(ip("2001:db8::1"))).isTrue();
        assertThat(cidr("2001:db8::1").contains(ip("2001:db8::2"))).isFalse();
    }

    @Test
    void anIpv6NetworkContainsItsAddressesOnly() {
        Cidr net = cidr("2001:db8::/32");

        assertThat(net.contains(ip("2001:db8::1"))).isTrue();
        assertThat(net.contains(ip("2001:db8:ffff:ffff::1"))).isTrue();
        assertThat(net.contains(ip("2001:db9::1"))).isFalse();
        assertThat(net.toString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
        assertThat(cidr("2001:db8::/127").contains(ip("2001:db8::1"))).isTrue();
        assertThat(cidr("2001:db8::/127").contains(ip("2001:db8::2"))).isFalse();
        assertThat(cidr("[2001:db8::]/64").contains(ip("2001:db8::abcd"))).isTrue();
    }

    @Test
    void familiesNeverMix() {
        assertThat(cidr("0.0.0.0/0").contains(ip("192.0.2.1"))).isTrue();
        assertThat(cidr("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(cidr("::/0").contains(ip("2001:db8::1"))).isTrue();
        assertThat(cidr("::/0").contains(ip("192.0.2.1"))).isFalse();
        assertThat(cidr("0.0.0.0/0").contains(null)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" is no network")
    @NullAndEmptySource
    @ValueSource(strings = {"192.0.2.0/33", "192.0.2.0/-1", "192.0.2.0/", "192.0.2.0/abc", "192.0.2.0/+24",
            "192.0.2.0/ 24", "192.0.2.0/24/8", "192.0.2.0/-0", "192.0.2.0/1.5", "2001:db8::/129", "x/24",
            "/24", "localhost/8", "example.com", "192.0.2/24"})
    void badNetworksAndPrefixesAreRefused(String text) {
        assertThat(Cidr.parse(text)).isEmpty();
    }

    @Test
    void prefixBoundsAreIncluded() {
        assertThat(Cidr.parse("192.0.2.0/0")).isPresent();
        assertThat(Cidr.parse("192.0.2.0/32")).isPresent();
        assertThat(Cidr.parse("2001:db8::/0")).isPresent();
        assertThat(Cidr.parse("2001:db8::/128")).isPresent();
        assertThat(Cidr.parse(" 192.0.2.0/24 ")).isPresent();
    }
}
