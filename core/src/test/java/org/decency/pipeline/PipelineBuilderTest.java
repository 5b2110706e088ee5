package org.decency.pipeline;

import org.decency.store.InMemoryStore;

import org.decency.core.CheckEnvironment;

import org.decency.config.ConfigNode;

import org.decency.config.ConfigLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.decency.config.ConfigException;
import org.decency.core.Cidr;
import org.junit.jupiter.api.Test;

/** Reading the pipeline part of a server config: modules, settings and their errors. */
class PipelineBuilderTest extends PipelineTestBase {

    @Test
    void theSettingsHaveTheSeedsDefaults() {
        PipelineSettings s = pipeline("modules: []\n").settings();

        assertThat(s).isEqualTo(PipelineSettings.defaults());
        assertThat(s.threshold()).isEqualTo(-100);
        assertThat(s.forceCheckLocal()).isFalse();
        assertThat(s.ignoreIps()).isEmpty();
        assertThat(s.defaultRejectMessage()).isEqualTo("use decency");
        assertThat(s.noRejectDetail()).isFalse();
        assertThat(s.noSessionIdentifier()).isFalse();
        assertThat(s.recipientDelimiter()).isEmpty();
    }

    @Test
    void theSettingsAreRead() {
        PipelineSettings s = pipeline("""
                weight_threshold: -25.5
                force_check_local: on
                ignore_ips: [192.0.2.0/24, "2001:db8::1"]
                default_reject_message: Not here
                no_reject_detail: 1
                no_session_identifier: true
                recipient_delimiter: +
                modules: []
                """).settings();

        assertThat(s).isEqualTo(new PipelineSettings(-25.5, true,
                List.of(Cidr.parse("192.0.2.0/24").orElseThrow(), Cidr.parse("2001:db8::1").orElseThrow()),
                "Not here", true, true, "+"));
    }

