package org.decency.checks.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.decency.config.ConfigException;
import org.decency.store.ListEntry;
import org.decency.store.ListEntry.Kind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config errors name the file and the line. */
class CustomListConfigTest {
    @TempDir
    Path dir;
    ListTestSupport t;

    @BeforeEach
    void setUp() {
        t = new ListTestSupport(dir);
    }

    @Test
    void defaultsCheckTheDomainsOwnAndTheGlobalEntries() {
        CustomListConfig c = CustomListConfig.from(t.yaml("{}"), ListColor.BLACK);

        assertThat(c.modes()).isEqualTo(new ListModes(true, true, false, java.util.Set.of(Kind.values())));
        assertThat(c.message()).isEqualTo("Hit on Custom Black List");
        assertThat(c.negativeCache()).isFalse();
        assertThat(c.entries()).isEmpty();
    }

    @Test
    void theDocumentedExampleLoads() {
        t.write("cbl.txt", "addresses * bad@example.org\n");
        CustomListConfig c = CustomListConfig.from(t.yaml("""
                activate_sender_list: 1      # also look at entries for "*" (every recipient domain)
                activate_recipient_list: 0   # domains entries (to_domain, "*"): everything to that domain
                deactivate_normal_list: 0    # entries for the recipient's own domain (on by default)
                tables: [ips, domains, addresses]
                reject_message: "Go away"    # CBL only; default "Hit on Custom Black List"
                ips:                         # to_domain -> values; "*" = every recipient domain
                  "*": [192.0.2.0/24, "2001:db8::/32"]
                  example.org: 198.51.100.7
                domains:
                  example.org: [spam.example]   # also matches mx.spam.example
                  lists.example: ["*"]          # recipient list: everything to lists.example
                addresses: [bad@example.net]    # a plain list is short for {"*": [...]}
                file: cbl.txt                # or a list of files; relative to this config file
                """), ListColor.BLACK);

        assertThat(c.message()).isEqualTo("Go away");
        assertThat(c.modes()).isEqualTo(new ListModes(true, true, false, java.util.Set.of(Kind.values())));
        assertThat(c.entries()).containsExactly(
                new ListEntry("cbl", Kind.IPS, "*", "192.0.2.0/24"),
                new ListEntry("cbl", Kind.IPS, "*", "2001:db8:0:0:0:0:0:0/32"),
                new ListEntry("cbl", Kind.IPS, "example.org", "198.51.100.7"),
                new ListEntry("cbl", Kind.DOMAINS, "example.org", "spam.example"),
                new ListEntry("cbl", Kind.DOMAINS, "lists.example", "*"),
                new ListEntry("cbl", Kind.ADDRESSES, "*", "bad@example.net"),
                new ListEntry("cbl", Kind.ADDRESSES, "*", "bad@example.org"));
    }

    @Test
    void inlineValuesAreNormalised() {
        CustomListConfig c = CustomListConfig.from(t.yaml("""
                ips: [192.0.2.77/24]
                domains: {Example.ORG: [Spam.Example.]}
                addresses: Bad@Example.NET
                """), ListColor.WHITE);

        assertThat(c.entries()).containsExactly(
                new ListEntry("cwl", Kind.IPS, "*", "192.0.2.0/24"),
                new ListEntry("cwl", Kind.DOMAINS, "example.org", "spam.example"),
                new ListEntry("cwl", Kind.ADDRESSES, "*", "bad@example.net"));
    }

    @Test
    void unknownKeyIsRefusedWithFileAndLine() {
        assertThatThrownBy(() -> t.cbl("""
                activate_sender_list: 1
                activate_senders_list: 1
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("module.yml") + ":2: activate_senders_list: unknown key");
    }

    @Test
    void rejectMessageBelongsToTheBlackListOnly() {
        assertThatThrownBy(() -> t.cwl("reject_message: no"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("module.yml:1: reject_message: unknown key");
    }

    @Test
    void badCidrInlineNamesFileAndLine() {
        assertThatThrownBy(() -> t.cbl("""
                ips:
                  example.org:
                    - 192.0.2.1
                    - 192.0.2.0/33
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("module.yml") + ":4: ")
                .hasMessageContaining("\"192.0.2.0/33\" is not an IP address or network");
    }

    @Test
    void badValuesOfEachKindAreRefused() {
        assertThatThrownBy(() -> t.cbl("domains: {example.org: [\"not a domain\"]}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module.yml:1: ").hasMessageContaining("is not a domain");
        assertThatThrownBy(() -> t.cbl("addresses: {example.org: [nobody]}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module.yml:1: ").hasMessageContaining("is not a mail address");
        assertThatThrownBy(() -> t.cbl("ips: {\"bad domain\": [192.0.2.1]}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module.yml:1: ").hasMessageContaining("recipient domain");
        assertThatThrownBy(() -> t.cbl("ips: {example.org: }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected a value or a list of values");
    }

    @Test
    void badCidrInAListFileNamesThatFileAndLine() {
        Path list = t.write("cbl.txt", """
                # comment
                ips * 192.0.2.1

                ips example.org 2001:db8::/129
                """);

        assertThatThrownBy(() -> t.cbl("file: cbl.txt"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(list + ":4: ")
                .hasMessageContaining("2001:db8::/129");
    }

    @Test
    void malformedListFileLinesNameFileAndLine() {
        Path list = t.write("cbl.txt", "ips example.org\n");
        assertThatThrownBy(() -> t.cbl("file: cbl.txt"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(list + ":1: ").hasMessageContaining("expected");

        t.write("cbl.txt", "ips * 192.0.2.1\nhosts * 192.0.2.2\n");
        assertThatThrownBy(() -> t.cbl("file: cbl.txt"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(list + ":2: ").hasMessageContaining("unknown list kind");
    }

    @Test
    void aMissingListFileNamesTheConfigLine() {
        assertThatThrownBy(() -> t.cbl("""
                activate_sender_list: 1
                file: nowhere.txt
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("module.yml") + ":2: file: list file not found");
    }

    @Test
    void atLeastOneListMustBeActive() {
        assertThatThrownBy(() -> t.cbl("""
                deactivate_normal_list: 1
                activate_sender_list: 0
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("module.yml") + ":1: ")
                .hasMessageContaining("at least one list must be active");
    }

    @Test
    void tablesMustBeKnownAndFitTheEntries() {
        assertThatThrownBy(() -> t.cbl("tables: [ips, hosts]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module.yml:1: ").hasMessageContaining("unknown list kind \"hosts\"");
        assertThatThrownBy(() -> t.cbl("""
                tables: [ips]
                domains: {example.org: [spam.example]}
                """))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module.yml:2: domains: ").hasMessageContaining("\"tables\" leaves domains out");
        assertThatThrownBy(() -> t.cbl("""
                activate_recipient_list: 1
                tables: [ips]
                """))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module.yml:2: tables: activate_recipient_list needs the domains table");
    }
}
