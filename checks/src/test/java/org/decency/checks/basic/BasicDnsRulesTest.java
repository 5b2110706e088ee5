package org.decency.checks.basic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.decency.checks.support.DnsTestSupport;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic's DNS rules (Postfix's reject_unknown_*) against the loopback DNS server. */
class BasicDnsRulesTest {
    static final String DNS_RULES = """
            weight_unknown_helo_hostname: -11
            weight_unknown_sender_domain: -12
            weight_unknown_recipient_domain: -13
            weight_unknown_reverse_client_hostname: -14
            """;
    static final String CLIENT = "192.0.2.10";
    static final Score PASSED = new Score("Basic", 0, "basic checks passed");

    @TempDir
    Path dir;
    DnsTestSupport dns;

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("mail.example.net", "A", "192.0.2.10")
                .add("10.2.0.192.in-addr.arpa", "PTR", "mail.example.net")
                .add("example.net", "MX", "10 mail.example.net")
                .add("example.org", "A", "198.51.100.80");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void aClientWhoseNamesAllExistPasses() throws Exception {
        assertThat(ask(DNS_RULES + "weight_unknown_client_hostname: -15\n", CLIENT, "mail.example.net", "a@example.net", "b@example.org"))
                .containsExactly(PASSED);
    }

    @Test
    void aHeloNameWithoutAAaaaOrMxIsHeloUnknown() throws Exception {
        assertThat(ask(DNS_RULES, CLIENT, "ghost.example.net", "a@example.net", "b@example.org")).containsExactly(
                new Score("BASIC_HELO_UNKNOWN", -11, "HELO \"ghost.example.net\" has no A, AAAA or MX record"));
    }

    @Test
    void aHeloNameWithOnlyAnMxRecordOrOnlyAnAaaaRecordIsKnown() throws Exception {
        dns.server.add("mxonly.example.net", "MX", "10 mail.example.net").add("v6.example.net", "AAAA", "2001:db8::1");

        assertThat(ask(DNS_RULES, CLIENT, "mxonly.example.net", "a@example.net", "b@example.org")).containsExactly(PASSED);
        assertThat(ask(DNS_RULES, CLIENT, "V6.Example.NET.", "a@example.net", "b@example.org")).containsExactly(PASSED);
    }

    @Test
    void theHeloIsNotLookedUpWhenASyntaxRuleFiredOrItIsAnAddress() throws Exception {
        String rules = DNS_RULES + "weight_non_fqdn_helo_hostname: -30\n";

        assertThat(ask(rules, CLIENT, "ghost", "a@example.net", "b@example.org")).extracting(Score::code)
                .containsExactly("BASIC_HELO_NOT_FQDN");
        assertThat(ask(rules, CLIENT, "[192.0.2.10]", "a@example.net", "b@example.org")).containsExactly(PASSED);
        assertThat(dns.server.asked()).noneMatch(q -> q.startsWith("ghost"));
    }

    @Test
    void theSenderRuleLooksAtTheSendersDomainAndTheRecipientRuleAtTheRecipients() throws Exception {
        // the seeds had these two swapped
        assertThat(ask(DNS_RULES, CLIENT, "mail.example.net", "a@nowhere.example", "b@example.org")).containsExactly(
                new Score("BASIC_SENDER_DOMAIN_UNKNOWN", -12, "sender domain nowhere.example has no A, AAAA or MX record"));
        assertThat(ask(DNS_RULES, CLIENT, "mail.example.net", "a@example.net", "b@nowhere.example")).containsExactly(
                new Score("BASIC_RECIPIENT_DOMAIN_UNKNOWN", -13, "recipient domain nowhere.example has no A, AAAA or MX record"));
    }

