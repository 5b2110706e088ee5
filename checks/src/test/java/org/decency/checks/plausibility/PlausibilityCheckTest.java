package org.decency.checks.plausibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.checks.support.DnsTestSupport;
import org.decency.core.Check;
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

/**
 * Plausibility against the loopback DNS server, every rule hit and miss. With
 * {@code factor: 1} a score is policyd-weight's default with the sign turned.
 *
 * <p>The zone (documentation addresses stand for public ones): client 192.0.2.10 is {@code mail.example.org} (PTR and A agree) and says
 * so in its HELO; the sender domain {@code example.org} has its MX elsewhere. Tests
 * change one thing at a time.
 */
class PlausibilityCheckTest {
    static final String C = "192.0.2.10";
    /** policyd-weight's own scale; the documentation networks these tests use for public hosts are not bogus here. */
    static final String UNIT = "factor: 1\nbogus_networks: [0.0.0.0/8, 10.0.0.0/8, 127.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, \"fc00::/7\"]\n";

    @TempDir
    Path dir;
    DnsTestSupport dns;

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("mail.example.org", "A", C).add("10.2.0.192.in-addr.arpa", "PTR", "mail.example.org")
                .add("example.org", "MX", "10 mx.example.org").add("mx.example.org", "A", "81.2.69.160")
                .add("other.example.net", "A", "198.51.100.7");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    // --- client IP vs HELO

    @Test
    void aHeloThatResolvesToTheClientIsClIpEqHeloIp() {
        Outcome o = ask(UNIT, C, "mail.example.org", "alice@example.org");

        assertThat(o.scores()).containsExactly(new Score("CL_IP_EQ_HELO_IP", 2, "HELO mail.example.org resolves to the client 192.0.2.10"));
        assertThat(o.message()).as("no spam finding, no message").isEmpty();
    }

    @Test
    void aClientThatIsAnMxOfTheHelosDomainIsClIpEqHeloMx() {
        dns.server.add("relay.example.net", "A", "198.51.100.70").add("example.net", "MX", "10 mx.example.net")
                .add("mx.example.net", "A", C);

        assertThat(ask(UNIT, C, "relay.example.net", "alice@example.org").scores()).containsExactly(
                new Score("CL_IP_EQ_HELO_MX", 3.1, "client 192.0.2.10 is mx.example.net, a mail host of example.net"));
    }

    @Test
    void aHeloInTheClientsSlash24IsHeloIpInClSubnet() {
        dns.server.add("near.example.net", "A", "192.0.2.99");

        assertThat(ask(UNIT, C, "near.example.net", "alice@example.org").scores()).containsExactly(
                new Score("HELO_IP_IN_CL_SUBNET", 1.2, "HELO near.example.net resolves to 192.0.2.99, in the client's 192.0.2.0/24"));
    }

    @Test
    void aHeloInTheClientsSlash16IsHeloIpInCl16SubnetAndTheReverseNameDecides() {
        dns.server.add("far.example.net", "A", "192.0.77.1");

        assertThat(ask(UNIT, C, "far.example.net", "alice@example.org").scores()).extracting(Score::code, Score::delta).containsExactly(
                tuple("HELO_IP_IN_CL16_SUBNET", 0.41), tuple("RESOLVED_IP_IS_NOT_HELO", -1.5));
    }

    @Test
    void aHeloThatResolvesElsewhereIsClIpNeHelo() {
        Outcome o = ask(UNIT, C, "other.example.net", "alice@example.org");

        assertThat(o.scores()).containsExactly(
                new Score("CL_IP_NE_HELO", -1.5, "HELO other.example.net resolves to [198.51.100.7], not to the client 192.0.2.10 or its network"),
                new Score("RESOLVED_IP_IS_NOT_HELO", -1.5, "client name mail.example.org does not match HELO \"other.example.net\""));
        assertThat(o.message()).isEqualTo(PlausibilityConfig.DEFAULT_MESSAGE);
    }

