package org.decency.checks.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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

/** DNSBL against the loopback DNS server: what lists answer, how it scores, and how fast. */
class DnsblCheckTest {
    static final String CLIENT = "192.0.2.66";
    static final String REVERSED = "66.2.0.192";

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
    void aHitAddsTheListsWeightAndAMissItsMissWeight() throws Exception {
        dns.server.add(REVERSED + ".bl.example", "A", "127.0.0.2");
        DnsblCheck check = check("""
                blacklist:
                  - {host: bl.example, weight: -80}
                  - {host: clean.example, weight: -50, miss_weight: 1.5, name: CLEAN}
                  - quiet.example
                """);

        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-100));

        assertThat(o.scores()).extracting(s -> s.brief())
                .containsExactly("DNSBL_BL_EXAMPLE=-80", "DNSBL_NOT_CLEAN=1.5");
        assertThat(o.scores().getFirst().detail()).isEqualTo("listed on bl.example (127.0.0.2)");
        assertThat(o.scores().get(1).detail()).isEqualTo("not listed on clean.example");
        assertThat(o.message()).isEqualTo("Blacklisted on: bl.example");
        assertThat(o.flags()).containsExactly("dnsbl_ip_192.0.2.66");
        assertThat(o.finalWord()).isNull();
        assertThat(o.temporary()).as("every list answered: the result cache may keep it").isFalse();
        assertThat(dns.server.asked()).containsExactlyInAnyOrder(
                REVERSED + ".bl.example/A", REVERSED + ".clean.example/A", REVERSED + ".quiet.example/A");
    }

    @Test
    void aClientOnNoListScoresZeroWithASummary() throws Exception {
        DnsblCheck check = check("blacklist: [bl.example, bl2.example]\n");

        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-100));

        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL=0");
        assertThat(o.scores().getFirst().detail()).isEqualTo("not listed on 2 lists");
        assertThat(o.message()).isEmpty();
    }

    @Test
    void anIpv6ClientIsAskedByNibblesAndListsForIpv4OnlyAreLeftOut() throws Exception {
        String nibbles = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";
        dns.server.add(nibbles + ".bl.example", "A", "127.0.0.2");
        DnsblCheck check = check("""
                blacklist:
                  - {host: bl.example, weight: -70}
                  - {host: v4only.example, ipv6: 0, miss_weight: 5}
                """);

        Outcome o = check.evaluate(tx("2001:DB8::1"), new Evaluation(-100));

        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL_BL_EXAMPLE=-70");
        assertThat(dns.server.asked()).containsExactly(nibbles + ".bl.example/A");
        assertThat(o.flags()).containsExactly("dnsbl_ip_2001:db8:0:0:0:0:0:1");
    }

    @Test
    void returnCodesHaveTheirOwnWeightsAndOthersAreIgnored() throws Exception {
        dns.server.add("1.2.0.192.zen.example", "A", "127.0.0.4");
        dns.server.add("2.2.0.192.zen.example", "A", "127.0.0.10");
        dns.server.add("3.2.0.192.zen.example", "A", "127.0.0.4").add("3.2.0.192.zen.example", "A", "127.0.0.2");
        DnsblCheck check = check("""
                blacklist:
                  - host: zen.example
                    name: ZEN
                    miss_weight: 2
                    codes: {127.0.0.2: -100, 127.0.0.4: -50}
                """);

        assertThat(brief(check, "192.0.2.1")).isEqualTo("DNSBL_ZEN=-50");
        assertThat(brief(check, "192.0.2.2")).as("a code the settings do not name: not listed").isEqualTo("DNSBL_NOT_ZEN=2");
        assertThat(brief(check, "192.0.2.3")).as("several codes: the strongest counts, once").isEqualTo("DNSBL_ZEN=-100");
    }

    @Test
    void aListOfCodesFiltersWithTheListsWeight() throws Exception {
        dns.server.add("1.2.0.192.bl.example", "A", "127.0.0.3");
        dns.server.add("2.2.0.192.bl.example", "A", "127.0.0.9");
        DnsblCheck check = check("blacklist: [{host: bl.example, weight: -30, codes: [127.0.0.2, 127.0.0.3]}]\n");

        assertThat(brief(check, "192.0.2.1")).isEqualTo("DNSBL_BL_EXAMPLE=-30");
        assertThat(brief(check, "192.0.2.2")).isEqualTo("DNSBL=0");
    }

    @Test
    void aBitmaskListCountsTheBitsOfTheLastOctet() throws Exception {
        dns.server.add("1.2.0.192.multi.example", "A", "127.0.0.2");
        dns.server.add("2.2.0.192.multi.example", "A", "127.0.0.12");   // 8 + 4
        dns.server.add("3.2.0.192.multi.example", "A", "127.0.0.1");    // no bit of ours
        DnsblCheck check = check("blacklist: [{host: multi.example, name: MULTI, bitmask: {4: -20, 8: -60}}]\n");

        assertThat(brief(check, "192.0.2.1")).isEqualTo("DNSBL=0");
        assertThat(brief(check, "192.0.2.2")).isEqualTo("DNSBL_MULTI=-60");
        assertThat(brief(check, "192.0.2.3")).isEqualTo("DNSBL=0");
    }

    @Test
    void answersOutside127AndRefusalsAreErrorsNotListings() throws Exception {
        dns.server.add("1.2.0.192.expired.example", "A", "198.51.100.1");
        dns.server.add("1.2.0.192.refusing.example", "A", "127.255.255.254");
        DnsblCheck check = check("blacklist: [{host: expired.example, miss_weight: 1}, {host: refusing.example, miss_weight: 1}]\n");

        Outcome o = check.evaluate(tx("192.0.2.1"), new Evaluation(-100));

        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL=0");
        assertThat(o.scores().getFirst().detail()).isEqualTo("expired.example: answered 198.51.100.1, outside 127.0.0.0/8; "
                + "refusing.example: refused the query (127.255.255.254)");
    }

    @Test
    void aHitOnAHarshListRejectsAtOnce() throws Exception {
        dns.server.add(REVERSED + ".bl.example", "A", "127.0.0.2");
        DnsblCheck check = check("harsh: 1\nblacklist: [{host: bl.example, weight: -10}, clean.example]\n");

        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-100));

        assertThat(o.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(o.finalWord().text()).isEqualTo("Blacklisted on: bl.example");
        assertThat(o.scores().getFirst().brief()).isEqualTo("DNSBL_BL_EXAMPLE=-10");
    }

    @Test
    void harshIsPerListAndIgnoresHitsOnWhitelists() throws Exception {
        dns.server.add(REVERSED + ".wl.example", "A", "127.0.0.2");
        dns.server.add(REVERSED + ".soft.example", "A", "127.0.0.2");
        DnsblCheck check = check("""
                harsh: 1
                blacklist:
                  - {host: wl.example, weight: 20, name: WL}
                  - {host: soft.example, weight: -10, harsh: 0}
                """);

        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-100));

        assertThat(o.finalWord()).isNull();
        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL_WL=20", "DNSBL_SOFT_EXAMPLE=-10");
        assertThat(o.message()).isEqualTo("Blacklisted on: soft.example");
    }

    @Test
    void maxHitsRejectsWhenThatManySpamListsListTheClient() throws Exception {
        for (String zone : new String[] {"a.example", "b.example", "c.example", "wl.example"}) {
            dns.server.add(REVERSED + "." + zone, "A", "127.0.0.2");
        }
        String lists = "blacklist: [{host: a.example, weight: -5}, {host: b.example, weight: -5}, "
                + "{host: c.example, weight: -5}, {host: wl.example, weight: 5}]\n";

        Outcome three = check("max_hits: 3\n" + lists).evaluate(tx(CLIENT), new Evaluation(-100));
        assertThat(three.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(three.finalWord().text()).startsWith("Blacklisted on: ").contains("a.example", "b.example", "c.example")
                .doesNotContain("wl.example");

        Outcome four = check("max_hits: 4\n" + lists).evaluate(tx(CLIENT), new Evaluation(-100));
        assertThat(four.finalWord()).as("a whitelist hit is no spam hit").isNull();
        assertThat(four.total()).isEqualTo(-10);
    }

    @Test
    void maxScoreRejectsWhenTheSpamHitsAddUpToIt() throws Exception {
        dns.server.add(REVERSED + ".a.example", "A", "127.0.0.2").add(REVERSED + ".b.example", "A", "127.0.0.2");
        String lists = "blacklist: [{host: a.example, weight: -30}, {host: b.example, weight: -30}, {host: c.example, weight: -30}]\n";

        Outcome reached = check("max_score: -60\n" + lists).evaluate(tx(CLIENT), new Evaluation(-100));
        assertThat(reached.finalWord().action()).isEqualTo(Action.REJECT);

        Outcome notReached = check("max_score: -61\n" + lists).evaluate(tx(CLIENT), new Evaluation(-100));
        assertThat(notReached.finalWord()).isNull();
        assertThat(notReached.total()).isEqualTo(-60);
    }

    @Test
    void theListsTxtReasonGoesIntoTheRejectText() throws Exception {
        dns.server.add(REVERSED + ".bl.example", "A", "127.0.0.2")
                .add(REVERSED + ".bl.example", "TXT", "Listed;   see https://bl.example/q?ip=" + CLIENT);
        DnsblCheck check = check("harsh: 1\nuse_txt: 1\nblacklist: [bl.example]\n");

        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-100));

        assertThat(o.finalWord().text()).isEqualTo("Blacklisted on: bl.example (Listed; see https://bl.example/q?ip=192.0.2.66)");
        assertThat(o.message()).isEqualTo(o.finalWord().text());
    }

    @Test
    void withoutUseTxtNoTxtIsAsked() throws Exception {
        dns.server.add(REVERSED + ".bl.example", "A", "127.0.0.2").add(REVERSED + ".bl.example", "TXT", "why");

        check("blacklist: [bl.example]\n").evaluate(tx(CLIENT), new Evaluation(-100));

        assertThat(dns.server.asked()).containsExactly(REVERSED + ".bl.example/A");
    }

    @Test
    void aServfailCountsZero() throws Exception {
        dns.server.servfail(REVERSED + ".broken.example").add(REVERSED + ".bl.example", "A", "127.0.0.2");
        DnsblCheck check = check("blacklist: [{host: broken.example, miss_weight: 3}, {host: bl.example, weight: -40}]\n");

        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-100));

        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL_BL_EXAMPLE=-40", "DNSBL=0");
        assertThat(o.scores().get(1).detail()).isEqualTo("broken.example: SERVFAIL");
        assertThat(o.total()).isEqualTo(-40);
        assertThat(o.temporary()).isTrue();
    }

    @Test
    void aSilentListDoesNotHoldTheDecisionBeyondTheBudgetAndCountsZero() throws Exception {
        dns.server.timeout(REVERSED + ".silent.example").add(REVERSED + ".bl.example", "A", "127.0.0.2");
        // the module's timeout 200ms leaves the check 180ms; the resolver would wait 400ms for the silent list
        DnsblCheck check = check("timeout: 200ms\nblacklist: [{host: silent.example, miss_weight: 3}, {host: bl.example, weight: -40}]\n");

        long t0 = System.nanoTime();
        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-100));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(170)).isLessThan(DnsTestSupport.TIMEOUT);
        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL_BL_EXAMPLE=-40", "DNSBL=0");
        assertThat(o.scores().get(1).detail()).isEqualTo("silent.example: no answer in time");
        assertThat(o.temporary()).isTrue();
    }

    @Test
    void listsAreAskedInParallel() throws Exception {
        dns.server.timeout(REVERSED + ".silent1.example").timeout(REVERSED + ".silent2.example")
                .add(REVERSED + ".bl.example", "A", "127.0.0.2");
        // Each silent list costs at least TIMEOUT (the resolver's) or the check's budget of 450ms, whichever ends first.
        DnsblCheck check = check("timeout: 500ms\nblacklist: [silent1.example, bl.example, silent2.example, clean.example]\n");

        long t0 = System.nanoTime();
        Outcome o = check.evaluate(tx(CLIENT), new Evaluation(-200));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        // asked one after the other, the two silent lists alone would take 2 x TIMEOUT
        assertThat(took).isGreaterThanOrEqualTo(DnsTestSupport.TIMEOUT).isLessThan(DnsTestSupport.TIMEOUT.multipliedBy(2));
        assertThat(dns.server.queries()).isEqualTo(4);
        assertThat(o.total()).isEqualTo(-100);
        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL_BL_EXAMPLE=-100", "DNSBL=0");
        assertThat(o.scores().getLast().detail()).startsWith("not listed on 1 list; silent1.example: ").contains("; silent2.example: ");
    }

    @Test
    void theWaitEndsOnceTheThresholdIsReached() throws Exception {
        dns.server.timeout(REVERSED + ".silent.example").add(REVERSED + ".bl.example", "A", "127.0.0.2");
        DnsblCheck check = check("blacklist: [silent.example, {host: bl.example, weight: -20}]\n");
        Evaluation run = new Evaluation(-100);
        run.add(Outcome.score("Earlier", -85, ""), 1);

        long t0 = System.nanoTime();
        Outcome o = check.evaluate(tx(CLIENT), run);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(DnsTestSupport.TIMEOUT);
        assertThat(o.scores()).extracting(s -> s.brief()).containsExactly("DNSBL_BL_EXAMPLE=-20");
        assertThat(o.message()).isEqualTo("Blacklisted on: bl.example");
        assertThat(o.temporary()).as("cut short: the result cache must not keep it").isTrue();
    }

    @Test
    void aClientWithoutAnAddressIsNotChecked() throws Exception {
        DnsblCheck check = check("blacklist: [bl.example]\n");

        assertThat(check.evaluate(tx("unknown"), new Evaluation(-100))).isEqualTo(Outcome.nothing());
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void theCacheKeyIsTheClientAddressAndTheCheckMayBlock() {
        DnsblCheck check = check("blacklist: [bl.example]\n");

        assertThat(check.cacheKey(tx("192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(check.cacheKey(tx("2001:DB8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(check.cacheKey(tx("unknown"))).isNull();
        assertThat(check.blocking()).isTrue();
        assertThat(check.stages()).containsExactlyInAnyOrder(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT);
    }

    private DnsblCheck check(String yaml) {
        return (DnsblCheck) new DnsblFactory().create("DNSBL", dns.yaml(yaml), dns.env());
    }

    private static String brief(DnsblCheck check, String ip) throws Exception {
        return check.evaluate(tx(ip), new Evaluation(-100)).scores().stream().map(s -> s.brief())
                .reduce((a, b) -> a + " " + b).orElse("");
    }

    static Transaction tx(String ip) {
        return Transaction.of(Stage.RCPT, Connection.of(ip, "unknown", "mail.sender.example"),
                Envelope.of("someone@sender.example", "rcpt@example.org"));
    }
}