    @Test
    void aDomainWithANullMxIsUnknownForMail() throws Exception {
        dns.server.add("nomail.example", "MX", "0 .").add("nomail.example", "A", "198.51.100.1");

        assertThat(ask(DNS_RULES, CLIENT, "mail.example.net", "a@nomail.example", "b@example.org")).containsExactly(
                new Score("BASIC_SENDER_DOMAIN_UNKNOWN", -12, "sender domain nomail.example has a null MX record: it takes no mail"));
    }

    @Test
    void theNullSenderAndAnAddressLiteralDomainAreNotLookedUp() throws Exception {
        assertThat(ask(DNS_RULES, CLIENT, "mail.example.net", "", "b@example.org")).containsExactly(PASSED);
        assertThat(ask(DNS_RULES, CLIENT, "mail.example.net", "a@[192.0.2.10]", "b@example.org")).containsExactly(PASSED);
    }

    @Test
    void theSenderIsNotLookedUpBeforeMailFrom() throws Exception {
        BasicCheck check = basic(DNS_RULES);
        Transaction tx = Transaction.of(Stage.HELO, Connection.of(CLIENT, "", "mail.example.net"), Envelope.of("a@nowhere.example"));

        assertThat(check.evaluate(tx, new Evaluation(-100)).scores()).containsExactly(PASSED);
        assertThat(dns.server.asked()).noneMatch(q -> q.startsWith("nowhere.example"));
    }

    @Test
    void aClientWithoutPtrIsReverseClientUnknown() throws Exception {
        assertThat(ask(DNS_RULES, "192.0.2.99", "mail.example.net", "a@example.net", "b@example.org")).containsExactly(
                new Score("BASIC_REVERSE_CLIENT_UNKNOWN", -14, "client 192.0.2.99 has no reverse DNS name (PTR)"));
    }

    @Test
    void anIpv6ClientIsLookedUpUnderIp6Arpa() throws Exception {
        dns.server.add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "PTR", "v6.example.net")
                .add("v6.example.net", "AAAA", "2001:db8::1");
        String rules = "weight_unknown_client_hostname: -15\n";

