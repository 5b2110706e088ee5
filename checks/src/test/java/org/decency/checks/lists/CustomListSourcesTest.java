package org.decency.checks.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decency.checks.lists.ListTestSupport.ask;

import java.nio.file.Path;
import java.time.Duration;
import org.decency.core.Action;
import org.decency.core.Outcome;
import org.decency.store.ListEntry;
import org.decency.store.ListEntry.Kind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries from the config, from list files and from the store, and the store changing while running. */
class CustomListSourcesTest {
    @TempDir
    Path dir;
    ListTestSupport t;

    @BeforeEach
    void setUp() {
        t = new ListTestSupport(dir);
    }

    @Test
    void inlineFileAndStoreEntriesAreCombined() throws Exception {
        t.write("cbl.txt", """
                # partners that turned bad
                ips      example.org 198.51.100.0/24   # a whole network
                domains  example.org spam.example junk.example

                addresses * bad@example.net
                """);
        t.store.lists().add(new ListEntry("cbl", Kind.IPS, "example.org", "203.0.113.9"));
        CustomListCheck cbl = t.cbl("""
                activate_sender_list: 1
                ips: {example.org: [192.0.2.1]}
                file: cbl.txt
                """);

        assertThat(detail(cbl, "192.0.2.1", "a@ok.example")).isEqualTo("client 192.0.2.1 for example.org");
        assertThat(detail(cbl, "198.51.100.77", "a@ok.example")).isEqualTo("client 198.51.100.77 in 198.51.100.0/24 for example.org");
        assertThat(detail(cbl, "203.0.113.1", "a@junk.example")).isEqualTo("sender domain junk.example for example.org");
        assertThat(detail(cbl, "203.0.113.1", "bad@example.net")).isEqualTo("sender address bad@example.net for *");
        assertThat(detail(cbl, "203.0.113.9", "a@ok.example")).isEqualTo("client 203.0.113.9 for example.org");
        assertThat(ask(cbl, "203.0.113.1", "a@ok.example", "r@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void severalFilesMayBeGiven() throws Exception {
        t.write("a.txt", "ips example.org 192.0.2.1\n");
        t.write("b.txt", "ips example.org 192.0.2.2\n");
        CustomListCheck cbl = t.cbl("file: [a.txt, b.txt]");

        assertThat(ask(cbl, "192.0.2.1", "a@b.example", "r@example.org").finalWord()).isNotNull();
        assertThat(ask(cbl, "192.0.2.2", "a@b.example", "r@example.org").finalWord()).isNotNull();
    }

    @Test
    void storeEntriesOfTheOtherListDoNotCount() throws Exception {
        t.store.lists().add(new ListEntry("cwl", Kind.IPS, "example.org", "192.0.2.1"));
        CustomListCheck cbl = t.cbl("{}");

        assertThat(ask(cbl, "192.0.2.1", "a@b.example", "r@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void storeChangesAreSeenAfterTheRefreshInterval() throws Exception {
        CustomListCheck cwl = t.cwl("{}");
        ListEntry partner = new ListEntry("cwl", Kind.DOMAINS, "example.org", "partner.example");
        assertThat(ask(cwl, "192.0.2.1", "a@partner.example", "r@example.org")).isEqualTo(Outcome.nothing());

        t.store.lists().add(partner);
        t.clock.advance(Duration.ofMillis(LiveIndex.REFRESH_MILLIS - 1));
        assertThat(ask(cwl, "192.0.2.1", "a@partner.example", "r@example.org"))
                .as("the store is asked at most once per interval").isEqualTo(Outcome.nothing());

        t.clock.advance(Duration.ofMillis(1));
        Outcome o = ask(cwl, "192.0.2.1", "a@partner.example", "r@example.org");
        assertThat(o.finalWord().action()).isEqualTo(Action.OK);
        assertThat(o.flags()).contains("whitelisted");

        t.store.lists().remove(partner);
        t.clock.advance(Duration.ofSeconds(2));
        assertThat(ask(cwl, "192.0.2.1", "a@partner.example", "r@example.org")).isEqualTo(Outcome.nothing());
    }

    @Test
    void removingAStoreEntryKeepsTheConfiguredOnes() throws Exception {
        ListEntry stored = new ListEntry("cbl", Kind.IPS, "example.org", "192.0.2.2");
        t.store.lists().add(stored);
        CustomListCheck cbl = t.cbl("ips: {example.org: [192.0.2.1]}");

        t.store.lists().remove(stored);
        t.clock.advance(Duration.ofSeconds(1));

        assertThat(ask(cbl, "192.0.2.2", "a@b.example", "r@example.org")).isEqualTo(Outcome.nothing());
        assertThat(ask(cbl, "192.0.2.1", "a@b.example", "r@example.org").finalWord()).isNotNull();
    }

    @Test
    void anInvalidStoreEntryIsSkippedAndTheOthersStillWork() throws Exception {
        t.store.lists().add(new ListEntry("cbl", Kind.IPS, "example.org", "192.0.2.300"));
        t.store.lists().add(new ListEntry("cbl", Kind.IPS, "example.org", "192.0.2.4"));
        CustomListCheck cbl = t.cbl("{}");

        assertThat(ask(cbl, "192.0.2.4", "a@b.example", "r@example.org").finalWord()).isNotNull();
    }

    @Test
    void storeEntriesWithoutRecipientDomainAreForEveryDomain() throws Exception {
        CustomListCheck cbl = t.cbl("activate_sender_list: 1");
        t.store.lists().add(new ListEntry("cbl", Kind.IPS, null, "2001:db8::/32"));
        t.clock.advance(Duration.ofSeconds(1));

        assertThat(ask(cbl, "2001:db8::1", "a@b.example", "r@any.example").scores().getFirst().detail())
                .isEqualTo("client 2001:db8:0:0:0:0:0:1 in 2001:db8:0:0:0:0:0:0/32 for *");
    }

    private static String detail(CustomListCheck check, String ip, String sender) throws Exception {
        Outcome o = ask(check, ip, sender, "r@example.org");
        assertThat(o.finalWord()).as("a hit for %s / %s", ip, sender).isNotNull();
        return o.scores().getFirst().detail();
    }
}
