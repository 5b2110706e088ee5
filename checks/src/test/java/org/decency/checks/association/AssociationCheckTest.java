package org.decency.checks.association;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.decency.checks.support.DnsTestSupport;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.dns.resolver.DnsSettings;
import org.decency.dns.resolver.DnsjavaDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Association against the loopback DNS server: every step, hit and miss, IPv6, timeouts. */
class AssociationCheckTest {
    static final String NOT_ASSOCIATED = "Sender IP not associated with sender domain";

    @TempDir
    Path dir;
    DnsTestSupport dns;

    @BeforeEach
    void start() {
        dns = new DnsTestSupport(dir);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void theClientAsAnAddressOfTheSenderDomainIsADirectHit() {
        dns.server.add("example.org", "A", "192.0.2.10");

        Outcome o = ask("", "192.0.2.10", "whatever.example", "user@Example.ORG");

        assertThat(o.scores()).containsExactly(new Score("CL_IP_EQ_FROM_IP", 20, "client 192.0.2.10 is an address of example.org"));
        assertThat(o.flags()).containsExactly("assoc_ok");
        assertThat(o.message()).isEmpty();
    }

    @Test
    void theClientAsAnMxHostOfTheSenderDomainIsADirectHit() {
        dns.server.add("example.org", "MX", "10 mx1.example.org").add("example.org", "MX", "20 mx2.provider.example")
                .add("mx1.example.org", "A", "198.51.100.1").add("mx2.provider.example", "A", "192.0.2.20");

        assertThat(ask("", "192.0.2.20", "x.example", "user@example.org").scores()).containsExactly(
                new Score("CL_IP_EQ_FROM_MX", 20, "client 192.0.2.20 is mx2.provider.example, a mail host of example.org"));
    }

    @Test
    void anIpv6ClientHitsOnAaaaRecords() {
        dns.server.add("example.org", "AAAA", "2001:db8::25").add("example.org", "MX", "10 mx.example.org")
                .add("mx.example.org", "AAAA", "2001:db8:1::25");

        assertThat(ask("", "2001:db8::25", "x.example", "u@example.org").scores()).extracting(Score::code).containsExactly("CL_IP_EQ_FROM_IP");
        assertThat(ask("", "2001:DB8:1:0::25", "x.example", "u@example.org").scores()).containsExactly(
                new Score("CL_IP_EQ_FROM_MX", 20, "client 2001:db8:1:0:0:0:0:25 is mx.example.org, a mail host of example.org"));
    }

    @ParameterizedTest(name = "client {0}: /{1} scores {2}")
    @CsvSource({"198.51.100.1, 31, 20", "198.51.100.2, 30, 20", "198.51.100.4, 29, 10", "198.51.100.8, 28, 10",
            "198.51.100.16, 27, 10", "198.51.100.32, 26, 5", "198.51.100.64, 25, 5", "198.51.100.128, 24, 5"})
    void aSharedNetworkScoresTheSeedsWeightOfTheNarrowestPrefix(String client, int prefix, double weight) {
        dns.server.add("example.org", "MX", "10 mx.example.org").add("mx.example.org", "A", "198.51.100.0");

        Outcome o = ask("", client, "x.example", "u@example.org");

        assertThat(o.scores()).containsExactly(new Score("FROM_IP_IN_CL_SUBNET", weight, "client " + client + " shares 198.51.100."
                + (Integer.parseInt(client.substring(client.lastIndexOf('.') + 1)) & (0xff << (32 - prefix))) + "/" + prefix
                + " with mx.example.org (198.51.100.0)"));
        assertThat(o.flags()).containsExactly("assoc_ok");
    }

    @Test
    void theNarrowestPrefixWinsWhicheverAddressItComesFrom() {
        // the domain's own address shares only a /24, the second MX host a /30: /30 is asked first
        dns.server.add("example.org", "A", "192.0.2.1").add("example.org", "MX", "10 mx.example.org")
                .add("mx.example.org", "A", "192.0.2.129");

        assertThat(ask("", "192.0.2.130", "x.example", "u@example.org").scores()).containsExactly(
                new Score("FROM_IP_IN_CL_SUBNET", 20, "client 192.0.2.130 shares 192.0.2.128/30 with mx.example.org (192.0.2.129)"));
    }

    @Test
    void outsideEveryConfiguredPrefixIsNoHit() {
        dns.server.add("example.org", "A", "198.51.100.0");

        Outcome o = ask("", "198.51.101.1", "x.example", "u@example.org");

        assertThat(o.scores()).containsExactly(new Score("CLIENT_NOT_MX_A_FROM_DOMAIN", -20,
                "no hit: client 198.51.101.1 is not associated with example.org"));
        assertThat(o.message()).isEqualTo(NOT_ASSOCIATED);
        assertThat(o.flags()).isEmpty();
    }

    @Test
    void ipv6RangesUseTheirOwnPrefixes() {
        dns.server.add("example.org", "AAAA", "2001:db8:1:2::1");

        assertThat(ask("", "2001:db8:1:2::99", "x.example", "u@example.org").scores()).containsExactly(new Score(
                "FROM_IP_IN_CL_SUBNET", 5, "client 2001:db8:1:2:0:0:0:99 shares 2001:db8:1:2:0:0:0:0/64 with example.org (2001:db8:1:2:0:0:0:1)"));
        assertThat(ask("", "2001:db8:1:3::1", "x.example", "u@example.org").scores()).extracting(Score::code)
                .containsExactly("CLIENT_NOT_MX_A_FROM_DOMAIN");
        assertThat(ask("weight_range_hit_v6: {48: 3}\n", "2001:db8:1:3::1", "x.example", "u@example.org").scores())
                .extracting(Score::code, Score::delta).containsExactly(org.assertj.core.groups.Tuple.tuple("FROM_IP_IN_CL_SUBNET", 3.0));
    }

    @Test
    void aForwardConfirmedClientNameInTheSenderDomainIsADomainHit() {
        dns.server.add("example.org", "A", "198.51.100.80")
                .add("50.2.0.192.in-addr.arpa", "PTR", "out-7.mailer.example.org").add("out-7.mailer.example.org", "A", "192.0.2.50");

        assertThat(ask("", "192.0.2.50", "x.example", "u@example.org").scores()).containsExactly(new Score(
                "CL_HOSTNAME_MATCHES_FROM_DOMAIN", 15, "client name out-7.mailer.example.org is in the domain of example.org (example.org)"));
    }

    @Test
    void aClientNameInTheDomainOfAnMxHostIsADomainHit() {
        // mail hosted by a provider: the client is one of the provider's outbound servers
        dns.server.add("example.com", "MX", "10 aspmx.l.provider.example").add("aspmx.l.provider.example", "A", "198.51.100.26")
                .add("51.2.0.192.in-addr.arpa", "PTR", "mail-out3.provider.example").add("mail-out3.provider.example", "A", "192.0.2.51");

        assertThat(ask("", "192.0.2.51", "x.example", "u@example.com").scores()).containsExactly(new Score(
                "CL_HOSTNAME_MATCHES_FROM_DOMAIN", 15, "client name mail-out3.provider.example is in the domain of aspmx.l.provider.example (provider.example)"));
    }

    @Test
    void aPtrNameThatDoesNotResolveBackCountsOnlyWithoutConfirmPtr() {
        // anyone can write any name into his own reverse zone
        dns.server.add("example.org", "A", "198.51.100.80").add("52.2.0.192.in-addr.arpa", "PTR", "mail.example.org")
                .add("mail.example.org", "A", "198.51.100.81");

        assertThat(ask("", "192.0.2.52", "x.example", "u@example.org").scores()).extracting(Score::code).containsExactly("CLIENT_NOT_MX_A_FROM_DOMAIN");
        assertThat(ask("confirm_ptr: 0\n", "192.0.2.52", "x.example", "u@example.org").scores()).extracting(Score::code)
                .containsExactly("CL_HOSTNAME_MATCHES_FROM_DOMAIN");
    }

    @Test
    void aSecondLevelRegistryIsNoDomainOfItsOwn() {
        dns.server.add("example.co.uk", "A", "198.51.100.80")
                .add("53.2.0.192.in-addr.arpa", "PTR", "smtp.example.co.uk").add("smtp.example.co.uk", "A", "192.0.2.53")
                .add("54.2.0.192.in-addr.arpa", "PTR", "smtp.other.co.uk").add("smtp.other.co.uk", "A", "192.0.2.54");

        assertThat(ask("", "192.0.2.53", "x.example", "u@example.co.uk").scores()).extracting(Score::code).containsExactly("CL_HOSTNAME_MATCHES_FROM_DOMAIN");
        assertThat(ask("", "192.0.2.54", "x.example", "u@example.co.uk").scores()).extracting(Score::code).containsExactly("CLIENT_NOT_MX_A_FROM_DOMAIN");
    }

    @Test
    void aHeloThatResolvesToTheClientInTheSenderDomainIsADomainHit() {
        dns.server.add("example.org", "A", "198.51.100.80").add("relay.example.org", "A", "192.0.2.60")
                .add("fake.example.org", "A", "198.51.100.99");

        assertThat(ask("", "192.0.2.60", "Relay.Example.org", "u@example.org").scores()).containsExactly(new Score(
                "FROM_MATCHES_HELO_DOMAIN", 15, "HELO relay.example.org resolves to the client and is in the domain of example.org (example.org)"));
        assertThat(ask("", "192.0.2.60", "fake.example.org", "u@example.org").scores()).as("a HELO that does not resolve to the client")
                .extracting(Score::code).containsExactly("CLIENT_NOT_MX_A_FROM_DOMAIN");
    }

    @Test
    void aSenderDomainWithoutRecordsIsNotFound() {
        Outcome o = ask("", "192.0.2.10", "x.example", "u@nowhere.example");

        assertThat(o.scores()).containsExactly(new Score("FROM_DOMAIN_NOT_FOUND", -20, "no hit, sender domain nowhere.example not found"));
        assertThat(o.message()).isEqualTo("Sender domain could not be resolved");
    }

    @Test
    void aTimeoutIsNoMissButNotJudged() {
        dns.server.timeout("slow.example").timeout("10.2.0.192.in-addr.arpa");

        long t0 = System.nanoTime();
        Outcome o = ask("", "192.0.2.10", "helo.slow.example", "u@slow.example");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(o.scores()).containsExactly(new Score("Association", 0, "not judged: DNS did not answer (slow.example A (TIMEOUT),"
                + " slow.example AAAA (TIMEOUT), slow.example MX (TIMEOUT), PTR of 192.0.2.10 (TIMEOUT))"));
        assertThat(o.flags()).isEmpty();
        assertThat(o.message()).isEmpty();
        assertThat(o.temporary()).as("the result cache must not keep it").isTrue();
        assertThat(ms).as("every question at once: about one resolver timeout").isLessThan(3 * DnsTestSupport.TIMEOUT.toMillis());
    }

    @Test
    void aServfailIsNotJudgedEither() {
        dns.server.servfail("broken.example");

        assertThat(ask("", "192.0.2.10", "x.example", "u@broken.example").scores()).singleElement()
                .satisfies(s -> assertThat(s.code()).isEqualTo("Association"))
                .satisfies(s -> assertThat(s.delta()).isZero())
                .satisfies(s -> assertThat(s.detail()).startsWith("not judged: DNS did not answer (broken.example A (SERVFAIL)"));
    }

    @Test
    void aHitCountsEvenWhenAnotherQuestionTimedOut() {
        dns.server.add("example.org", "A", "192.0.2.10").timeout("example.org", "AAAA").timeout("example.org", "MX");

        Outcome o = ask("", "192.0.2.10", "x.example", "u@example.org");
        assertThat(o.scores()).extracting(Score::code).containsExactly("CL_IP_EQ_FROM_IP");
        assertThat(o.temporary()).as("incomplete answers are not kept by the result cache").isTrue();
    }

    @Test
    void theModuleBudgetBoundsASilentNameserver() {
        // a resolver that would wait 5 s per question; the module's timeout is 300 ms
        DnsjavaDns patient = new DnsjavaDns(new DnsSettings(DnsSettings.of(dns.server.address()).servers(), Duration.ofSeconds(5), 0,
                100, Duration.ofDays(1), Duration.ofMinutes(5), Duration.ofSeconds(5)));
        dns.server.timeout("slow.example");
        AssociationCheck check = (AssociationCheck) new AssociationFactory().create("Association", dns.yaml("timeout: 300ms\n"),
                dns.env().withDns(patient));

        long t0 = System.nanoTime();
        Outcome o = check.evaluate(rcpt("192.0.2.10", "x.example", "u@slow.example"), new Evaluation(-100));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(o.scores()).singleElement().satisfies(s -> assertThat(s.detail()).startsWith("not judged: DNS did not answer"));
        assertThat(ms).isBetween(200L, 1500L);
    }

    @Test
    void withRespectSpfPassMailWhoseSpfPassedIsNotJudged() {
        dns.server.add("example.org", "A", "198.51.100.80");
        Evaluation spfPassed = new Evaluation(-100);
        spfPassed.flag("spf_pass");

        AssociationCheck respecting = check("");
        assertThat(respecting.evaluate(rcpt("192.0.2.10", "x.example", "u@example.org"), spfPassed).scores())
                .containsExactly(new Score("Association", 0, "not judged: SPF passed"));
        assertThat(check("respect_spf_pass: 0\n").evaluate(rcpt("192.0.2.10", "x.example", "u@example.org"), spfPassed).scores())
                .extracting(Score::code).containsExactly("CLIENT_NOT_MX_A_FROM_DOMAIN");
    }

    @Test
    void bouncesAndLocalClientsAreNotJudgedAndAskNothing() {
        assertThat(ask("", "192.0.2.10", "x.example", "").scores()).containsExactly(new Score("Association", 0, "not judged: no sender domain"));
        assertThat(ask("", "127.0.0.1", "x.example", "u@example.org").scores()).containsExactly(new Score("Association", 0, "not judged: local client"));
        assertThat(ask("", "192.0.2.10", "x.example", "root@localhost").scores()).containsExactly(
                new Score("Association", 0, "not judged: sender domain localhost is not fully qualified"));
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void anAddressLiteralSenderDomainIsComparedWithoutDns() {
        assertThat(ask("", "192.0.2.10", "x.example", "u@[192.0.2.10]").scores()).extracting(Score::code).containsExactly("CL_IP_EQ_FROM_IP");
        assertThat(ask("", "192.0.2.10", "x.example", "u@[192.0.2.11]").scores()).extracting(Score::code).containsExactly("CLIENT_NOT_MX_A_FROM_DOMAIN");
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void aWeightOfZeroTurnsItsStepOff() {
        dns.server.add("example.org", "A", "192.0.2.10");

        assertThat(ask("weight_direct_hit: 0\n", "192.0.2.10", "x.example", "u@example.org").scores())
                .as("the next step that applies: the /31 around the address").extracting(Score::code, Score::delta)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FROM_IP_IN_CL_SUBNET", 20.0));
        assertThat(ask("weight_direct_hit: 0\nweight_range_hit: {}\n", "192.0.2.10", "x.example", "u@example.org").scores())
                .extracting(Score::code).containsExactly("CLIENT_NOT_MX_A_FROM_DOMAIN");
    }

    @Test
    void aModuleUnderAnotherNamePrefixesItsCodes() {
        dns.server.add("example.org", "A", "192.0.2.10");
        AssociationCheck check = (AssociationCheck) new AssociationFactory().create("Assoc2", dns.yaml(""), dns.env());

        assertThat(check.evaluate(rcpt("192.0.2.10", "x.example", "u@example.org"), new Evaluation(-100)).scores())
                .extracting(Score::code).containsExactly("ASSOC2_CL_IP_EQ_FROM_IP");
    }

    @Test
    void itBlocksAndItsOutcomeDependsOnClientSenderDomainAndHelo() {
        AssociationCheck check = check("");

        assertThat(check.blocking()).isTrue();
        assertThat(check.cacheKey(rcpt("192.0.2.10", "Mail.Example.org", "someone@example.org")))
                .isEqualTo("192.0.2.10|example.org|mail.example.org");
        assertThat(check.cacheKey(rcpt("192.0.2.10", "mail.example.org", "other@example.org")))
                .isEqualTo(check.cacheKey(rcpt("192.0.2.10", "mail.example.org", "someone@example.org")));
        assertThat(check.stages()).containsExactlyInAnyOrder(Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.END_OF_MESSAGE);
    }

    // --- helpers

    private AssociationCheck check(String yaml) {
        return (AssociationCheck) new AssociationFactory().create("Association", dns.yaml(yaml), dns.env());
    }

    private Outcome ask(String yaml, String ip, String helo, String sender) {
        return check(yaml).evaluate(rcpt(ip, helo, sender), new Evaluation(-100));
    }

    static Transaction rcpt(String ip, String helo, String sender) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "client.example.net", helo), Envelope.of(sender, "user@example.net"));
    }
}
