package org.decency.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.decency.config.ConfigException;
import org.decency.core.Transaction;
import org.junit.jupiter.api.Test;

/** {@code exclusions:}: skipping a module for some recipients, senders or clients. */
class ExclusionsTest extends PipelineTestBase {

    private static final String MODULES = """
            modules:
              - Alpha: {score: -1}
              - Beta: {score: -2}
            """;

    /** The names of the checks asked for {@code tx}. */
    private java.util.List<String> asked(Pipeline p, Transaction tx) {
        journal.asked.clear();
        p.run(tx);
        return java.util.List.copyOf(journal.asked);
    }

    @Test
    void aRecipientDomainExcludesItselfAndItsSubDomains() {
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    Alpha:
                      to_domain: [Example.ORG]
                """ + MODULES);

        assertThat(asked(p, rcpt("user@example.org"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("User@Mail.Example.org"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("user@notexample.org"))).containsExactly("Alpha", "Beta");
        assertThat(asked(p, rcpt("user@example.org.evil.example"))).containsExactly("Alpha", "Beta");
        assertThat(asked(p, rcpt("user@org"))).containsExactly("Alpha", "Beta");
    }

    @Test
    void aRecipientAddressMatchesWhateverItsCase() {
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    Beta:
                      to: [Postmaster@Example.org, "@abuse@example.org"]
                """ + MODULES);

        assertThat(asked(p, rcpt("postmaster@EXAMPLE.org"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("abuse@example.org"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("other@example.org"))).containsExactly("Alpha", "Beta");
        assertThat(asked(p, rcpt("postmaster@sub.example.org"))).containsExactly("Alpha", "Beta");
    }

    @Test
    void sendersAndSenderDomainsExclude() {
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    Alpha: {from: boss@partner.example}
                    Beta: {from_domain: "@trusted.example"}
                """ + MODULES);

        assertThat(asked(p, rcpt("192.0.2.10", "Boss@Partner.example", "u@example.org"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("192.0.2.10", "intern@partner.example", "u@example.org"))).containsExactly("Alpha", "Beta");
        assertThat(asked(p, rcpt("192.0.2.10", "x@mx.trusted.example", "u@example.org"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("192.0.2.10", "<>", "u@example.org"))).containsExactly("Alpha", "Beta");
    }

    @Test
    void clientAddressesAndNetworksExclude() {
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    Alpha:
                      client_ip: [192.0.2.0/25, "2001:db8::/48", 198.51.100.7]
                """ + MODULES);

        assertThat(asked(p, from("192.0.2.100"))).containsExactly("Beta");
        assertThat(asked(p, from("192.0.2.128"))).containsExactly("Alpha", "Beta");
        assertThat(asked(p, from("2001:db8:0:1::25"))).containsExactly("Beta");
        assertThat(asked(p, from("2001:db8:1::25"))).containsExactly("Alpha", "Beta");
        assertThat(asked(p, from("198.51.100.7"))).containsExactly("Beta");
        assertThat(asked(p, from("unknown"))).containsExactly("Alpha", "Beta");
    }

    @Test
    void theOldTypeNamesStillWork() {
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    Alpha:
                      recipient_domain: example.org
                      sender_address: boss@partner.example
                    Beta:
                      recipient_address: vip@example.com
                      sender_domain: trusted.example
                """ + MODULES);

        assertThat(asked(p, rcpt("u@example.org"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("vip@example.com"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("192.0.2.10", "boss@partner.example", "u@example.com"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("192.0.2.10", "a@trusted.example", "u@example.com"))).containsExactly("Alpha");
    }

    @Test
    void anExcludedModuleIsNeitherAskedNorToldTheDecision() {
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    Alpha: {to_domain: example.org}
                modules:
                  - Alpha: {final: REJECT}
                  - Beta: {score: -1}
                """);

        var v = p.run(rcpt("user@example.org"));

