package org.decency.checks.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.decency.core.IpAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The combined lookups against the loopback DNS server. */
class DnsLookupsTest {
    @TempDir
    Path dir;
    DnsTestSupport dns;

    @AfterEach
    void stop() {
        if (dns != null) dns.close();
    }

    private DnsLookups lookups(Duration budget) {
        if (dns == null) dns = new DnsTestSupport(dir);
        return new DnsLookups(dns.dns, Deadline.after(budget));
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    @Test
    void ptrNamesAreTheReversedAddress() {
        assertThat(DnsLookups.ptrName(ip("192.0.2.10"))).isEqualTo("10.2.0.192.in-addr.arpa");
        assertThat(DnsLookups.ptrName(ip("2001:db8::567:89ab"))).isEqualTo(
                "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    }

    @Test
    void addressesComeFromAAndAaaa() {
        DnsLookups l = lookups(Duration.ofSeconds(5));
        dns.server.add("mail.example.org", "A", "192.0.2.1").add("mail.example.org", "AAAA", "2001:db8::1");

        Addresses a = l.deadline().await(l.addresses("Mail.Example.org."), () -> null);

        assertThat(a.name()).isEqualTo("mail.example.org");
        assertThat(a.list()).containsExactly(ip("192.0.2.1"), ip("2001:db8::1"));
        assertThat(a.complete()).isTrue();
    }

    @Test
    void anUnansweredHalfIsNamedAndTheOtherHalfKept() {
        DnsLookups l = lookups(Duration.ofSeconds(5));
        dns.server.add("mail.example.org", "A", "192.0.2.1").timeout("mail.example.org", "AAAA");

        Addresses a = l.deadline().await(l.addresses("mail.example.org"), () -> null);

        assertThat(a.list()).containsExactly(ip("192.0.2.1"));
        assertThat(a.unanswered()).containsExactly("mail.example.org AAAA (TIMEOUT)");
        assertThat(a.knownEmpty()).isFalse();
    }

    @Test
    void mailHostsAreFollowedToTheirAddressesInOrderOfPreference() {
        DnsLookups l = lookups(Duration.ofSeconds(5));
        dns.server.add("example.org", "MX", "20 mx2.example.org").add("example.org", "MX", "10 mx1.example.org")
                .add("mx1.example.org", "A", "192.0.2.1").add("mx2.example.org", "AAAA", "2001:db8::2");

        MailHosts m = l.deadline().await(l.mailHosts("example.org"), () -> null);

        assertThat(m.names()).containsExactly("mx1.example.org", "mx2.example.org");
        assertThat(m.addresses()).containsExactly(ip("192.0.2.1"), ip("2001:db8::2"));
        assertThat(m.hostWith(ip("2001:db8::2")).map(Addresses::name)).contains("mx2.example.org");
        assertThat(m.complete()).isTrue();
        assertThat(m.nullMx()).isFalse();
    }

    @Test
    void reverseNamesAreForwardConfirmedOnRequest() {
        DnsLookups l = lookups(Duration.ofSeconds(5));
        dns.server.add("10.2.0.192.in-addr.arpa", "PTR", "good.example.org").add("10.2.0.192.in-addr.arpa", "PTR", "bad.example.org")
                .add("good.example.org", "A", "192.0.2.10").add("bad.example.org", "A", "192.0.2.99");

        ReverseNames r = l.deadline().await(l.reverse(ip("192.0.2.10"), true), () -> null);

        assertThat(r.names()).containsExactlyInAnyOrder("good.example.org", "bad.example.org");
        assertThat(r.confirmed()).containsExactly("good.example.org");
        assertThat(l.deadline().await(l.reverse(ip("192.0.2.11"), true), () -> null).none()).isTrue();
    }

    @Test
    void aSilentNameEndsAtTheDeadlineNotAtTheResolversTimeout() {
        // a resolver that would wait 5 s; the deadline is 150 ms
        if (dns == null) dns = new DnsTestSupport(dir);
        var slow = new org.decency.dns.resolver.DnsjavaDns(new org.decency.dns.resolver.DnsSettings(
                org.decency.dns.resolver.DnsSettings.of(dns.server.address()).servers(), Duration.ofSeconds(5), 0, 100,
                Duration.ofDays(1), Duration.ofMinutes(5), Duration.ofSeconds(5)));
        dns.server.timeout("silent.example");
        DnsLookups l = new DnsLookups(slow, Deadline.after(Duration.ofMillis(150)));

        long t0 = System.nanoTime();
        Addresses a = l.deadline().await(l.addresses("silent.example"), () -> Addresses.late("silent.example"));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(a.unanswered()).containsExactly("silent.example A (TIMEOUT)", "silent.example AAAA (TIMEOUT)");
        assertThat(ms).isLessThan(1500);
    }
}
