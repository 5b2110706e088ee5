package org.decency.checks.plausibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plausibility settings: policyd-weight's defaults with the sign turned, one key per rule. */
class PlausibilityConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsArePolicydWeightsScoresWithTheSignTurned() throws IOException {
        PlausibilityConfig c = PlausibilityConfig.from(load(""));

        // policyd-weight 0.1.15.2: its positive (spam) scores are our negative ones and the other way round
        Map<PlausibilityRule, Double> policydWeight = Map.ofEntries(
                Map.entry(PlausibilityRule.CL_IP_EQ_HELO_IP, -2.0), Map.entry(PlausibilityRule.CL_IP_EQ_HELO_MX, -3.1),
                Map.entry(PlausibilityRule.HELO_IP_IN_CL_SUBNET, -1.2), Map.entry(PlausibilityRule.HELO_IP_IN_CL16_SUBNET, -0.41),
                Map.entry(PlausibilityRule.CL_IP_NE_HELO, 1.5), Map.entry(PlausibilityRule.HELO_NO_A, 1.5),
                Map.entry(PlausibilityRule.HELO_NUMERIC, 2.5), Map.entry(PlausibilityRule.REV_IP_EQ_HELO, -1.25),
                Map.entry(PlausibilityRule.REV_IP_EQ_HELO_DOMAIN, -1.25), Map.entry(PlausibilityRule.RESOLVED_IP_IS_NOT_HELO, 1.5),
                Map.entry(PlausibilityRule.NO_REVERSE, 0.5), Map.entry(PlausibilityRule.REV_IP_NOT_CONFIRMED, 0.5),
                Map.entry(PlausibilityRule.CL_SEEMS_DIALUP, 3.75), Map.entry(PlausibilityRule.HELO_SEEMS_DIALUP, 1.5),
                Map.entry(PlausibilityRule.NOK_HELO_SEEMS_DIALUP, 2.0), Map.entry(PlausibilityRule.SENDER_NO_MX_OR_A, 2.1),
                Map.entry(PlausibilityRule.BOGUS_MX, 2.1), Map.entry(PlausibilityRule.RANDOM_SENDER, 0.25),
                Map.entry(PlausibilityRule.FROM_MULTIPARTED, 1.09), Map.entry(PlausibilityRule.FROM_NBDY_ANON, 1.17));
        assertThat(policydWeight).hasSize(PlausibilityRule.values().length);
        policydWeight.forEach((rule, theirs) -> assertThat(c.weight(rule)).as(rule.key()).isEqualTo(-theirs));
        assertThat(c.factor()).isEqualTo(25);
        assertThat(c.rejectMessage()).isEqualTo(PlausibilityConfig.DEFAULT_MESSAGE);
        assertThat(c.budget()).isEqualTo(Duration.ofMillis(13_500));
        assertThat(c.bogus().containing(IpAddress.parse("192.168.1.1").orElseThrow())).isPresent();
    }

    @Test
    void eachRuleHasItsKeyAndZeroTurnsItOff() throws IOException {
        PlausibilityConfig c = PlausibilityConfig.from(load("weight_cl_ip_ne_helo: -3\nweight_random_sender: 0\nfactor: 10\ntimeout: 2s\n"));

        assertThat(PlausibilityRule.CL_IP_NE_HELO.key()).isEqualTo("weight_cl_ip_ne_helo");
        assertThat(c.weight(PlausibilityRule.CL_IP_NE_HELO)).isEqualTo(-3);
        assertThat(c.weight(PlausibilityRule.RANDOM_SENDER)).isZero();
        assertThat(c.weights()).doesNotContainKey(PlausibilityRule.RANDOM_SENDER);
        assertThat(c.factor()).isEqualTo(10);
        assertThat(c.budget()).isEqualTo(Duration.ofMillis(1_800));
    }

    @Test
    void theDefaultPatternsWrittenInYamlAsTheDocsShowThemAreTheDefaults() throws IOException {
        PlausibilityConfig c = PlausibilityConfig.from(load("""
                dialup_patterns:
                  - '(\\.dip|cable|ppp|dial|dsl|dyn|dhcp|pool|client|rev.*?(ip|home)).*?\\..*?\\.'
                  - '[a-z.\\-_]+\\d{1,3}[-._]\\d{1,3}[-._]\\d{1,3}[-._]\\d{1,3}'
                dialup_exceptions:
                  - '(mx|smtp|mail|dedicated|(\\b|[^n])stat).*?\\..*?\\.'
                """));

        assertThat(c.dialup().patterns()).extracting(java.util.regex.Pattern::pattern).isEqualTo(DialupPatterns.DEFAULT_PATTERNS);
        assertThat(c.dialup().exceptions()).extracting(java.util.regex.Pattern::pattern).isEqualTo(DialupPatterns.DEFAULT_EXCEPTIONS);
    }

    @Test
    void aFactorOfZeroOrLessIsRefused() {
        assertThatThrownBy(() -> create("factor: 0\n")).isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: factor: must be more than 0, got 0.0");
    }

    @Test
    void aBrokenPatternIsRefusedAtItsLine() {
        assertThatThrownBy(() -> create("dialup_patterns:\n  - 'dsl'\n  - '(unclosed'\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":3: dialup_patterns[1]: not a regular expression: ");
    }

    @Test
    void aBogusNetworkThatIsNoNetworkIsRefused() {
        assertThatThrownBy(() -> create("bogus_networks: [10.0.0.0/8, ten]\n")).isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: bogus_networks[1]: expected an address or network like 10.0.0.0/8 or fc00::/7, got \"ten\"");
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> create("weight_cl_ip_ne_hello: -1\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":1: weight_cl_ip_ne_hello: unknown key; expected one of: weight_cl_ip_eq_helo_ip,");
    }

    private Path file() {
        return dir.resolve("plausibility.yml");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(file(), yaml), "");
    }

    private void create(String yaml) throws IOException {
        ConfigNode n = load(yaml);
        PlausibilityConfig.from(n);
        n.finish();
    }
}