    @Test
    void aBadIgnoreIpsEntryIsNamed() {
        assertThatThrownBy(() -> build("""
                ignore_ips:
                  - 192.0.2.0/24
                  - nonsense
                modules: []
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":3: ignore_ips[1]: expected an IP address or CIDR network, got \"nonsense\"");
    }

    @Test
    void ignoreIpsTakesOneValueOrTheSeedsHashForm() {
        assertThat(build("modules: []\nignore_ips: 192.0.2.7\n").pipeline().settings().ignoreIps())
                .extracting(Object::toString).containsExactly("192.0.2.7/32");
        assertThat(build("modules: []\nignore_ips: {192.0.2.0/24: 1, \"2001:db8::/32\": 1}\n").pipeline().settings().ignoreIps())
                .extracting(Object::toString).containsExactly("192.0.2.0/24", "2001:db8:0:0:0:0:0:0/32");
    }

    @Test
    void theSameModuleTwiceWithoutItsOwnNameIsRefused() {
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha: {score: -1}
                  - Alpha: {score: -2}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(config + ":3: modules[1].Alpha: a second module named Alpha; give each its own name:");
    }

    @Test
    void anUnknownTopLevelKeyListsEveryKeyThePipelineKnows() {
        assertThatThrownBy(() -> build("""
                modules: []
                weight_treshold: -5
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: weight_treshold: unknown key; expected one of: include, weight_threshold, "
                        + "spam_threshold, force_check_local, pass_localhost, ignore_ips, default_reject_message, no_reject_detail, "
                        + "no_session_identifier, recipient_delimiter, exclusions, custom_scoring, enable_stats, stats, modules");
    }

    @Test
    void modulesAreRequired() {
        assertThatThrownBy(() -> build("weight_threshold: -5\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ": modules: is required");
    }

    @Test
    void anUnknownModuleIsAnErrorThatListsTheAvailableOnes() {
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha: {}
                  - Nope: {score: 1}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":3: modules[1].Nope: unknown module \"Nope\"; available: Alpha, Beta, Gamma, Delta");
    }

    @Test
    void moduleNamesAreMatchedWhateverTheirCase() {
        Pipeline p = pipeline("""
                modules:
                  - alpha: {score: -1}
                  - GAMMA:
                """);

        assertThat(p.modules()).extracting(Module::name).containsExactly("Alpha", "Gamma");
        assertThat(p.run(from("192.0.2.10")).briefScores()).isEqualTo("Alpha=-1 Gamma=0");
    }

    @Test
    void aPipelineOnARemoteStoreBlocksSoAnEventLoopHandsItsRunsOn() {
        String yaml = "modules:\n  - Alpha: {score: -1}\n";
        assertThat(pipeline(yaml).blocking()).as("Alpha never blocks, the store is in memory").isFalse();

        config = write("doorman.yml", yaml);
        ConfigNode root = ConfigLoader.load(config);
        InMemoryStore remote = new InMemoryStore(clock) {
            @Override
            public boolean remote() {
                return true;
            }
        };
        Pipeline onRedis = builder().build(root, new CheckEnvironment(remote, clock, dir, "doorman", List.of(), List.of()), executor).pipeline();
        assertThat(onRedis.blocking()).isTrue();
        assertThat(onRedis.observedBy(PipelineObserver.NONE).withThreshold(-50).blocking()).as("kept by its copies").isTrue();
    }

    @Test
    void modulesThatAreNotAvailableYetAreSkippedWithAWarning() {
        write("doorman/live-stats.yml", "whatever: 1\n");

        PipelineBuilder.Result r = build("""
                modules:
                  - SenderPermit: {harsh: 1}
                  - Alpha: {score: -1}
                  - LiveStats: doorman/live-stats.yml
                  - LiveStats:
                """);

        assertThat(r.pipeline().modules()).extracting(Module::name).containsExactly("Alpha");
        assertThat(r.warnings()).containsExactly(
                config + ":2: module SenderPermit is not available yet (it comes with a later release); skipped",
                config + ":4: module LiveStats is not available yet (it comes with a later release); skipped",
                config + ":5: module LiveStats is not available yet (it comes with a later release); skipped");
    }

    @Test
    void warningsOfTheFactoriesAreHandedOn() {
        PipelineBuilder.Result r = build("""
                modules:
                  - Alpha:
                      warn: this setting does nothing yet
                """);

        assertThat(r.warnings()).containsExactly(config + ":3: modules[0].Alpha.warn: this setting does nothing yet");
    }

    @Test
    void aModuleConfigMayLiveInItsOwnFileRelativeToTheConfig() {
        write("doorman/alpha.yml", "score: -7\nmessage: from a file\n");

        Pipeline p = pipeline("""
                modules:
                  - Alpha: doorman/alpha.yml
                """);

        assertThat(p.run(from("192.0.2.10")).briefScores()).isEqualTo("Alpha=-7");
    }

    @Test
    void anUnknownKeyInAModuleFileNamesThatFile() {
        var file = write("doorman/alpha.yml", "score: -7\nscroe: -8\n");

        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha: doorman/alpha.yml
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":2: scroe: unknown key; expected one of: name, disable, timeout, "
                        + "force_check_local, handle_localhost, no_cache, result_cache, on_failure, score");
    }

    @Test
    void anUnknownInlineModuleKeyIsNamedWithItsPath() {
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha:
                      score: -1
                      scroe: -8
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(config + ":4: modules[0].Alpha.scroe: unknown key; expected one of: name, disable");
    }

    @Test
    void aMissingModuleFileIsNamedWithTheLineThatNamesIt() {
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha: {}
                  - Beta: doorman/beta.yml
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":3: modules[1].Beta: file not found: " + dir.resolve("doorman/beta.yml").toAbsolutePath());
    }

    @Test
    void aModuleEntryHasExactlyOneName() {
        assertThatThrownBy(() -> build("""
                modules:
                  - {Alpha: {}, Beta: {}}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: modules[0]: each module is one \"Name: settings\" entry, e.g. \"- CBL: doorman/cbl.yml\"");
    }

    @Test
    void moduleSettingsMustBeAMappingOrAFileName() {
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha: [1, 2]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: modules[0].Alpha: expected a mapping of keys to values");
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: modules[0]: expected a mapping of keys to values");
    }

    @Test
    void theCommonModuleOptionsAreRead() {
        Pipeline p = pipeline("""
                modules:
                  - Alpha: {timeout: 3s, force_check_local: 0, no_cache: 1}
                  - Beta: {name: BetaTwo, handle_localhost: 1}
                  - Gamma:
                """);

        assertThat(p.modules()).extracting(Module::options).containsExactly(
                new ModuleOptions("Alpha", false, java.time.Duration.ofSeconds(3), false),
                new ModuleOptions("BetaTwo", false, ModuleOptions.DEFAULT_TIMEOUT, true),
                new ModuleOptions("Gamma", false, java.time.Duration.ofSeconds(15), null));
    }

    @Test
    void aZeroOrBadTimeoutIsRefused() {
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha: {timeout: 0}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: modules[0].Alpha.timeout: must be more than 0");
        assertThatThrownBy(() -> build("""
                modules:
                  - Alpha:
                      timeout: -5s
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":3: modules[0].Alpha.timeout: expected a duration like 300, 30s, 5m, 2h, 1d or 1w, got \"-5s\"");
    }

    @Test
    void theBuilderKnowsTheModulesRegisteredWithIt() {
        assertThat(builder().moduleNames()).containsExactly("Alpha", "Beta", "Gamma", "Delta");
    }
}
