package org.decency.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading values from a config node, and the one-line errors it gives. */
class ConfigNodeTest {
    @TempDir
    Path dir;

    private Path file;

    private ConfigNode load(String yaml) throws IOException {
        file = Files.writeString(dir.resolve("test.yml"), yaml);
        return ConfigLoader.loadFile(file, "");
    }

    @Test
    void valuesAreReadWithTheirTypes() throws IOException {
        ConfigNode n = load("""
                port: 10025
                weight: -3.5
                big: 1e2
                on: yes
                delay: 5m
                name: doorman
                hosts: [a.example, b.example]
                host: c.example
                """);

        assertThat(n.integer("port", 0)).isEqualTo(10025);
        assertThat(n.number("weight", 0)).isEqualTo(-3.5);
        assertThat(n.number("big", 0)).isEqualTo(100.0);
        assertThat(n.bool("on", false)).isTrue();
        assertThat(n.duration("delay", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(n.string("name", "")).isEqualTo("doorman");
        assertThat(n.strings("hosts")).containsExactly("a.example", "b.example");
        assertThat(n.strings("host")).containsExactly("c.example");
        n.finish();
    }

    @Test
    void absentAndNullKeysGiveTheDefaults() throws IOException {
        ConfigNode n = load("""
                empty:
                tilde: ~
                """);

        assertThat(n.has("empty")).isFalse();
        assertThat(n.child("tilde")).isEmpty();
        assertThat(n.integer("missing", 7)).isEqualTo(7);
        assertThat(n.number("tilde", -1.5)).isEqualTo(-1.5);
        assertThat(n.bool("empty", true)).isTrue();
        assertThat(n.duration("missing", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(n.string("missing", "x")).isEqualTo("x");
        assertThat(n.strings("missing")).isEmpty();
        assertThat(n.list("tilde")).isEmpty();
        n.finish();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "yes", "on", "On"})
    void trueHasSeveralSpellings(String text) throws IOException {
        assertThat(load("flag: " + text).bool("flag", false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "no", "off", "OFF"})
    void falseHasSeveralSpellings(String text) throws IOException {
        assertThat(load("flag: " + text).bool("flag", true)).isFalse();
    }

    @Test
    void anUnknownKeyIsNamedWithFileLineAndTheKnownKeys() throws IOException {
        ConfigNode n = load("""
                alpha: 1
                beta: 2
                gamma: 3
                """);
        n.integer("alpha", 0);
        n.has("beta");
        n.child("delta");

        assertThatThrownBy(n::finish)
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: gamma: unknown key; expected one of: alpha, beta, delta");
    }

    @Test
    void anUnknownNestedKeyIsNamedWithItsFullPath() throws IOException {
        ConfigNode n = load("""
                server:
                  host: localhost
                  prot: 10025
                """);
        ConfigNode server = n.required("server");
        server.string("host", "");
        server.integer("port", 0);
        n.finish();

        assertThatThrownBy(server::finish)
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: server.prot: unknown key; expected one of: host, port");
    }

    @Test
    void aMappingWhereNoKeysAreReadSaysSo() throws IOException {
        ConfigNode n = load("stray: 1\n");

        assertThatThrownBy(n::finish)
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":1: stray: unknown key; no keys are allowed here");
    }

    @Test
    void aDuplicateKeyIsAnErrorAtItsSecondLine() {
        assertThatThrownBy(() -> load("""
                a: 1
                b: 2
                a: 3
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: a: appears twice");
        assertThatThrownBy(() -> load("""
                server:
                  port: 1
                  port: 2
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: server.port: appears twice");
    }

    @Test
    void aKeyThatIsNotAWordIsRefused() {
        assertThatThrownBy(() -> load("""
                ok: 1
                ? [a, b]
                : 1
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2: keys must be plain words");
    }

    @Test
    void wrongTypesAreErrorsWithFileLineAndKey() throws IOException {
        ConfigNode n = load("""
                port: many
                count: 1.5
                weight: heavy
                nan: NaN
                flag: maybe
                timeout: soon
                hosts: {a: 1}
                server: 5
                name: [a, b]
                table: {x: 1}
                items: [a, {b: 1}]
                """);

        assertThatThrownBy(() -> n.integer("port", 0)).hasMessage(file + ":1: port: expected a whole number, got \"many\"");
        assertThatThrownBy(() -> n.integer("count", 0)).hasMessage(file + ":2: count: expected a whole number, got \"1.5\"");
        assertThatThrownBy(() -> n.number("weight", 0)).hasMessage(file + ":3: weight: expected a number, got \"heavy\"");
        assertThatThrownBy(() -> n.number("nan", 0)).hasMessage(file + ":4: nan: expected a number, got \"NaN\"");
        assertThatThrownBy(() -> n.bool("flag", false)).hasMessage(file + ":5: flag: expected true or false (or 1/0), got \"maybe\"");
        assertThatThrownBy(() -> n.duration("timeout", Duration.ZERO))
                .hasMessage(file + ":6: timeout: expected a duration like 300, 30s, 5m, 2h, 1d or 1w, got \"soon\"");
        assertThatThrownBy(() -> n.list("hosts")).hasMessage(file + ":7: hosts: expected a list");
        assertThatThrownBy(() -> n.required("server").mapping()).hasMessage(file + ":8: server: expected a mapping of keys to values");
        assertThatThrownBy(() -> n.string("name", "")).hasMessage(file + ":9: name: expected a single value, got a list");
        assertThatThrownBy(() -> n.string("table", "")).hasMessage(file + ":10: table: expected a single value, got a mapping");
        assertThatThrownBy(() -> n.strings("items")).hasMessage(file + ":11: items[1]: expected a single value, got a mapping");
    }

    @Test
    void errorsInABlockListNameTheLineOfTheItem() throws IOException {
        ConfigNode n = load("""
                limits:
                  - 10
                  - lots
                """);
        List<ConfigNode> items = n.list("limits");

        assertThat(items.get(0).asInt()).isEqualTo(10);
        assertThatThrownBy(() -> items.get(1).asInt()).hasMessage(file + ":3: limits[1]: expected a whole number, got \"lots\"");
    }

    @Test
    void aMissingRequiredKeyIsNamed() throws IOException {
        ConfigNode n = load("""
                other: 1
                server:
                  host: a
                """);

        assertThatThrownBy(() -> n.required("modules")).hasMessage(file + ":1: modules: is required");
        assertThatThrownBy(() -> n.required("server").requiredString("port")).hasMessage(file + ":3: server.port: is required");
    }

    @Test
    void anAliasIsFoundWhenTheKeyIsAbsentAndBothCountAsKnown() throws IOException {
        ConfigNode n = load("spam_threshold: -50\n");

        assertThat(n.child("weight_threshold", "spam_threshold").map(ConfigNode::asNumber)).contains(-50.0);
        n.finish();
        assertThatThrownBy(() -> {
            ConfigNode m = load("typo: 1\n");
            m.child("weight_threshold", "spam_threshold");
            m.finish();
        }).hasMessageEndingWith("typo: unknown key; expected one of: weight_threshold, spam_threshold");
    }

    @Test
    void theKeyItselfWinsOverItsAliases() throws IOException {
        ConfigNode n = load("""
                handle_localhost: 0
                force_check_local: 1
                """);

        assertThat(n.child("force_check_local", "handle_localhost").map(ConfigNode::asBool)).contains(true);
        n.finish();
    }

    @Test
    void theFirstAliasFoundWins() throws IOException {
        ConfigNode n = load("""
                third: 3
                second: 2
                """);

        assertThat(n.child("first", "second", "third").map(ConfigNode::asInt)).contains(2);
        n.finish();
    }

    @Test
    void aNodeKnowsItsFileLinePathAndDirectory() throws IOException {
        ConfigNode n = load("""
                a: 1
                server:
                  port: 25
                """);
        ConfigNode port = n.required("server").required("port");

        assertThat(port.file()).isEqualTo(file);
        assertThat(port.line()).isEqualTo(3);
        assertThat(port.path()).isEqualTo("server.port");
        assertThat(n.dir()).isEqualTo(dir.toAbsolutePath());
        assertThat(port.isScalar()).isTrue();
        assertThat(n.required("server").isMapping()).isTrue();
    }

    @Test
    void anEmptyNodeIsAMappingWithoutKeys() {
        ConfigNode n = ConfigNode.empty(dir.resolve("x.yml"), "modules[0].CBL");

        assertThat(n.isMapping()).isTrue();
        assertThat(n.mapping()).isEmpty();
        assertThat(n.integer("x", 4)).isEqualTo(4);
        n.finish();
    }

    @Test
    void aSectionInheritsTheSharedTopLevelKeysItHasNotItself() throws IOException {
        ConfigNode root = load("""
                database: {path: shared.db}
                logging: {log_level: info}
                doorman:
                  logging: {log_level: debug}
                  modules: []
                other: 1
                """);
        ConfigNode section = root.required("doorman").inheriting(root, List.of("database", "logging", "dns"));
        assertThat(section.required("database").string("path", "")).isEqualTo("shared.db");
        assertThat(section.required("logging").string("log_level", "")).as("its own wins").isEqualTo("debug");
        assertThat(section.has("dns")).isFalse();
        assertThat(section.has("modules")).isTrue();
        section.finish();
        assertThatThrownBy(root::finish).hasMessageContaining("other: unknown key"); // database, logging, doorman were read
        ConfigNode bad = load("doorman: {nonsense: 1}\n").required("doorman").inheriting(root, List.of("database"));
        bad.has("database");
        assertThatThrownBy(bad::finish).isInstanceOf(ConfigException.class).hasMessageContaining(":1: doorman.nonsense: unknown key");
    }
}
