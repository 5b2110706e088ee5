package org.decency.checks.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNSBL settings: defaults, the seeds' file, and errors that name file, line and key. */
class DnsblConfigTest {
    @TempDir
    Path dir;

    @Test
    void theSeedsFileLoadsWithTheirWeights() throws IOException {
        ConfigNode n = ConfigLoader.loadFile(Path.of("..", "config", "examples", "seeds", "doorman", "dnsbl.yml"), "");
        ModuleOptions.read("DNSBL", n);
        DnsblConfig c = DnsblConfig.from(n);
        n.finish();

        assertThat(c.blocklists()).extracting(Blocklist::zone)
                .containsExactly("ix.dnsbl.manitu.net", "b.barracudacentral.org", "bl.spamcop.net", "psbl.surriel.com");
        assertThat(c.blocklists()).extracting(Blocklist::weight).containsExactly(-100.0, -80.0, -80.0, -50.0);
        assertThat(c.blocklists()).extracting(Blocklist::harsh).containsOnly(false);
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws IOException {
        DnsblConfig c = DnsblConfig.from(load("blacklist: [Bl.Example.]\n"));

        assertThat(c.options()).isEqualTo(new BlocklistOptions(false, false, 0, 0, 3, Duration.ofMinutes(10),
                Duration.ofMillis(13_500)));
        Blocklist l = c.blocklists().getFirst();
        assertThat(l.zone()).isEqualTo("bl.example");
        assertThat(l.name()).isEqualTo("BL_EXAMPLE");
        assertThat(l.weight()).isEqualTo(-100);
        assertThat(l.missWeight()).isZero();
        assertThat(l.hitCode("DNSBL")).isEqualTo("DNSBL_BL_EXAMPLE");
        assertThat(l.missCode("DNSBL")).isEqualTo("DNSBL_NOT_BL_EXAMPLE");
        assertThat(c.lists().getFirst().ipv6()).isTrue();
    }

    @Test
    void everyKeyIsRead() throws IOException {
        DnsblConfig c = DnsblConfig.from(load("""
                harsh: 1
                use_txt: 1
                max_hits: 2
                max_score: -150
                error_skip: 5
                skip_release: 1h
                timeout: 2s
                lists:
                  - {host: zen.example, name: ZEN, weight: -90, miss_weight: 1.5, codes: {127.0.0.2: -100}, harsh: 0, use_txt: 0, ipv6: 0}
                """));

        assertThat(c.options()).isEqualTo(new BlocklistOptions(true, true, 2, -150, 5, Duration.ofHours(1), Duration.ofMillis(1800)));
        Blocklist l = c.blocklists().getFirst();
        assertThat(l.name()).isEqualTo("ZEN");
        assertThat(l.missWeight()).isEqualTo(1.5);
        assertThat(l.harsh()).isFalse();
        assertThat(l.useTxt()).isFalse();
        assertThat(c.lists().getFirst().ipv6()).isFalse();
    }

    @Test
    void aListWithoutHostIsAnError() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist:\n  - weight: -50\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("dnsbl.yml:2: blacklist[0].host: is required");
    }

    @Test
    void withoutListsIsAnError() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("harsh: 1\n")))
                .hasMessageEndingWith("dnsbl.yml:1: blacklist: is required");
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist: []\n")))
                .hasMessageContaining("dnsbl.yml:1: blacklist: name at least one list");
    }

    @Test
    void aBadZoneIsAnError() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist:\n  - host: \"bl example\"\n")))
                .hasMessageContaining("dnsbl.yml:2: blacklist[0].host: expected the DNS zone of a list");
    }

    @Test
    void aCodeOutside127IsAnError() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("""
                blacklist:
                  - host: bl.example
                    codes:
                      127.0.0.2: -100
                      10.0.0.4: -50
                """)))
                .hasMessageContaining("dnsbl.yml:5: blacklist[0].codes.10.0.0.4: expected a return code in 127.0.0.0/8 such as 127.0.0.2, got \"10.0.0.4\"");
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist: [{host: bl.example, codes: [127.0.0.2, two]}]\n")))
                .hasMessageContaining("got \"two\"");
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist: [{host: bl.example, codes: {127.0.0.2: lots}}]\n")))
                .hasMessageContaining("expected a number, got \"lots\"");
    }

    @Test
    void aBadBitIsAnErrorAndCodesAndBitmaskDoNotMix() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist: [{host: bl.example, bitmask: {256: -1}}]\n")))
                .hasMessageContaining("expected a bit of the last octet, 1 to 255");
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist: [{host: bl.example, bitmask: [2], codes: [127.0.0.2]}]\n")))
                .hasMessageContaining("give either codes or bitmask, not both");
    }

    @Test
    void aPositiveMaxScoreIsAnError() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("max_score: 8\nblacklist: [bl.example]\n")))
                .hasMessageContaining("dnsbl.yml:1: max_score: must be 0 (off) or negative: spam scores are negative here");
    }

    @Test
    void positiveWeightsAreWhitelistsButCannotBeHarsh() throws IOException {
        DnsblConfig c = DnsblConfig.from(load("harsh: 1\nblacklist: [{host: wl.example, weight: 20}]\n"));
        assertThat(c.blocklists().getFirst().weight()).isEqualTo(20);

        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist:\n  - {host: wl.example, weight: 20, harsh: 1}\n")))
                .hasMessageContaining("dnsbl.yml:2: blacklist[0].harsh: a harsh list rejects on a spam hit");
    }

    @Test
    void twoListsWithOneNameAreAnError() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist:\n  - bl.example\n  - {host: other.example, name: BL_EXAMPLE}\n")))
                .hasMessageContaining("dnsbl.yml:3: blacklist[1]: a second list named BL_EXAMPLE");
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist: [{host: bl.example, name: \"BL-1\"}]\n")))
                .hasMessageContaining("expected letters, digits and _ only");
    }

    @Test
    void anUnknownKeyInAListIsAnError() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("blacklist:\n  - {host: bl.example, wieght: -5}\n")))
                .hasMessageContaining("dnsbl.yml:2: blacklist[0].wieght: unknown key; expected one of: host, name, weight, miss_weight");
    }

    @Test
    void negativeCountsAreErrors() throws IOException {
        assertThatThrownBy(() -> DnsblConfig.from(load("max_hits: -1\nblacklist: [bl.example]\n")))
                .hasMessageContaining("max_hits: expected 0 (off) or more");
        assertThatThrownBy(() -> DnsblConfig.from(load("error_skip: -1\nblacklist: [bl.example]\n")))
                .hasMessageContaining("error_skip: expected 0 (never skip) or more");
        assertThatThrownBy(() -> DnsblConfig.from(load("skip_release: 0\nblacklist: [bl.example]\n")))
                .hasMessageContaining("skip_release: must be more than 0");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(dir.resolve("dnsbl.yml"), yaml), "");
    }
}
