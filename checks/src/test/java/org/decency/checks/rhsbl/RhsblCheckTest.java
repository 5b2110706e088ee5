package org.decency.checks.rhsbl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.decency.checks.support.DnsTestSupport;
import org.decency.core.Action;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RHSBL against the loopback DNS server: the sender domain, the HELO name and the client name. */
class RhsblCheckTest {
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
    void eachIdentityIsAskedAboutAndAListedSenderDomainScores() throws Exception {
        dns.server.add("spam.example.dbl.example", "A", "127.0.1.2");
        RhsblCheck check = check("lists: [{host: dbl.example, weight: -60, name: DBL}]\n");

        Outcome o = check.evaluate(tx("mx.sender.example", "user@spam.example", "host.client.example"), new Evaluation(-100));

        assertThat(dns.server.asked()).containsExactlyInAnyOrder("spam.example.dbl.example/A",
                "mx.sender.example.dbl.example/A", "host.client.example.dbl.example/A");
        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("RHSBL_DBL=-60");
        assertThat(o.scores().getFirst().detail()).isEqualTo("listed on dbl.example (127.0.1.2; sender spam.example)");
        assertThat(o.message()).isEqualTo("Blacklisted on: dbl.example (sender spam.example)");
    }

    @Test
    void aListedHeloNameScores() throws Exception {
        dns.server.add("bad-helo.example.dbl.example", "A", "127.0.1.2");
        RhsblCheck check = check("lists: [dbl.example]\n");

        Outcome o = check.evaluate(tx("bad-helo.example", "user@sender.example", "unknown"), new Evaluation(-100));

        assertThat(o.message()).isEqualTo("Blacklisted on: dbl.example (helo bad-helo.example)");
        assertThat(o.total()).isEqualTo(-100);
    }

    @Test
    void aListedClientNameScoresAndUnknownIsNeverAsked() throws Exception {
        dns.server.add("dyn-1.isp.example.dbl.example", "A", "127.0.1.2");
        RhsblCheck check = check("lists: [{host: dbl.example, weight: -30, check: client}]\n");

        assertThat(check.evaluate(tx("mx.sender.example", "user@sender.example", "dyn-1.isp.example"), new Evaluation(-100)).message())
                .isEqualTo("Blacklisted on: dbl.example (client dyn-1.isp.example)");
        assertThat(check.evaluate(tx("mx.sender.example", "user@sender.example", "unknown"), new Evaluation(-100)))
                .isEqualTo(Outcome.nothing());
        assertThat(dns.server.asked()).containsExactly("dyn-1.isp.example.dbl.example/A");
    }

    @Test
    void onlyTheConfiguredIdentitiesAreAskedAndANameTheyShareOnce() throws Exception {
        RhsblCheck check = check("""
                lists:
                  - {host: a.example, check: [sender, helo], miss_weight: 1}
                  - {host: b.example, check: [helo]}
                """);

        Outcome o = check.evaluate(tx("sender.example", "user@Sender.Example", "host.client.example"), new Evaluation(-100));

        assertThat(dns.server.asked()).containsExactlyInAnyOrder("sender.example.a.example/A", "sender.example.b.example/A");
        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("RHSBL_NOT_A_EXAMPLE=1");
    }

    @Test
    void aListCountsOnceThoughSeveralNamesAreListed() throws Exception {
        dns.server.add("spam.example.dbl.example", "A", "127.0.1.2").add("spamhelo.example.dbl.example", "A", "127.0.1.2");
        RhsblCheck check = check("lists: [{host: dbl.example, weight: -40}]\n");

        Outcome o = check.evaluate(tx("spamhelo.example", "user@spam.example", "unknown"), new Evaluation(-100));

        assertThat(o.total()).isEqualTo(-40);
        assertThat(o.message()).isEqualTo("Blacklisted on: dbl.example (sender spam.example, helo spamhelo.example)");
    }

    @Test
    void parentDomainsAreAskedDownToTwoLabelsWhenWanted() throws Exception {
        dns.server.add("spam.example.dbl.example", "A", "127.0.1.2");
        Transaction tx = tx("[192.0.2.1]", "user@mail.sub.spam.example", "unknown");

        Outcome with = check("parent_domains: 1\nlists: [{host: dbl.example, check: sender, weight: -70}]\n").evaluate(tx, new Evaluation(-100));
        assertThat(with.total()).isEqualTo(-70);
        assertThat(with.message()).isEqualTo("Blacklisted on: dbl.example (sender spam.example)");
        assertThat(dns.server.asked()).containsExactlyInAnyOrder("mail.sub.spam.example.dbl.example/A",
                "sub.spam.example.dbl.example/A", "spam.example.dbl.example/A");

        Outcome without = check("lists: [{host: dbl.example, check: sender}]\n").evaluate(tx, new Evaluation(-100));
        assertThat(without.total()).isZero();
        assertThat(without.scores().getFirst().detail()).isEqualTo("not listed on 1 list");
    }

    @Test
    void aBounceAndAnAddressLiteralHeloGiveNothingToAsk() throws Exception {
        RhsblCheck check = check("lists: [dbl.example]\n");

        assertThat(check.evaluate(tx("[192.0.2.1]", "", "unknown"), new Evaluation(-100))).isEqualTo(Outcome.nothing());
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void harshAndReturnCodesWorkAsForDnsbl() throws Exception {
        dns.server.add("spam.example.dbl.example", "A", "127.0.1.2").add("phish.example.dbl.example", "A", "127.0.1.4");
        RhsblCheck check = check("lists: [{host: dbl.example, harsh: 1, codes: {127.0.1.2: 0, 127.0.1.4: -100}, check: sender}]\n");

        Outcome spam = check.evaluate(tx("x.example", "a@spam.example", "unknown"), new Evaluation(-100));
        assertThat(spam.finalWord()).as("a code weighing 0 is no spam hit").isNull();
        assertThat(spam.total()).isZero();

        Outcome phish = check.evaluate(tx("x.example", "a@phish.example", "unknown"), new Evaluation(-100));
        assertThat(phish.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(phish.finalWord().text()).isEqualTo("Blacklisted on: dbl.example (sender phish.example)");
    }

    @Test
    void theCacheKeyIsSenderDomainHeloAndClientName() {
        RhsblCheck check = check("lists: [dbl.example]\n");

        assertThat(check.cacheKey(tx("MX.Sender.Example", "u@Spam.Example", "unknown"))).isEqualTo("spam.example|mx.sender.example|");
        assertThat(check.blocking()).isTrue();
    }

    private RhsblCheck check(String yaml) {
        return (RhsblCheck) new RhsblFactory().create("RHSBL", dns.yaml(yaml), dns.env());
    }

    static Transaction tx(String helo, String sender, String clientName) {
        return Transaction.of(Stage.RCPT, Connection.of("192.0.2.66", clientName, helo), Envelope.of(sender, "rcpt@example.org"));
    }
}