    @Test
    void aHeloWithoutAddressesIsHeloNoA() {
        assertThat(ask(UNIT, C, "ghost.example.net", "alice@example.org").scores()).extracting(Score::code, Score::delta).containsExactly(
                tuple("HELO_NO_A", -1.5), tuple("RESOLVED_IP_IS_NOT_HELO", -1.5));
    }

    @Test
    void aClientThatIsAHostOfTheSenderDomainNeedsNoMatchingHelo() {
        dns.server.add("example.com", "MX", "10 mail.example.org");

        assertThat(ask(UNIT, C, "other.example.net", "bob@example.com").scores()).containsExactly(new Score("Plausibility", 0, "plausible"));
    }

    @Test
    void aNumericHeloIsHeloNumeric() {
        assertThat(ask(UNIT, C, "[192.0.2.10]", "alice@example.org").scores()).containsExactly(
                new Score("HELO_NUMERIC", -2.5, "HELO \"[192.0.2.10]\" is an address"));
        assertThat(ask(UNIT, C, "192.0.2.10", "alice@example.org").scores()).extracting(Score::code)
                .containsExactly("HELO_NUMERIC", "RESOLVED_IP_IS_NOT_HELO");
    }

    @Test
    void ipv6ClientsAreComparedWithAaaaRecordsAndTheirSlash64AndSlash48() {
        dns.server.add("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "PTR", "mail6.example.org")
                .add("mail6.example.org", "AAAA", "2001:db8::10")
                .add("same64.example.net", "AAAA", "2001:db8::ffff:1")
                .add("same48.example.net", "AAAA", "2001:db8:0:1::1");

        assertThat(ask(UNIT, "2001:db8::10", "mail6.example.org", "alice@example.org").scores()).extracting(Score::code)
                .containsExactly("CL_IP_EQ_HELO_IP");
        assertThat(ask(UNIT, "2001:db8::10", "same64.example.net", "alice@example.org").scores()).containsExactly(new Score(
                "HELO_IP_IN_CL_SUBNET", 1.2, "HELO same64.example.net resolves to 2001:db8:0:0:0:0:ffff:1, in the client's 2001:db8:0:0:0:0:0:0/64"));
        assertThat(ask(UNIT, "2001:db8::10", "same48.example.net", "alice@example.org").scores()).extracting(Score::code)
                .containsExactly("HELO_IP_IN_CL16_SUBNET", "RESOLVED_IP_IS_NOT_HELO");
    }

    // --- reverse DNS

    @Test
    void aClientWithoutPtrIsNoReverse() {
        dns.server.add("h11.example.org", "A", "192.0.2.11");

        assertThat(ask(UNIT, "192.0.2.11", "h11.example.org", "alice@example.org").scores()).containsExactly(
                new Score("CL_IP_EQ_HELO_IP", 2, "HELO h11.example.org resolves to the client 192.0.2.11"),
                new Score("NO_REVERSE", -0.5, "client 192.0.2.11 has no PTR record"));
    }

    @Test
    void aPtrNameThatDoesNotResolveBackIsRevIpNotConfirmed() {
        dns.server.add("12.2.0.192.in-addr.arpa", "PTR", "liar.example.org").add("liar.example.org", "A", "198.51.100.5")
                .add("h12.example.org", "A", "192.0.2.12");

        assertThat(ask(UNIT, "192.0.2.12", "h12.example.org", "alice@example.org").scores()).extracting(Score::code, Score::delta)
                .containsExactly(tuple("CL_IP_EQ_HELO_IP", 2.0), tuple("REV_IP_NOT_CONFIRMED", -0.5));
    }

    @Test
    void aPtrEqualToAnUnverifiedHeloIsRevIpEqHelo() {
        dns.server.add("13.2.0.192.in-addr.arpa", "PTR", "gw.example.org").add("gw.example.org", "A", "198.51.100.13");

        assertThat(ask(UNIT, "192.0.2.13", "gw.example.org", "alice@example.org").scores()).extracting(Score::code, Score::delta)
                .containsExactly(tuple("CL_IP_NE_HELO", -1.5), tuple("REV_IP_NOT_CONFIRMED", -0.5), tuple("REV_IP_EQ_HELO", 1.25));
    }

    @Test
    void aPtrInTheDomainOfAnUnverifiedHeloIsRevIpEqHeloDomain() {
        dns.server.add("smtp.example.org", "A", "198.51.100.7");

        assertThat(ask(UNIT, C, "smtp.example.org", "alice@example.org").scores()).containsExactly(
                new Score("CL_IP_NE_HELO", -1.5, "HELO smtp.example.org resolves to [198.51.100.7], not to the client 192.0.2.10 or its network"),
                new Score("REV_IP_EQ_HELO_DOMAIN", 1.25, "client name mail.example.org is in the HELO's domain example.org"));
    }

    @Test
    void aVerifiedHeloNeedsNoReverseMatch() {
        dns.server.add("alias.example.net", "A", C);

        assertThat(ask(UNIT, C, "alias.example.net", "alice@example.org").scores()).extracting(Score::code).containsExactly("CL_IP_EQ_HELO_IP");
    }

    // --- dial-up pools

    @Test
    void aClientNameOfADialupPoolIsClSeemsDialup() {
        dns.server.add("20.2.0.192.in-addr.arpa", "PTR", "dsl-192-0-2-20.dyn.isp.example").add("dsl-192-0-2-20.dyn.isp.example", "A", "192.0.2.20");

        Outcome o = ask(UNIT, "192.0.2.20", "dsl-192-0-2-20.dyn.isp.example", "alice@example.org");

        assertThat(o.scores()).extracting(Score::code, Score::delta).containsExactly(tuple("CL_IP_EQ_HELO_IP", 2.0), tuple("CL_SEEMS_DIALUP", -3.75));
        assertThat(o.scores().get(1).detail()).startsWith("client name dsl-192-0-2-20.dyn.isp.example looks like a dial-up pool (");
    }

    @Test
    void aClientNameThatLooksLikeAMailServerIsNoPool() {
        dns.server.add("21.2.0.192.in-addr.arpa", "PTR", "mail.dyn.isp.example").add("mail.dyn.isp.example", "A", "192.0.2.21");

        assertThat(ask(UNIT, "192.0.2.21", "mail.dyn.isp.example", "alice@example.org").scores()).extracting(Score::code)
                .containsExactly("CL_IP_EQ_HELO_IP");
    }

    @Test
    void aMailHostOfTheSenderDomainIsNeverTakenForAPool() {
        dns.server.add("22.2.0.192.in-addr.arpa", "PTR", "dsl-22.dyn.isp.example").add("dsl-22.dyn.isp.example", "A", "192.0.2.22")
                .add("isp.example", "MX", "10 dsl-22.dyn.isp.example");

        assertThat(ask(UNIT, "192.0.2.22", "dsl-22.dyn.isp.example", "user@isp.example").scores()).extracting(Score::code)
                .containsExactly("CL_IP_EQ_HELO_IP");
    }

    @Test
    void aPoolHeloIsHeloSeemsDialupOrNokHeloSeemsDialup() {
        dns.server.add("ppp-10.pool.isp.example", "A", C).add("ppp-99.pool.isp.example", "A", "198.51.100.99");

        assertThat(ask(UNIT, C, "ppp-10.pool.isp.example", "alice@example.org").scores()).extracting(Score::code, Score::delta)
                .containsExactly(tuple("CL_IP_EQ_HELO_IP", 2.0), tuple("HELO_SEEMS_DIALUP", -1.5));
        assertThat(ask(UNIT, C, "ppp-99.pool.isp.example", "alice@example.org").scores()).extracting(Score::code, Score::delta)
                .containsExactly(tuple("CL_IP_NE_HELO", -1.5), tuple("RESOLVED_IP_IS_NOT_HELO", -1.5), tuple("NOK_HELO_SEEMS_DIALUP", -2.0));
    }

    // --- sender

    @Test
    void aSenderDomainWithoutMxOrAIsSenderNoMxOrA() {
        assertThat(ask(UNIT, C, "mail.example.org", "a@nowhere.example").scores()).containsExactly(
                new Score("CL_IP_EQ_HELO_IP", 2, "HELO mail.example.org resolves to the client 192.0.2.10"),
                new Score("SENDER_NO_MX_OR_A", -2.1, "sender domain nowhere.example has neither MX nor A/AAAA records"));
        dns.server.add("aonly.example", "A", "81.2.69.161");
        assertThat(ask(UNIT, C, "mail.example.org", "a@aonly.example").scores()).extracting(Score::code).containsExactly("CL_IP_EQ_HELO_IP");
    }

    @Test
    void aMailHostInAPrivateNetworkIsBogusMx() {
        dns.server.add("bogus.example", "MX", "10 mx.bogus.example").add("mx.bogus.example", "A", "10.1.2.3");

        assertThat(ask(UNIT, C, "mail.example.org", "a@bogus.example").scores()).contains(new Score("BOGUS_MX", -2.1,
                "mail host mx.bogus.example of bogus.example resolves to 10.1.2.3 in bogus network 10.0.0.0/8"));
    }

    @Test
    void otherBogusMailSetupsAreBogusMxToo() {
        dns.server.add("nullmx.example", "MX", "0 .")
                .add("dangling.example", "MX", "10 gone.dangling.example")
                .add("loop.example", "A", "127.0.0.1")
                .add("ula.example", "MX", "10 mx.ula.example").add("mx.ula.example", "AAAA", "fd00::25");

        assertThat(bogusDetail("a@nullmx.example")).isEqualTo("sender domain nullmx.example has a null MX: it takes no mail");
        assertThat(bogusDetail("a@dangling.example")).isEqualTo("no mail host of dangling.example resolves (gone.dangling.example)");
        assertThat(bogusDetail("a@loop.example")).isEqualTo("sender domain loop.example has no MX and resolves to 127.0.0.1 in bogus network 127.0.0.0/8");
        assertThat(bogusDetail("a@ula.example")).isEqualTo("mail host mx.ula.example of ula.example resolves to fd00:0:0:0:0:0:0:25 in bogus network fc00:0:0:0:0:0:0:0/7");
        assertThat(ask(UNIT, C, "mail.example.org", "alice@example.org").scores()).extracting(Score::code).doesNotContain("BOGUS_MX");
    }

    @Test
    void theDefaultBogusNetworksIncludeTheDocumentationNetworks() {
        dns.server.add("doc.example", "MX", "10 mx.doc.example").add("mx.doc.example", "A", "198.51.100.25");

        assertThat(ask("factor: 1\n", C, "mail.example.org", "a@doc.example").scores()).contains(new Score("BOGUS_MX", -2.1,
                "mail host mx.doc.example of doc.example resolves to 198.51.100.25 in bogus network 198.51.100.0/24"));
    }

    @Test
    void bogusNetworksCanBeConfigured() {
        dns.server.add("loop.example", "A", "127.0.0.1");

        assertThat(ask("factor: 1\nbogus_networks: [10.0.0.0/8, 198.51.100.0/24]\n", C, "mail.example.org", "a@loop.example").scores())
                .extracting(Score::code).containsExactly("CL_IP_EQ_HELO_IP");
    }

    @Test
    void aRandomLookingLocalPartIsRandomSender() {
        assertThat(ask(UNIT, C, "mail.example.org", "xkrtvbq@example.org").scores()).contains(
                new Score("RANDOM_SENDER", -0.25, "sender <xkrtvbq@example.org> looks random: 5 or more consonants in a row"));
        assertThat(ask(UNIT, C, "mail.example.org", "a7k2m9x4@example.org").scores()).extracting(Score::code).contains("RANDOM_SENDER");
        assertThat(ask(UNIT, C, "mail.example.org", "jsmith1980@example.org").scores()).extracting(Score::code).doesNotContain("RANDOM_SENDER");
    }

    @Test
    void aSenderBelowItsRegistrableDomainWithAnUnverifiedHeloIsFromMultiparted() {
        dns.server.add("lists.example.net", "MX", "10 mx.example.org");

        assertThat(ask(UNIT, C, "other.example.net", "a@lists.example.net").scores()).extracting(Score::code).containsExactly(
                "CL_IP_NE_HELO", "RESOLVED_IP_IS_NOT_HELO", "FROM_MULTIPARTED");
        assertThat(ask(UNIT, C, "mail.example.org", "a@lists.example.net").scores()).extracting(Score::code).containsExactly("CL_IP_EQ_HELO_IP");
        dns.server.add("example.co.uk", "MX", "10 mx.example.org");
        assertThat(ask(UNIT, C, "other.example.net", "a@example.co.uk").scores()).as("example.co.uk is registrable, not multi-part")
                .extracting(Score::code).doesNotContain("FROM_MULTIPARTED");
    }

    @Test
    void nobodyAndAnonymousAreFromNbdyAnon() {
        assertThat(ask(UNIT, C, "mail.example.org", "nobody@example.org").scores()).contains(
                new Score("FROM_NBDY_ANON", -1.17, "sender <nobody@example.org> is nobody or anonymous"));
        assertThat(ask(UNIT, C, "mail.example.org", "Web-Anonymous@example.org").scores()).extracting(Score::code).contains("FROM_NBDY_ANON");
        assertThat(ask(UNIT, C, "mail.example.org", "nobodyelse@example.org").scores()).extracting(Score::code).doesNotContain("FROM_NBDY_ANON");
    }

    // --- DNS failures, budget, parallel lookups

    @Test
    void aHeloLookupThatTimesOutScoresNothingAndTheDetailSaysSo() {
        dns.server.timeout("helo.slow.example").timeout("slow.example");

        Outcome o = ask(UNIT, C, "helo.slow.example", "alice@example.org");

        assertThat(o.scores()).containsExactly(new Score("Plausibility", 0, "DNS did not answer (helo.slow.example A (TIMEOUT),"
                + " helo.slow.example AAAA (TIMEOUT), slow.example MX (TIMEOUT)); the rules needing these answers were skipped"));
        assertThat(o.message()).isEmpty();
        assertThat(o.temporary()).as("the result cache must not keep it").isTrue();
    }

    @Test
    void aSenderDomainThatFailsIsNoMissingDomain() {
        dns.server.servfail("broken.example");

        assertThat(ask(UNIT, C, "mail.example.org", "a@broken.example").scores()).extracting(Score::code, Score::delta).containsExactly(
                tuple("CL_IP_EQ_HELO_IP", 2.0), tuple("Plausibility", 0.0));
    }

    @Test
    void everyQuestionIsAskedAtOnce() {
        dns.server.timeout("helo.slow.example").timeout("slow.example").timeout("mail.slow.example").timeout("10.2.0.192.in-addr.arpa");

        long t0 = System.nanoTime();
        Outcome o = ask(UNIT, C, "helo.slow.example", "a@mail.slow.example");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(o.scores()).extracting(Score::code).containsExactly("Plausibility");
        assertThat(ms).as("seven silent questions cost about one resolver timeout").isLessThan(3 * DnsTestSupport.TIMEOUT.toMillis());
    }

    @Test
    void theModuleBudgetBoundsASilentNameserver() {
        DnsjavaDns patient = new DnsjavaDns(new DnsSettings(DnsSettings.of(dns.server.address()).servers(), Duration.ofSeconds(5), 0,
                100, Duration.ofDays(1), Duration.ofMinutes(5), Duration.ofSeconds(5)));
        dns.server.timeout("helo.slow.example").timeout("slow.example");
        Check check = new PlausibilityFactory().create("Plausibility", dns.yaml("timeout: 300ms\n"), dns.env().withDns(patient));

        long t0 = System.nanoTime();
        Outcome o = evaluate(check, rcpt(C, "helo.slow.example", "alice@example.org"));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(o.scores()).extracting(Score::code).containsExactly("Plausibility");
        assertThat(o.scores().getFirst().detail()).startsWith("DNS did not answer (helo.slow.example A (TIMEOUT)");
        assertThat(ms).isBetween(200L, 1500L);
    }

    // --- what is not judged, configuration, names

    @Test
    void bouncesMailToPostmasterAndLocalClientsAreNotJudgedAndAskNothing() {
        Check check = check(UNIT);

        assertThat(evaluate(check, rcpt(C, "x.example", "")).scores()).containsExactly(new Score("Plausibility", 0, "not judged: null sender"));
        assertThat(evaluate(check, Transaction.of(Stage.RCPT, Connection.of(C, "", "x.example"), Envelope.of("a@b.example", "Postmaster@example.net")))
                .scores()).containsExactly(new Score("Plausibility", 0, "not judged: mail for Postmaster@example.net"));
        assertThat(evaluate(check, rcpt("::1", "x.example", "a@b.example")).scores()).containsExactly(new Score("Plausibility", 0, "not judged: local client"));
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void theDefaultFactorScalesPolicydWeightsScoresToOurThreshold() {
        Outcome o = ask("", C, "other.example.net", "alice@example.org");

        assertThat(o.scores()).extracting(Score::code, Score::delta).containsExactly(
                tuple("CL_IP_NE_HELO", -37.5), tuple("RESOLVED_IP_IS_NOT_HELO", -37.5));
    }

    @Test
    void aWeightOfZeroTurnsARuleOff() {
        assertThat(ask(UNIT + "weight_cl_ip_ne_helo: 0\n", C, "other.example.net", "alice@example.org").scores())
                .extracting(Score::code).containsExactly("RESOLVED_IP_IS_NOT_HELO");
    }

    @Test
    void policydWeightIsTheSameCheckAndARenamedModulePrefixesItsCodes() {
        Check alias = new PolicydWeightFactory().create("PolicydWeight", dns.yaml(UNIT), dns.env());
        Check renamed = new PlausibilityFactory().create("Plausible2", dns.yaml(UNIT), dns.env());
        Transaction tx = rcpt(C, "mail.example.org", "alice@example.org");

        assertThat(evaluate(alias, tx).scores()).extracting(Score::code).containsExactly("CL_IP_EQ_HELO_IP");
        assertThat(evaluate(renamed, tx).scores()).extracting(Score::code).containsExactly("PLAUSIBLE2_CL_IP_EQ_HELO_IP");
    }

    @Test
    void itBlocksAndItsOutcomeDependsOnClientHeloAndSender() {
        Check check = check(UNIT);

        assertThat(check.blocking()).isTrue();
        assertThat(check.cacheKey(rcpt(C, "Mail.Example.org", "alice@example.org"))).isEqualTo("192.0.2.10|mail.example.org|alice@example.org");
        assertThat(check.cacheKey(Transaction.of(Stage.RCPT, Connection.of(C, "", "x.example"), Envelope.of("a@b.example", "abuse@example.net"))))
                .isNull();
        assertThat(check.stages()).containsExactlyInAnyOrder(Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.END_OF_MESSAGE);
    }

    // --- helpers

    private String bogusDetail(String sender) {
        List<Score> scores = ask(UNIT, C, "mail.example.org", sender).scores();
        return scores.stream().filter(s -> s.code().equals("BOGUS_MX")).map(Score::detail).findFirst().orElse("no BOGUS_MX in " + scores);
    }

    private Check check(String yaml) {
        return new PlausibilityFactory().create("Plausibility", dns.yaml(yaml), dns.env());
    }

    private Outcome ask(String yaml, String ip, String helo, String sender) {
        return evaluate(check(yaml), rcpt(ip, helo, sender));
    }

    private static Outcome evaluate(Check check, Transaction tx) {
        try {
            return check.evaluate(tx, new Evaluation(-100));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Transaction rcpt(String ip, String helo, String sender) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "client.example.net", helo), Envelope.of(sender, "user@example.net"));
    }
}
