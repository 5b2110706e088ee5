package org.decency.checks.rhsbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RHSBL settings: the identities to check, parent domains, and errors. */
class RhsblConfigTest {
    @TempDir
    Path dir;

    @Test
    void aListChecksAllThreeIdentitiesAndNoParentsByDefault() throws IOException {
        RhsblConfig c = RhsblConfig.from(load("lists: [dbl.example, {host: other.example}]\n"));

        assertThat(c.lists()).extracting(RhsblConfig.RhsblList::check).containsOnly(EnumSet.allOf(Identity.class));
        assertThat(c.lists()).extracting(RhsblConfig.RhsblList::parentDomains).containsOnly(false);
    }

    @Test
    void checkAndParentDomainsAreRead() throws IOException {
        RhsblConfig c = RhsblConfig.from(load("""
                parent_domains: 1
                blacklist:
                  - {host: a.example, check: sender}
                  - {host: b.example, check: [helo, client], parent_domains: 0}
                """));

        assertThat(c.lists()).extracting(RhsblConfig.RhsblList::check)
                .containsExactly(Set.of(Identity.SENDER), Set.of(Identity.HELO, Identity.CLIENT));
        assertThat(c.lists()).extracting(RhsblConfig.RhsblList::parentDomains).containsExactly(true, false);
    }

    @Test
    void anUnknownIdentityIsAnError() throws IOException {
        assertThatThrownBy(() -> RhsblConfig.from(load("lists:\n  - {host: a.example, check: [sender, recipient]}\n")))
                .hasMessageContaining("rhsbl.yml:2: lists[0].check[1]: expected sender, helo or client, got \"recipient\"");
        assertThatThrownBy(() -> RhsblConfig.from(load("lists:\n  - {host: a.example, check: []}\n")))
                .hasMessageContaining("name at least one of sender, helo, client");
    }

    @Test
    void withoutListsIsAnError() throws IOException {
        assertThatThrownBy(() -> RhsblConfig.from(load("harsh: 1\n"))).hasMessageEndingWith("rhsbl.yml:1: lists: is required");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(dir.resolve("rhsbl.yml"), yaml), "");
    }
}