        assertThat(v.briefScores()).isEqualTo("Beta=-1");
        assertThat(journal.decided).containsExactly("Beta DUNNO");
    }

    @Test
    void moduleNamesInExclusionsMatchWhateverTheirCase() {
        write("excl/to_domain/beta.txt", "example.com\n");
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    alpha: {to_domain: example.org}
                  dir: excl
                """ + MODULES);

        assertThat(asked(p, rcpt("u@example.org"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("u@example.com"))).containsExactly("Alpha");
    }

    @Test
    void anExclusionFollowsTheNameAModuleReportsUnder() {
        Pipeline p = pipeline("""
                exclusions:
                  modules:
                    AlphaStrict: {to_domain: example.org}
                modules:
                  - Alpha: {score: -1}
                  - Alpha: {name: AlphaStrict, score: -2}
                """);

        assertThat(asked(p, rcpt("u@example.org"))).containsExactly("Alpha");
    }

    @Test
    void aFileOfTypeModuleValueLinesExcludes() {
        write("exclusions.txt", """
                # comments and blank lines are skipped

                to_domain:Alpha:example.org
                sender_domain:Beta:Trusted.Example
                client_ip:Beta:2001:db8::/32
                """);
        Pipeline p = pipeline("""
                exclusions:
                  file: exclusions.txt
                """ + MODULES);

        assertThat(asked(p, rcpt("u@example.org"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("192.0.2.10", "a@trusted.example", "u@example.com"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("2001:db8::1", "s@example.net", "u@example.com"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("u@example.com"))).containsExactly("Alpha", "Beta");
    }

    @Test
    void aBadLineInTheFileIsNamedWithItsLine() {
        Path file = write("exclusions.txt", "to_domain:Alpha:example.org\nto_domain example.com\n");

        assertThatThrownBy(() -> build("exclusions:\n  file: exclusions.txt\n" + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2: expected type:module:value with type one of to, to_domain, from, from_domain, "
                        + "client_ip, got \"to_domain example.com\"");
        write("exclusions.txt", "to_domain:Alpha:example.org\nnear:Alpha:example.com\n");
        assertThatThrownBy(() -> build("exclusions:\n  file: exclusions.txt\n" + MODULES))
                .hasMessageStartingWith(file + ":2: expected type:module:value");
    }

    @Test
    void aBadAddressInTheFileIsNamedWithItsLine() {
        Path file = write("exclusions.txt", "\nclient_ip:Alpha:192.0.2.0/24\nclient_ip:Alpha:192.0.2.300\n");

        assertThatThrownBy(() -> build("exclusions:\n  file: exclusions.txt\n" + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: expected an IP address or CIDR network, got \"192.0.2.300\"");
    }

    @Test
    void aDirectoryOfTypeModuleFilesExcludes() {
        write("excl/to_domain/Alpha.txt", "# Alpha is not for these\nexample.org\n\n");
        write("excl/from/Beta.txt", "boss@partner.example\n");
        write("excl/client_ip/Beta.txt", "198.51.100.0/24\n");
        write("excl/client_ip/README", "not a .txt file, ignored\n");
        Pipeline p = pipeline("""
                exclusions:
                  dir: excl
                """ + MODULES);

        assertThat(asked(p, rcpt("u@sub.example.org"))).containsExactly("Beta");
        assertThat(asked(p, rcpt("192.0.2.10", "boss@partner.example", "u@example.com"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("198.51.100.9", "s@example.net", "u@example.com"))).containsExactly("Alpha");
        assertThat(asked(p, rcpt("192.0.2.9", "s@example.net", "u@example.com"))).containsExactly("Alpha", "Beta");
    }

    @Test
    void aBadAddressInTheDirectoryIsNamedWithFileAndLine() {
        Path file = write("excl/client_ip/Alpha.txt", "192.0.2.1\nsomewhere\n");

        assertThatThrownBy(() -> build("exclusions:\n  dir: excl\n" + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2: expected an IP address or CIDR network, got \"somewhere\"");
    }

    @Test
    void anUnknownTypeDirectoryOrMissingDirectoryIsAnError() {
        write("excl/recipients/Alpha.txt", "example.org\n");
        assertThatThrownBy(() -> build("exclusions:\n  dir: excl\n" + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: exclusions.dir: unknown exclusion type directory " + dir.resolve("excl/recipients")
                        + "; expected one of: to, to_domain, from, from_domain, client_ip");
        assertThatThrownBy(() -> build("exclusions:\n  dir: nowhere\n" + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: exclusions.dir: not a directory: " + dir.resolve("nowhere"));
    }

    @Test
    void anUnknownTypeOrBadAddressInlineIsNamed() {
        assertThatThrownBy(() -> build("""
                exclusions:
                  modules:
                    Alpha:
                      recipients: [example.org]
                """ + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":4: exclusions.modules.Alpha.recipients: unknown exclusion type; "
                        + "expected one of: to, to_domain, from, from_domain, client_ip");
        assertThatThrownBy(() -> build("""
                exclusions:
                  modules:
                    Alpha:
                      client_ip:
                        - 192.0.2.1
                        - gateway
                """ + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":6: exclusions.modules.Alpha.client_ip[1]: expected an IP address or CIDR network, got \"gateway\"");
    }

    @Test
    void exclusionsFromTheDatabaseAreNotAvailableYet() {
        assertThatThrownBy(() -> build("exclusions:\n  database: 1\n" + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: exclusions.database: exclusions from the database are not available yet; use modules:, file: or dir:");
    }

    @Test
    void anUnknownKeyInTheSectionIsNamed() {
        assertThatThrownBy(() -> build("exclusions:\n  files: x.txt\n" + MODULES))
                .isInstanceOf(ConfigException.class)
                .hasMessage(config + ":2: exclusions.files: unknown key; expected one of: modules, file, dir, database");
    }
}
