package org.decency.checks.deepdnsbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.decency.checks.support.DnsTestSupport;
import org.decency.checks.support.TestMails;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Transaction;
import org.decency.pipeline.ModuleOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepDNSBL against the loopback DNS server: the relays of a mail, the Doorman's flags, the limits. */
class DeepDnsblCheckTest {
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

    DeepDnsblCheck check(String yaml) {
        ConfigNode n = dns.yaml(yaml);
        ModuleOptions.read("DeepDNSBL", n);
        return (DeepDnsblCheck) new DeepDnsblFactory().create("DeepDNSBL", n, dns.env());
    }

    Transaction mail(String... relays) {
        StringBuilder b = new StringBuilder();
        for (String r : relays) b.append("Received: from h.example (h.example [").append(r).append("]) by mx.example.org (Postfix)\n");
        return TestMails.tx(new TestMails(dir).raw(b + "From: a@example.net\nSubject: relayed\n\nbody\n"));
    }

    static String briefs(Outcome o) {
        return String.join(" ", o.scores().stream().map(Score::brief).toList());
    }

    @Test
    void everyRelayIsAskedAndAListedOneScoresWithTheAddressNamed() throws Exception {
        dns.server.add("156.32.33.45.bl.example", "A", "127.0.0.2");
        DeepDnsblCheck check = check("blacklist: [{host: bl.example, weight: -80}, {host: clean.example, miss_weight: 2}]\n");

        Outcome o = check.evaluate(mail("5.6.7.8", "10.0.0.1", "45.33.32.156"), new Evaluation(-100));

        assertThat(briefs(o)).isEqualTo("DeepDNSBL_BL_EXAMPLE=-80 DeepDNSBL_NOT_CLEAN_EXAMPLE=2");
        assertThat(o.scores().getFirst().detail()).isEqualTo("listed on bl.example (127.0.0.2; from 45.33.32.156)");
        assertThat(o.message()).isEqualTo("Blacklisted on: bl.example (from 45.33.32.156)");
        assertThat(o.flags()).containsExactly("dnsbl_ip_5.6.7.8", "dnsbl_ip_45.33.32.156");
        assertThat(o.temporary()).isFalse();
        assertThat(dns.server.asked()).containsExactlyInAnyOrder("8.7.6.5.bl.example/A", "156.32.33.45.bl.example/A",
                "8.7.6.5.clean.example/A", "156.32.33.45.clean.example/A");
    }

    @Test
    void addressesTheDoormanAskedAboutAreSkipped() throws Exception {
        dns.server.add("8.7.6.5.bl.example", "A", "127.0.0.2");
        DeepDnsblCheck check = check("blacklist: [bl.example]\n");
        Evaluation run = new Evaluation(-100);
        run.flag("dnsbl_ip_5.6.7.8");

        Outcome o = check.evaluate(mail("5.6.7.8", "45.33.32.156"), run);

        assertThat(briefs(o)).isEqualTo("DeepDNSBL=0");
        assertThat(o.scores().getFirst().detail()).isEqualTo("not listed on 1 list; 1 address asked about by DNSBL before");
        assertThat(dns.server.asked()).containsExactly("156.32.33.45.bl.example/A");
        assertThat(o.temporary()).as("rests on this run's flags: not for the result cache").isTrue();
    }

    @Test
    void atMostMaxIpsAreAsked() throws Exception {
        DeepDnsblCheck check = check("max_ips: 2\nblacklist: [bl.example]\n");

        Outcome o = check.evaluate(mail("5.6.7.8", "45.33.32.156", "77.88.99.1", "9.9.9.9"), new Evaluation(-100));

        assertThat(o.scores().getFirst().detail()).isEqualTo("not listed on 1 list; 2 more not asked (max_ips)");
        assertThat(dns.server.asked()).containsExactlyInAnyOrder("8.7.6.5.bl.example/A", "156.32.33.45.bl.example/A");
    }

    @Test
    void aMailWithoutPublicRelaysAsksNothing() throws Exception {
        DeepDnsblCheck check = check("blacklist: [bl.example]\n");

        Outcome o = check.evaluate(mail("192.168.1.1", "127.0.0.1"), new Evaluation(-100));

        assertThat(o.scores().getFirst().detail()).isEqualTo("no public address in the Received fields");
        assertThat(dns.server.asked()).isEmpty();
        assertThat(check.cacheKey(mail("192.168.1.1"))).isNull();
    }

    @Test
    void aDnsErrorCountsZeroAndIsNotKept() throws Exception {
        dns.server.servfail("8.7.6.5.bl.example");
        DeepDnsblCheck check = check("blacklist: [bl.example]\n");

        Outcome o = check.evaluate(mail("5.6.7.8"), new Evaluation(-100));

        assertThat(briefs(o)).isEqualTo("DeepDNSBL=0");
        assertThat(o.scores().getFirst().detail()).isEqualTo("bl.example: SERVFAIL");
        assertThat(o.temporary()).isTrue();
    }

    @Test
    void aWhitelistedMailIsNotLookedAt() throws Exception {
        Evaluation run = new Evaluation(-100);
        run.flag("whitelisted");

        Outcome o = check("blacklist: [bl.example]\n").evaluate(mail("5.6.7.8"), run);

        assertThat(o.scores().getFirst().detail()).isEqualTo("skipped due to whitelisting");
        assertThat(dns.server.asked()).isEmpty();
    }

    @Test
    void theCacheKeyIsTheListOfRelays() {
        DeepDnsblCheck check = check("blacklist: [bl.example]\n");

        assertThat(check.cacheKey(mail("5.6.7.8", "10.1.1.1", "45.33.32.156"))).isEqualTo("5.6.7.8,45.33.32.156");
    }

    @Test
    void theSeedsFileLoadsAndErrorsNameTheLine() {
        DeepDnsblCheck seeds = check("""
                ---

                harsh: 0
                blacklist:
                  - host: ix.dnsbl.manitu.net
                    weight: -100
                  - host: b.barracudacentral.org
                    weight: -80
                """);
        assertThat(seeds.blocking()).isTrue();

        assertThatThrownBy(() -> check("max_ips: 0\nblacklist: [bl.example]\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":1: max_ips: expected 1 to 50 addresses, got 0");
        assertThatThrownBy(() -> check("max_ips: 3\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("blacklist: is required");
    }
}
