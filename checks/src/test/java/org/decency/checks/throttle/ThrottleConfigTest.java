package org.decency.checks.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Throttle settings: both limit forms, the seeds' keys with their warnings, and errors with file and line. */
class ThrottleConfigTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.EPOCH);
    final CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of());

    @Test
    void bothLimitFormsGiveTheSameLimits() throws IOException {
        ThrottleConfig c = ThrottleConfig.from(load("""
                limits:
                  sender_address: ["10/1m", "100/1h", "50/1h recipients"]
                default_limits:
                  sender_address:
                    - {maximum: 1000, interval: 86400}
                    - {maximum: 20, interval: 600, count: recipients}
                  client_address: {maximum: -1, interval: 60}
                """), env);

        assertThat(c.limits()).isEqualTo(Map.of(
                ThrottleKey.SENDER_ADDRESS, List.of(
                        new Limit(10, Duration.ofMinutes(1), false), new Limit(100, Duration.ofHours(1), false),
                        new Limit(50, Duration.ofHours(1), true), new Limit(1000, Duration.ofDays(1), false),
                        new Limit(20, Duration.ofMinutes(10), true)),
                ThrottleKey.CLIENT_ADDRESS, List.of(new Limit(-1, Duration.ofMinutes(1), false))));
        assertThat(c.answer()).isEqualTo("DEFER");
        assertThat(c.defaultMessage()).isEqualTo("Sorry, Limit reached (%maximum% mails in %interval% seconds)");
        assertThat(c.requireSaslUsername()).isFalse();
        assertThat(env.warnings()).isEmpty();
    }

    @Test
    void theSeedsConfigLoadsWithWarningsForWhatItCannotDo() throws IOException {
        ConfigNode n = load("""
                ---

                require_sasl_username: 1
                use_stats_cache: 1

                default_limits:
                    sender_domain:
                        -
                            maximum: 1
                            interval: 10
                        -
                            maximum: 50
                            interval: 600
                    account:
                        -
                            maximum: 50
                            interval: 600

                exception_databases:
                    - sender_domain
                    - sender_address

                reject_messages:
                    10:
                        message: 'Sorry, nicht mehr als eine Mail in 10 Sekunden'
                        code: 450
                    600:
                        message: 'Sorry, nicht mehr als 50 Mails in 10 Minuten'
                        code: 450

                default_reject_message:
                    message: 'Sorry, nicht mehr als %maximum% Mails in %interval_minutes% Minuten'
                    code: 450
                """);
        ThrottleConfig c = ThrottleConfig.from(n, env);
        n.finish();

        assertThat(c.requireSaslUsername()).isTrue();
        assertThat(c.answer()).isEqualTo("450");
        assertThat(c.replies()).isEqualTo(Map.of(
                10L, new ThrottleConfig.Reply("Sorry, nicht mehr als eine Mail in 10 Sekunden", "450"),
                600L, new ThrottleConfig.Reply("Sorry, nicht mehr als 50 Mails in 10 Minuten", "450")));
        assertThat(env.warnings()).containsExactly(
                file() + ":15: default_limits.account: account limits are set but no accounts: are defined, so they limit nobody",
                file() + ":20: exception_databases: per-value limits from database tables are not read; write them under per_value: and accounts: (ignored)",
                file() + ":4: use_stats_cache: the log parser's counters are gone; the Throttle counts by itself (ignored)");
    }

    @Test
    void switchedOffSeedKeysLoadWithoutWarnings() throws IOException {
        ConfigNode n = load("use_stats_cache: 0\nexception_databases: []\nlimits: {client_address: [\"1/1h\"]}\n");
        ThrottleConfig.from(n, env);
        n.finish();

        assertThat(env.warnings()).isEmpty();
    }

    @Test
    void aConfigWithoutLimitsIsRefused() {
        assertThatThrownBy(() -> create("require_sasl_username: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":1: no limits: give limits: (or default_limits:) or per_value:");
    }

    @Test
    void badLimitsAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> create("limits:\n  sender: [\"1/1h\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: limits.sender: unknown throttle key \"sender\"; expected one of client_address, sender_domain,"
                        + " sasl_username, sender_address, recipient_domain, recipient_address, account");
        assertThatThrownBy(() -> create("limits:\n  client_address: [\"10 per minute\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: limits.client_address[0]: expected a limit like \"10/1m\", \"100/1h\" or \"50/1h recipients\", got \"10 per minute\"");
        assertThatThrownBy(() -> create("limits:\n  client_address: [\"10/0\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: limits.client_address[0]: the interval must be at least 1 second");
        assertThatThrownBy(() -> create("default_limits:\n  client_address:\n    - {maximum: 10}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("throttle.yml:3: ").hasMessageContaining("interval: is required");
        assertThatThrownBy(() -> create("default_limits:\n  client_address:\n    - {maximum: 10, interval: 60, count: bytes}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("throttle.yml:3: ").hasMessageEndingWith("count: expected messages or recipients");
        assertThatThrownBy(() -> create("default_limits:\n  client_address:\n    - {maximum: 10, intervall: 60}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("throttle.yml:3: ").hasMessageContaining("interval: is required");
    }

    @Test
    void twoLimitsOfOneKindAndIntervalForOneKeyAreRefused() {
        assertThatThrownBy(() -> create("limits:\n  client_address: [\"10/1h\", \"20/60m\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: limits.client_address[1]: a second message limit per 3600s for this key; keep one");
        assertThatThrownBy(() -> create("""
                limits:
                  client_address: ["10/1h recipients"]
                default_limits:
                  client_address:
                    - {maximum: 20, interval: 3600, count: recipients}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":5: default_limits.client_address[0]: a second recipient limit per 3600s for this key; keep one");
    }

    @Test
    void aMessageAndARecipientLimitOfOneIntervalMayBeCombined() throws IOException {
        ThrottleConfig c = ThrottleConfig.from(load("limits: {client_address: [\"10/1h\", \"100/1h recipients\"]}\n"), env);

        assertThat(c.limits().get(ThrottleKey.CLIENT_ADDRESS)).hasSize(2);
    }

    @Test
    void anAnswerThatDoesNotRefuseIsRefused() {
        assertThatThrownBy(() -> create("limits: {client_address: [\"1/1h\"]}\nanswer: LATER\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: answer: expected DEFER, REJECT or a 4xx/5xx code, got \"LATER\"");
        assertThatThrownBy(() -> create("limits: {client_address: [\"1/1h\"]}\nanswer: OK\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: answer: expected DEFER, REJECT or a 4xx/5xx code, got \"OK\"");
        assertThatThrownBy(() -> create("limits: {client_address: [\"1/1h\"]}\nanswer: DUNNO\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":2: answer: expected DEFER, REJECT or a 4xx/5xx code, got \"DUNNO\"");
    }

    @Test
    void badRepliesAreRefused() {
        assertThatThrownBy(() -> create("limits: {client_address: [\"1/1h\"]}\nreject_messages:\n  600: {message: x, code: soon}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":3: reject_messages.600.code: expected a 4xx or 5xx code");
        assertThatThrownBy(() -> create("limits: {client_address: [\"1/1h\"]}\nreject_messages:\n  hourly: {message: x}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":3: reject_messages.hourly: expected an interval such as 3600 or 1h as the key");
        assertThatThrownBy(() -> create("limits: {client_address: [\"1/1h\"]}\ndefault_reject_message: {text: x}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":2: default_reject_message.text: unknown key");
    }

    @Test
    void anAddressInTwoAccountsIsRefused() {
        assertThatThrownBy(() -> create("limits: {account: [\"1/1h\"]}\naccounts:\n  a: [x.example]\n  b: [y.example, X.example]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":4: accounts.b: x.example is already a member of account a");
    }

    @Test
    void aPerValueClientAddressMustBeAnAddress() {
        assertThatThrownBy(() -> create("per_value:\n  client_address:\n    192.0.2.0/24: [\"1/1h\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file() + ":3: per_value.client_address.192.0.2.0/24: expected a single IP address, got \"192.0.2.0/24\"");
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> create("limits: {client_address: [\"1/1h\"]}\nmax: 5\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ":2: max: unknown key");
    }

    private Path file() {
        return dir.resolve("throttle.yml");
    }

    private ConfigNode load(String yaml) throws IOException {
        return ConfigLoader.loadFile(Files.writeString(file(), yaml), "");
    }

    private void create(String yaml) throws IOException {
        new ThrottleFactory().create("Throttle", load(yaml), env);
    }
}
