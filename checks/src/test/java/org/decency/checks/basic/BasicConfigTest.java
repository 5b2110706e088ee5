package org.decency.checks.basic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic settings: every rule is off by default, weights are negative. */
class BasicConfigTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.EPOCH);
    final CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of());

    @Test
    void everyRuleIsOffByDefault() throws IOException {
        BasicConfig c = BasicConfig.from(load(""));

        assertThat(c.weights()).isEmpty();
        for (BasicRule rule : BasicRule.values()) assertThat(c.weight(rule)).as(rule.key()).isZero();
    }

    @Test
    void eachRuleHasItsKey() throws IOException {
        BasicConfig c = BasicConfig.from(load("""
                weight_helo_missing: -20
                weight_helo_bare_ip: -40
                weight_helo_localhost: -80
                weight_helo_is_us: -80
                weight_helo_literal_mismatch: -20
                weight_invalid_helo_hostname: -100
                weight_non_fqdn_helo_hostname: -50
                weight_non_fqdn_sender: -100
                weight_non_fqdn_recipient: -12.5
                weight_unknown_helo_hostname: -11
                weight_unknown_sender_domain: -12
                weight_unknown_recipient_domain: -13
                weight_unknown_reverse_client_hostname: -14
                weight_unknown_client_hostname: -15
                """));

        assertThat(c.weights()).isEqualTo(Map.ofEntries(
                Map.entry(BasicRule.HELO_MISSING, -20.0), Map.entry(BasicRule.HELO_BARE_IP, -40.0),
                Map.entry(BasicRule.HELO_LOCALHOST, -80.0), Map.entry(BasicRule.HELO_IS_US, -80.0),
                Map.entry(BasicRule.HELO_LITERAL_MISMATCH, -20.0), Map.entry(BasicRule.HELO_INVALID, -100.0),
                Map.entry(BasicRule.HELO_NOT_FQDN, -50.0), Map.entry(BasicRule.SENDER_NOT_FQDN, -100.0),
                Map.entry(BasicRule.RECIPIENT_NOT_FQDN, -12.5), Map.entry(BasicRule.HELO_UNKNOWN, -11.0),
                Map.entry(BasicRule.SENDER_DOMAIN_UNKNOWN, -12.0), Map.entry(BasicRule.RECIPIENT_DOMAIN_UNKNOWN, -13.0),
                Map.entry(BasicRule.REVERSE_CLIENT_UNKNOWN, -14.0), Map.entry(BasicRule.CLIENT_UNKNOWN, -15.0)));
        assertThat(c.needsDns()).isTrue();
        assertThat(env.warnings()).isEmpty();
    }

    @Test
    void aPositiveWeightIsAConfigError() {
        assertThatThrownBy(() -> create("weight_helo_missing: -20\nweight_non_fqdn_sender: 10\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: weight_non_fqdn_sender: must be 0 (off) or negative (negative scores count as spam), got 10.0");
    }

    @Test
    void aWeightThatIsNoNumberIsAConfigError() {
        assertThatThrownBy(() -> create("weight_helo_bare_ip: high\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: weight_helo_bare_ip: expected a number, got \"high\"");
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> create("weight_helo_missing: -20\nweight_bare_ip: -40\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":2: weight_bare_ip: unknown key; expected one of: weight_helo_missing, weight_helo_bare_ip");
    }

    @Test
    void theSeedsConfigLoadsWithItsDnsRulesAndNoWarning() throws IOException {
        ConfigNode n = load("""
                ---
                disable: 0
                weight_invalid_helo_hostname: -100
                weight_non_fqdn_helo_hostname: -100
                weight_non_fqdn_recipient: -100
                weight_non_fqdn_sender: -100
                weight_unknown_helo_hostname: -50
                weight_unknown_recipient_domain: -50
                weight_unknown_reverse_client_hostname: -50
                weight_unknown_sender_domain: -50
                weight_unknown_client_hostname: 0
                handle_localhost: 1
                """);
        ModuleOptions options = ModuleOptions.read("Basic", n);
        BasicConfig c = BasicConfig.from(n);
        n.finish();

        assertThat(options.forceCheckLocal()).isTrue();
        assertThat(c.weights()).isEqualTo(Map.of(BasicRule.HELO_INVALID, -100.0, BasicRule.HELO_NOT_FQDN, -100.0,
                BasicRule.RECIPIENT_NOT_FQDN, -100.0, BasicRule.SENDER_NOT_FQDN, -100.0,
                BasicRule.HELO_UNKNOWN, -50.0, BasicRule.RECIPIENT_DOMAIN_UNKNOWN, -50.0,
                BasicRule.REVERSE_CLIENT_UNKNOWN, -50.0, BasicRule.SENDER_DOMAIN_UNKNOWN, -50.0));
        assertThat(env.warnings()).isEmpty();
    }

    @Test
    void onlyADnsRuleMakesTheCheckBlockAndItsBudgetFollowsTheModuleTimeout() throws IOException {
        BasicConfig syntaxOnly = BasicConfig.from(load("weight_non_fqdn_sender: -100\n"));
        BasicConfig withDns = BasicConfig.from(load("weight_unknown_client_hostname: -10\ntimeout: 2s\n"));

        assertThat(syntaxOnly.needsDns()).isFalse();
        assertThat(new BasicFactory().create("Basic", load("weight_non_fqdn_sender: -100\n"), env).blocking()).isFalse();
        assertThat(new BasicFactory().create("Basic", load("weight_unknown_sender_domain: -10\n"), env).blocking()).isTrue();
        assertThat(syntaxOnly.budget()).isEqualTo(java.time.Duration.ofMillis(13_500));
        assertThat(withDns.budget()).isEqualTo(java.time.Duration.ofMillis(1_800));
    }

    private Path file() {
        return dir.resolve("basic.yml");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(file(), yaml), "");
    }

    private void create(String yaml) throws IOException {
        new BasicFactory().create("Basic", load(yaml), env);
    }
}
