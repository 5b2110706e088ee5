package org.decency.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "192.0.2.1            | 192.0.2.1",
            "' 192.0.2.1 '        | 192.0.2.1",
            "[192.0.2.1]          | 192.0.2.1",
            "0.0.0.0              | 0.0.0.0",
            "255.255.255.255      | 255.255.255.255",
            "010.001.002.003      | 10.1.2.3",
    })
    void ipv4LiteralsAreParsedToTheirDottedQuad(String text, String canonical) {
        IpAddress ip = IpAddress.parse(text).orElseThrow();

        assertThat(ip.isV4()).isTrue();
        assertThat(ip.toString()).isEqualTo(canonical);
        assertThat(ip.bytes()).hasSize(4);
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "2001:db8::1             | 2001:db8:0:0:0:0:0:1",
            "2001:DB8::1             | 2001:db8:0:0:0:0:0:1",
            "[2001:db8::1]           | 2001:db8:0:0:0:0:0:1",
            "IPv6:2001:db8::1        | 2001:db8:0:0:0:0:0:1",
            "[IPv6:2001:db8::1]      | 2001:db8:0:0:0:0:0:1",
            "ipv6:::1                | 0:0:0:0:0:0:0:1",
            "::                      | 0:0:0:0:0:0:0:0",
            "2001:db8:0:0:0:0:2:1    | 2001:db8:0:0:0:0:2:1",
            "64:ff9b::192.0.2.33     | 64:ff9b:0:0:0:0:c000:221",
    })
    void ipv6LiteralsAreParsedToTheJdksFullForm(String text, String canonical) {
        IpAddress ip = IpAddress.parse(text).orElseThrow();

        assertThat(ip.isV4()).isFalse();
        assertThat(ip.toString()).isEqualTo(canonical);
        assertThat(ip.bytes()).hasSize(16);
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4Address() {
        assertThat(IpAddress.parse("::ffff:192.0.2.1")).contains(IpAddress.parse("192.0.2.1").orElseThrow());
    }

    @ParameterizedTest(name = "\"{0}\" is not an address")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "[]", "IPv6:", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.", "-1.2.3.4",
            "1.2.3.a", "1234.1.1.1", "+1.2.3.4", "1.2.3.4/24", "2001:db8::1::2", "2001:db8::g", "fe80::1%eth0",
            "12345::1", ":::", "1:2:3:4:5:6:7:8:9", "localhost", "example.com", "mail.example.org", "host.invalid",
            "a:b", ".::1", ".1:2", "..:", "[192.0.2.1", "1.2.3.4]",
            "\u0661.2.3.4", "\u0661::1", "\uff41::1", "2001:db8::\uff41"})
    void anythingElseIsNoAddress(String text) {
        assertThat(IpAddress.parse(text)).isEmpty();
    }

    @Test
    void namesAndGarbageAreNeverLookedUp() {
        // fresh hex tails: the JDK caches failed lookups, so a repeated name would not reach the resolver
        String u = Long.toHexString(System.nanoTime());
        RecordingResolverProvider.LOOKUPS.clear();
        for (String s : List.of("localhost", "example.com", "host.invalid", "a:b" + u, ".::" + u, ".1:" + u, "..:" + u,
                ":" + u + ".", "abc:" + u, "fe80::1%eth0", "[IPv6:nope]", "1.2.3.4.invalid", "[." + u + ":1]",
                "\u0661:" + u, "\uff41::" + u, "1\u0661:" + u)) {
            IpAddress.parse(s);
            Cidr.parse(s + "/24");
        }
        assertThat(RecordingResolverProvider.LOOKUPS).isEmpty();
    }

    @Test
    void theLookupRecorderReallyRecords() {
        RecordingResolverProvider.LOOKUPS.clear();
        try {
            InetAddress.getByName("probe-" + System.nanoTime() + ".decency.invalid");
        } catch (UnknownHostException expected) {
            // the recorder refuses .invalid names
        }
        assertThat(RecordingResolverProvider.LOOKUPS).singleElement().asString().endsWith(".decency.invalid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "127.0.0.2", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void loopbackAddressesAreLocal(String text) {
        assertThat(IpAddress.parse(text).orElseThrow().isLoopback()).isTrue();
        assertThat(Connection.of(text, "", "").isLocal()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"128.0.0.1", "126.255.255.255", "192.0.2.1", "::", "::2", "::1:0", "1::1", "2001:db8::1"})
    void otherAddressesAreNotLocal(String text) {
        assertThat(IpAddress.parse(text).orElseThrow().isLoopback()).isFalse();
        assertThat(Connection.of(text, "", "").isLocal()).isFalse();
    }

    @Test
    void aConnectionWithoutAnAddressIsNotLocal() {
        assertThat(Connection.of("", "", "").ip()).isNull();
        assertThat(Connection.of("unknown", "", "").isLocal()).isFalse();
        assertThat(Connection.of(null, null, null).clientAddress()).isEmpty();
    }

    @Test
    void equalAddressesAreEqualWhateverTheirSpelling() {
        IpAddress a = IpAddress.parse("2001:db8::1").orElseThrow();
        IpAddress b = IpAddress.parse("[IPv6:2001:0DB8:0:0::1]").orElseThrow();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(IpAddress.parse("192.0.2.1")).isNotEqualTo(IpAddress.parse("192.0.2.2"));
    }

    @Test
    void theNetworkOfAnAddressIsItsMaskedText() {
        assertThat(IpAddress.parse("192.0.2.77").orElseThrow().network(24)).isEqualTo("192.0.2.0/24");
        assertThat(IpAddress.parse("192.0.2.77").orElseThrow().network(26)).isEqualTo("192.0.2.64/26");
        assertThat(IpAddress.parse("192.0.2.77").orElseThrow().network(0)).isEqualTo("0.0.0.0/0");
        assertThat(IpAddress.parse("2001:db8:abcd:12::1").orElseThrow().network(48)).isEqualTo("2001:db8:abcd:0:0:0:0:0/48");
        assertThat(IpAddress.parse("2001:db8::1").orElseThrow().network(128)).isEqualTo("2001:db8:0:0:0:0:0:1/128");
    }

    @Test
    void bytesAreACopy() {
        IpAddress ip = IpAddress.parse("192.0.2.1").orElseThrow();
        ip.bytes()[0] = 10;

        assertThat(ip.toString()).isEqualTo("192.0.2.1");
        assertThat(ip.bytes()[0]).isEqualTo((byte) 192);
    }
}
