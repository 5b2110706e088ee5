package org.decency.dns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.decency.core.ManualClock;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsAnswer.Status;
import org.decency.dns.DnsType;
import org.decency.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsjavaDnsTest {
    final TestDnsServer server = TestDnsServer.start();
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));

    @AfterEach
    void stop() {
        server.close();
    }

    private DnsjavaDns dns(String... servers) {
        DnsSettings d = DnsSettings.of(servers.length == 0 ? new String[] {server.address()} : servers);
        return new DnsjavaDns(new DnsSettings(d.servers(), Duration.ofMillis(300), 0, 1000, Duration.ofDays(1),
                Duration.ofMinutes(5), Duration.ofSeconds(5)), clock);
    }

    private static DnsAnswer ask(DnsjavaDns dns, String name, DnsType type) {
        return dns.ask(name, type, Duration.ofSeconds(5));
    }

    @Test
    void addressesOfBothFamiliesComeBackAsLiterals() {
        server.add("mail.example.net", "A", "192.0.2.10").add("mail.example.net", "A", "192.0.2.11")
                .add("mail.example.net", "AAAA", "2001:db8::25");
        DnsjavaDns dns = dns();

        assertThat(ask(dns, "mail.example.net", DnsType.A).values()).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
        DnsAnswer six = ask(dns, "Mail.Example.NET.", DnsType.AAAA);
        assertThat(six.status()).isEqualTo(Status.OK);
        assertThat(six.values()).containsExactly("2001:db8:0:0:0:0:0:25");
        assertThat(six.ttlSeconds()).isEqualTo(300);
    }

    @Test
    void mxHostsComeInOrderOfPreferenceAndTxtStringsAreJoined() {
        server.add("example.net", "MX", "20 backup.example.net").add("example.net", "MX", "10 mx.example.net")
                .addTxt("example.net", List.of("v=spf1 ip4:192.0.2.0/24 ", "-all"))
                .add("10.2.0.192.in-addr.arpa", "PTR", "mail.example.net");
        DnsjavaDns dns = dns();

        assertThat(ask(dns, "example.net", DnsType.MX).values()).containsExactly("mx.example.net", "backup.example.net");
        assertThat(ask(dns, "example.net", DnsType.TXT).values()).containsExactly("v=spf1 ip4:192.0.2.0/24 -all");
        assertThat(ask(dns, "10.2.0.192.in-addr.arpa", DnsType.PTR).values()).containsExactly("mail.example.net");
    }

    @Test
    void txtTextComesAsItIsNotInPresentationForm() {
        server.addTxt("q.example.net", List.of("say \"hi\" \\ ", "caf\u00e9"))
                .add("ctl.example.net", "TXT", "v=spf1 a:x.example.net\rptr");
        DnsjavaDns dns = dns();

        assertThat(ask(dns, "q.example.net", DnsType.TXT).values()).containsExactly("say \"hi\" \\ caf\u00e9");
        assertThat(ask(dns, "ctl.example.net", DnsType.TXT).values()).containsExactly("v=spf1 a:x.example.net\rptr");
    }

    @Test
    void aliasesAreFollowed() {
        server.add("www.example.net", "CNAME", "web.example.net").add("web.example.net", "CNAME", "host.example.org")
                .add("host.example.org", "A", "198.51.100.4");
        DnsjavaDns dns = dns();

        assertThat(ask(dns, "www.example.net", DnsType.A).values()).containsExactly("198.51.100.4");
        assertThat(ask(dns, "www.example.net", DnsType.CNAME).values()).containsExactly("web.example.net");
    }

    @Test
    void noSuchNameAndNoSuchDataAreTold() {
        server.add("example.net", "A", "192.0.2.1").add("a.b.example.org", "A", "192.0.2.2");
        DnsjavaDns dns = dns();

        assertThat(ask(dns, "nothing.example.net", DnsType.A).status()).isEqualTo(Status.NXDOMAIN);
        assertThat(ask(dns, "example.net", DnsType.MX).status()).isEqualTo(Status.NODATA);
        assertThat(ask(dns, "b.example.org", DnsType.A).status()).as("an empty non-terminal exists").isEqualTo(Status.NODATA);
        assertThat(ask(dns, "nothing.example.net", DnsType.A).none()).isTrue();
    }

    @Test
    void aFailingServerAndASilentOneAreTemporaryErrors() {
        server.servfail("broken.example.net").timeout("slow.example.net");
        DnsjavaDns dns = dns();

        assertThat(ask(dns, "broken.example.net", DnsType.A).status()).isEqualTo(Status.SERVFAIL);
        long t0 = System.nanoTime();
        DnsAnswer slow = ask(dns, "slow.example.net", DnsType.A);
        assertThat(slow.status()).isEqualTo(Status.TIMEOUT);
        assertThat(slow.temporaryError()).isTrue();
        // 300 ms a try, no retries: the answer must not wait for dnsjava's own once-a-second timeout check
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("bounded by the configured timeout").isLessThan(Duration.ofMillis(900));
    }

    @Test
    void theSecondServerIsAskedWhenTheFirstIsSilent() {
        try (TestDnsServer silent = TestDnsServer.start()) {
            silent.timeout("example.net");
            server.add("example.net", "A", "192.0.2.1");
            DnsjavaDns dns = dns(silent.address(), server.address());

            assertThat(ask(dns, "example.net", DnsType.A).values()).containsExactly("192.0.2.1");
            assertThat(silent.queries()).isEqualTo(1);
        }
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() {
        server.add("big.example.net", "TXT", "x".repeat(600)).tcpOnly("big.example.net");
        DnsjavaDns dns = dns();

        assertThat(ask(dns, "big.example.net", DnsType.TXT).values()).containsExactly("x".repeat(600));
    }

    @Test
    void answersAreCachedForTheirTtlAndNegativeOnesForTheSoaMinimum() {
        server.ttl(60).negativeTtl(30).add("example.net", "A", "192.0.2.1");
        DnsjavaDns dns = dns();

        ask(dns, "example.net", DnsType.A);
        ask(dns, "missing.example.net", DnsType.A);
        ask(dns, "example.net", DnsType.A);
        ask(dns, "missing.example.net", DnsType.A);
        assertThat(server.queries()).isEqualTo(2);
        assertThat(dns.cacheHits()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(31));
        ask(dns, "missing.example.net", DnsType.A);
        ask(dns, "example.net", DnsType.A);
        assertThat(server.queries()).as("the negative answer expired, the positive one not yet").isEqualTo(3);

        clock.advance(Duration.ofSeconds(30));
        ask(dns, "example.net", DnsType.A);
        assertThat(server.queries()).isEqualTo(4);
    }

    @Test
    void timeoutsAreNotCached() {
        server.timeout("slow.example.net");
        DnsjavaDns dns = dns();
        ask(dns, "slow.example.net", DnsType.A);
        ask(dns, "slow.example.net", DnsType.A);
        assertThat(server.queries()).isEqualTo(2);
    }

    @Test
    void questionsAskedAtOnceShareOneQuery() {
        server.add("example.net", "A", "192.0.2.1");
        DnsjavaDns dns = dns();

        List<CompletableFuture<DnsAnswer>> all = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> dns.query("example.net", DnsType.A)).toList();
        all.forEach(f -> assertThat(f.join().values()).containsExactly("192.0.2.1"));
        assertThat(server.queries()).isEqualTo(1);
    }

    @Test
    void namesDnsCannotCarryAreRefusedWithoutAsking() {
        DnsjavaDns dns = dns();
        assertThat(ask(dns, "a".repeat(64) + ".example.net", DnsType.TXT).status()).isEqualTo(Status.BAD_NAME);
        assertThat(ask(dns, "a..example.net", DnsType.TXT).status()).isEqualTo(Status.BAD_NAME);
        assertThat(ask(dns, "", DnsType.A).status()).isEqualTo(Status.BAD_NAME);
        assertThat(server.queries()).isZero();
    }
}
