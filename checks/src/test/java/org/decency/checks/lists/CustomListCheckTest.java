package org.decency.checks.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decency.checks.lists.ListTestSupport.ask;

import java.nio.file.Path;
import org.decency.core.Action;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomListCheckTest {
    @TempDir
    Path dir;
    ListTestSupport t;

    @BeforeEach
    void setUp() {
        t = new ListTestSupport(dir);
    }

    @Test
    void cwlHitAnswersOkWithTheWhitelistedFlagAndSaysWhatMatched() throws Exception {
        CustomListCheck cwl = t.cwl("""
                ips:
                  example.org: [192.0.2.0/24]
                """);

        Outcome o = ask(cwl, "192.0.2.7", "a@partner.example", "b@example.org");

        assertThat(o.finalWord().action()).isEqualTo(Action.OK);
        assertThat(o.finalWord().text()).isEqualTo("Hit on Custom White List");
        assertThat(o.flags()).containsExactly("whitelisted");
        assertThat(o.scores()).singleElement().satisfies(s -> {
            assertThat(s.code()).isEqualTo("CWL");
            assertThat(s.delta()).isZero();
            assertThat(s.detail()).isEqualTo("client 192.0.2.7 in 192.0.2.0/24 for example.org");
        });
    }

    @Test
    void cblHitRejectsWithTheDefaultOrTheConfiguredMessage() throws Exception {
        CustomListCheck plain = t.cbl("ips: {example.org: [198.51.100.7]}");
        CustomListCheck custom = t.cbl("""
                reject_message: Go away
                ips: {example.org: [198.51.100.7]}
                """);

        Outcome o = ask(plain, "198.51.100.7", "a@b.example", "c@example.org");
        assertThat(o.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(o.finalWord().text()).isEqualTo("Hit on Custom Black List");
        assertThat(o.flags()).isEmpty();
        assertThat(o.scores().getFirst().detail()).isEqualTo("client 198.51.100.7 for example.org");

        assertThat(ask(custom, "198.51.100.7", "a@b.example", "c@example.org").finalWord().text()).isEqualTo("Go away");
    }

    @Test
    void normalListEntriesApplyOnlyToTheirRecipientDomain() throws Exception {
        CustomListCheck cbl = t.cbl("ips: {example.org: [198.51.100.7]}");

        assertThat(ask(cbl, "198.51.100.7", "a@b.example", "c@example.org").finalWord()).isNotNull();
        assertThat(ask(cbl, "198.51.100.7", "a@b.example", "c@other.example")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "198.51.100.8", "a@b.example", "c@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void entriesForEveryDomainFollowTheSenderList() throws Exception {
        String entries = """
                ips: {"*": [192.0.2.0/24]}
                domains: {"*": [spam.example]}
                addresses: {"*": [bad@example.net]}
                """;
        CustomListCheck off = t.cbl("activate_sender_list: 0\n" + entries);
        CustomListCheck on = t.cbl(entries);

        assertThat(ask(off, "192.0.2.9", "x@y.example", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(on, "192.0.2.9", "x@y.example", "r@example.org").scores().getFirst().detail())
                .isEqualTo("client 192.0.2.9 in 192.0.2.0/24 for *");
        assertThat(ask(on, "203.0.113.1", "x@spam.example", "r@any.example").scores().getFirst().detail())
                .isEqualTo("sender domain spam.example for *");
        assertThat(ask(on, "203.0.113.1", "bad@example.net", "r@any.example").scores().getFirst().detail())
                .isEqualTo("sender address bad@example.net for *");
    }

    @Test
    void deactivatingTheNormalListLeavesOnlyTheOthers() throws Exception {
        CustomListCheck cbl = t.cbl("""
                deactivate_normal_list: yes
                activate_sender_list: yes
                ips: {example.org: [198.51.100.7], "*": [192.0.2.1]}
                """);

        assertThat(ask(cbl, "198.51.100.7", "a@b.example", "c@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "192.0.2.1", "a@b.example", "c@example.org").finalWord()).isNotNull();
    }

    @Test
    void recipientListTakesEverythingToARecipientDomain() throws Exception {
        String entries = """
                domains: {lists.example: ["*"], example.org: [spam.example]}
                """;
        CustomListCheck off = t.cwl(entries);
        CustomListCheck on = t.cwl("activate_recipient_list: 1\n" + entries);

        assertThat(ask(off, "203.0.113.5", "anyone@anywhere.example", "list@lists.example")).isEqualTo(Outcome.nothing());
        Outcome hit = ask(on, "203.0.113.5", "anyone@anywhere.example", "list@lists.example");
        assertThat(hit.finalWord().action()).isEqualTo(Action.OK);
        assertThat(hit.scores().getFirst().detail()).isEqualTo("recipient domain lists.example listed for every sender");
        assertThat(ask(on, "203.0.113.5", "anyone@anywhere.example", "x@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void recipientListAloneIgnoresNormalEntries() throws Exception {
        CustomListCheck cwl = t.cwl("""
                deactivate_normal_list: 1
                activate_recipient_list: 1
                domains: {lists.example: ["*"], example.org: [partner.example]}
                """);

        assertThat(ask(cwl, "203.0.113.5", "a@partner.example", "x@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cwl, "203.0.113.5", "a@partner.example", "x@lists.example").finalWord()).isNotNull();
    }

    @Test
    void aListedDomainCoversItsSubDomainsButNotLookAlikes() throws Exception {
        CustomListCheck cbl = t.cbl("domains: {example.org: [example.net]}");

        assertThat(ask(cbl, "203.0.113.5", "a@example.net", "r@example.org").scores().getFirst().detail())
                .isEqualTo("sender domain example.net for example.org");
        assertThat(ask(cbl, "203.0.113.5", "a@mx.mail.example.net", "r@example.org").scores().getFirst().detail())
                .isEqualTo("sender domain mx.mail.example.net under example.net for example.org");
        assertThat(ask(cbl, "203.0.113.5", "a@badexample.net", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "203.0.113.5", "a@example.network", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "203.0.113.5", "a@net", "r@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void wildcardAndDottedDomainEntriesMeanTheSame() throws Exception {
        CustomListCheck cbl = t.cbl("domains: {example.org: [\"*.spam.example\", .junk.example]}");

        assertThat(ask(cbl, "203.0.113.5", "a@spam.example", "r@example.org").finalWord()).isNotNull();
        assertThat(ask(cbl, "203.0.113.5", "a@mx.junk.example", "r@example.org").finalWord()).isNotNull();
    }

    @Test
    void addressesMatchWithoutRegardToCase() throws Exception {
        CustomListCheck cbl = t.cbl("addresses: {Example.ORG: [Bad@Example.net]}");

        assertThat(ask(cbl, "203.0.113.5", "BAD@example.NET", "r@EXAMPLE.org").scores().getFirst().detail())
                .isEqualTo("sender address bad@example.net for example.org");
        assertThat(ask(cbl, "203.0.113.5", "good@example.net", "r@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void ipv6AddressesAndNetworksMatch() throws Exception {
        CustomListCheck cbl = t.cbl("""
                ips:
                  example.org: ["2001:db8:1::/48", "2001:db8:ff::25"]
                """);

        assertThat(ask(cbl, "2001:db8:1:2::3", "a@b.example", "r@example.org").scores().getFirst().detail())
                .startsWith("client 2001:db8:1:2:0:0:0:3 in 2001:db8:1:0:0:0:0:0/48");
        assertThat(ask(cbl, "2001:DB8:FF:0::25", "a@b.example", "r@example.org").finalWord()).isNotNull();
        assertThat(ask(cbl, "2001:db8:2::1", "a@b.example", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "192.0.2.1", "a@b.example", "r@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void theMostSpecificNetworkIsReported() throws Exception {
        CustomListCheck cbl = t.cbl("ips: {example.org: [10.0.0.0/8, 10.1.0.0/16, 10.1.2.3]}");

        assertThat(ask(cbl, "10.1.2.3", "a@b.example", "r@example.org").scores().getFirst().detail())
                .isEqualTo("client 10.1.2.3 for example.org");
        assertThat(ask(cbl, "10.1.9.9", "a@b.example", "r@example.org").scores().getFirst().detail())
                .isEqualTo("client 10.1.9.9 in 10.1.0.0/16 for example.org");
        assertThat(ask(cbl, "10.9.9.9", "a@b.example", "r@example.org").scores().getFirst().detail())
                .isEqualTo("client 10.9.9.9 in 10.0.0.0/8 for example.org");
    }

    @Test
    void tablesRestrictWhatIsLookedAt() throws Exception {
        t.write("cbl.txt", """
                ips example.org 192.0.2.1
                domains example.org spam.example
                """);
        CustomListCheck cbl = t.cbl("""
                tables: [domains]
                file: cbl.txt
                """);

        assertThat(ask(cbl, "192.0.2.1", "a@ok.example", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "203.0.113.1", "a@spam.example", "r@example.org").finalWord()).isNotNull();
    }

    @Test
    void atConnectOnlyTheIpAndEntriesForEveryDomainCanMatch() throws Exception {
        CustomListCheck cbl = t.cbl("""
                activate_sender_list: 1
                ips: {"*": [192.0.2.1], example.org: [192.0.2.2]}
                """);

        assertThat(cbl.stages()).contains(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT);
        assertThat(connect(cbl, "192.0.2.1").finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(connect(cbl, "192.0.2.2")).isEqualTo(Outcome.nothing());
    }

    @Test
    void missingFactsAreSimplyNotLookedUp() throws Exception {
        CustomListCheck cbl = t.cbl("""
                activate_sender_list: 1
                domains: {"*": [example.net]}
                addresses: {"*": [root@example.net]}
                """);

        assertThat(ask(cbl, "", "", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "not-an-ip", "<>", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "192.0.2.1", "root", "r@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void theNameGivenIsTheScoreCode() throws Exception {
        CustomListCheck cbl = (CustomListCheck) new CblFactory().create("CBL_partners",
                t.yaml("ips: {example.org: [192.0.2.1]}"), t.env());

        assertThat(cbl.name()).isEqualTo("CBL_partners");
        assertThat(ask(cbl, "192.0.2.1", "a@b.example", "r@example.org").scores().getFirst().code()).isEqualTo("CBL_partners");
    }

    @Test
    void negativeCacheIsAcceptedUnderBothNames() {
        CustomListConfig a = CustomListConfig.from(t.yaml("negative_cache: 1"), ListColor.BLACK);
        CustomListConfig b = CustomListConfig.from(t.yaml("use_negative_cache: yes"), ListColor.WHITE);

        assertThat(a.negativeCache()).isTrue();
        assertThat(b.negativeCache()).isTrue();
    }

    private static Outcome connect(CustomListCheck check, String ip) throws Exception {
        return check.evaluate(Transaction.of(Stage.CONNECT, Connection.of(ip, "", ""), Envelope.of("")),
                new Evaluation(-100));
    }
}