        assertThat(ask(rules, "2001:db8::1", "mail.example.net", "a@example.net", "b@example.org")).containsExactly(PASSED);
        assertThat(ask(rules, "2001:db8::2", "mail.example.net", "a@example.net", "b@example.org")).containsExactly(
                new Score("BASIC_CLIENT_UNKNOWN", -15, "client 2001:db8:0:0:0:0:0:2 has no reverse DNS name (PTR)"));
    }

    @Test
    void aPtrNameThatDoesNotResolveBackIsClientUnknown() throws Exception {
        dns.server.add("11.2.0.192.in-addr.arpa", "PTR", "liar.example.net").add("liar.example.net", "A", "198.51.100.5");
        String rules = "weight_unknown_client_hostname: -15\n";

        assertThat(ask(rules, "192.0.2.11", "mail.example.net", "a@example.net", "b@example.org")).containsExactly(
                new Score("BASIC_CLIENT_UNKNOWN", -15, "client name liar.example.net does not resolve back to 192.0.2.11"));
        assertThat(ask(DNS_RULES, "192.0.2.11", "mail.example.net", "a@example.net", "b@example.org"))
                .as("a PTR is all the reverse rule asks for").containsExactly(PASSED);
    }

    @Test
    void withBothClientRulesOnAMissingPtrCountsOnce() throws Exception {
        assertThat(ask(DNS_RULES + "weight_unknown_client_hostname: -15\n", "192.0.2.99", "mail.example.net", "a@example.net", "b@example.org"))
                .extracting(Score::code).containsExactly("BASIC_REVERSE_CLIENT_UNKNOWN");
    }

    @Test
    void severalDnsRulesFireTogether() throws Exception {
        Outcome o = outcome(basic(DNS_RULES), "192.0.2.99", "ghost.example.net", "a@nowhere.example", "b@nowhere.example");

        assertThat(o.scores()).extracting(Score::code).containsExactly("BASIC_HELO_UNKNOWN", "BASIC_SENDER_DOMAIN_UNKNOWN",
                "BASIC_RECIPIENT_DOMAIN_UNKNOWN", "BASIC_REVERSE_CLIENT_UNKNOWN");
        assertThat(o.total()).isEqualTo(-50);
        assertThat(o.message()).contains("HELO \"ghost.example.net\" has no A, AAAA or MX record; sender domain nowhere.example");
    }

    @Test
    void aTimeoutOrServfailScoresNothingAndTheDetailSaysSo() throws Exception {
        dns.server.timeout("slow.example").servfail("broken.example").timeout("12.2.0.192.in-addr.arpa");

        long t0 = System.nanoTime();
        Outcome o = outcome(basic(DNS_RULES + "weight_unknown_client_hostname: -15\n"), "192.0.2.12", "slow.example", "a@broken.example", "b@example.org");
        List<Score> scores = o.scores();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(o.temporary()).as("the result cache must not keep it").isTrue();

        assertThat(scores).containsExactly(new Score("Basic", 0, "DNS did not answer (slow.example A (TIMEOUT), slow.example AAAA (TIMEOUT),"
                + " slow.example MX (TIMEOUT), broken.example A (SERVFAIL), broken.example AAAA (SERVFAIL), broken.example MX (SERVFAIL),"
                + " PTR of 192.0.2.12 (TIMEOUT)); the rules needing these answers were skipped"));
        assertThat(ms).as("asked at once: one resolver timeout, not five").isLessThan(3 * DnsTestSupport.TIMEOUT.toMillis());
    }

    @Test
    void aFoundRecordCountsEvenWhenAnotherQuestionTimedOut() throws Exception {
        dns.server.add("half.example", "A", "198.51.100.9").timeout("half.example", "AAAA").timeout("half.example", "MX");

        assertThat(ask(DNS_RULES, CLIENT, "half.example", "a@example.net", "b@example.org")).containsExactly(PASSED);
    }

    @Test
    void localClientsAndThisMachineAreNotLookedUp() throws Exception {
        BasicCheck check = basic(DNS_RULES, List.of("mx.test.invalid"), List.of("203.0.113.254"));

        assertThat(outcome(check, "127.0.0.1", "ghost.example.net", "a@nowhere.example", "b@example.org").scores()).containsExactly(PASSED);
        assertThat(outcome(check, "203.0.113.254", "ghost.example.net", "a@nowhere.example", "b@example.org").scores()).containsExactly(PASSED);
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void aCheckWithoutDnsRulesAsksNothing() throws Exception {
        BasicCheck check = basic("weight_non_fqdn_sender: -100\n");

        assertThat(outcome(check, "192.0.2.99", "ghost.example.net", "a@nowhere.example", "b@nowhere.example").scores()).containsExactly(PASSED);
        assertThat(dns.server.queries()).isZero();
        assertThat(check.blocking()).isFalse();
        assertThat(basic(DNS_RULES).blocking()).isTrue();
    }

    // --- helpers

    private BasicCheck basic(String yaml) {
        return basic(yaml, List.of(), List.of());
    }

    private BasicCheck basic(String yaml, List<String> ownNames, List<String> ownAddresses) {
        CheckEnvironment env = new CheckEnvironment(dns.store, dns.clock, dir, "doorman", ownNames, ownAddresses).withDns(dns.dns);
        return (BasicCheck) new BasicFactory().create("Basic", dns.yaml(yaml), env);
    }

    private List<Score> ask(String yaml, String ip, String helo, String sender, String recipient) throws Exception {
        return outcome(basic(yaml), ip, helo, sender, recipient).scores();
    }

    private static Outcome outcome(BasicCheck check, String ip, String helo, String sender, String recipient) throws Exception {
        Transaction tx = Transaction.of(Stage.RCPT, Connection.of(ip, "client.example.net", helo), Envelope.of(sender, recipient));
        return check.evaluate(tx, new Evaluation(-100));
    }
}
