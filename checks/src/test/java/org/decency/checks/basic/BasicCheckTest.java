package org.decency.checks.basic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.core.CheckEnvironment;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.ManualClock;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicCheckTest {
    /** Every rule on, each with its own weight, so a score tells which rule fired. */
    static final String ALL_RULES = """
            weight_helo_missing: -1
            weight_helo_bare_ip: -2
            weight_helo_localhost: -3
            weight_helo_is_us: -4
            weight_helo_literal_mismatch: -5
            weight_invalid_helo_hostname: -6
            weight_non_fqdn_helo_hostname: -7
            weight_non_fqdn_sender: -8
            weight_non_fqdn_recipient: -9
            """;
    static final Score PASSED = new Score("Basic", 0, "basic checks passed");
    static final String REMOTE = "192.0.2.10";

    @TempDir
    Path dir;

    @Test
    void aPlausibleRequestScoresBasicZero() throws Exception {
        Outcome o = ask(basic(ALL_RULES), REMOTE, "mail.example.net", "someone@example.net", "user@example.org");

        assertThat(o.scores()).containsExactly(PASSED);
        assertThat(o.finalWord()).isNull();
        assertThat(o.message()).isEmpty();
    }

    @Test
    void noHeloAtAllIsHeloMissing() throws Exception {
        assertThat(helo(basic(ALL_RULES), REMOTE, "")).containsExactly(new Score("BASIC_HELO_MISSING", -1, "no HELO/EHLO given"));
        assertThat(helo(basic(ALL_RULES), REMOTE, "   ")).containsExactly(new Score("BASIC_HELO_MISSING", -1, "no HELO/EHLO given"));
    }

    @Test
    void aBareAddressIsHeloBareIp() throws Exception {
        BasicCheck check = basic(ALL_RULES);

        assertThat(helo(check, REMOTE, REMOTE)).containsExactly(
                new Score("BASIC_HELO_BARE_IP", -2, "HELO \"192.0.2.10\" is an address without brackets"));
        assertThat(helo(check, "2001:db8::1", "2001:db8::1")).containsExactly(
                new Score("BASIC_HELO_BARE_IP", -2, "HELO \"2001:db8::1\" is an address without brackets"));
    }

    @Test
    void anAddressLiteralOfTheClientItselfIsFine() throws Exception {
        BasicCheck check = basic(ALL_RULES);

        assertThat(helo(check, REMOTE, "[192.0.2.10]")).containsExactly(PASSED);
        assertThat(helo(check, "2001:db8::1", "[IPv6:2001:DB8:0::1]")).containsExactly(PASSED);
    }

    @Test
    void anAddressLiteralOfAnotherAddressIsALiteralMismatch() throws Exception {
        BasicCheck check = basic(ALL_RULES);

        assertThat(helo(check, REMOTE, "[192.0.2.11]")).containsExactly(
                new Score("BASIC_HELO_LITERAL_MISMATCH", -5, "HELO \"[192.0.2.11]\" but the client is 192.0.2.10"));
        assertThat(helo(check, "2001:db8::1", "[IPv6:2001:db8::2]")).containsExactly(
                new Score("BASIC_HELO_LITERAL_MISMATCH", -5, "HELO \"[IPv6:2001:db8::2]\" but the client is 2001:db8:0:0:0:0:0:1"));
    }

    @Test
    void localhostFromARemoteClientIsHeloLocalhost() throws Exception {
        BasicCheck check = basic(ALL_RULES);

        assertThat(helo(check, REMOTE, "localhost")).containsExactly(
                new Score("BASIC_HELO_LOCALHOST", -3, "HELO \"localhost\" from a remote client"));
        assertThat(helo(check, REMOTE, "LocalHost.LocalDomain.")).extracting(Score::code).containsExactly("BASIC_HELO_LOCALHOST");
        assertThat(helo(check, REMOTE, "[127.0.0.1]")).containsExactly(
                new Score("BASIC_HELO_LOCALHOST", -3, "HELO \"[127.0.0.1]\" from a remote client"));
        assertThat(helo(check, REMOTE, "[IPv6:::1]")).extracting(Score::code).containsExactly("BASIC_HELO_LOCALHOST");
    }

    @Test
    void localhostFromALocalClientIsFine() throws Exception {
        BasicCheck check = basic(ALL_RULES);

        assertThat(helo(check, "127.0.0.1", "localhost")).containsExactly(PASSED);
        assertThat(helo(check, "127.0.0.1", "[127.0.0.1]")).containsExactly(PASSED);
        assertThat(helo(check, "::1", "localhost.localdomain")).containsExactly(PASSED);
    }

    @Test
    void ourOwnHostNameOrAddressFromAnotherClientIsHeloIsUs() throws Exception {
        BasicCheck check = basic(ALL_RULES, List.of("MX.Example.org"), List.of("198.51.100.25", "2001:db8:25::1"));

        assertThat(helo(check, REMOTE, "mx.example.ORG.")).containsExactly(
                new Score("BASIC_HELO_IS_US", -4, "HELO \"mx.example.ORG.\" is our own host name"));
        assertThat(helo(check, REMOTE, "[198.51.100.25]")).containsExactly(
                new Score("BASIC_HELO_IS_US", -4, "HELO \"[198.51.100.25]\" is our own address"));
        assertThat(helo(check, REMOTE, "[IPv6:2001:db8:25::1]")).extracting(Score::code).containsExactly("BASIC_HELO_IS_US");
        assertThat(helo(check, REMOTE, "mx2.example.org")).containsExactly(PASSED);
    }

    @Test
    void thisMachineMayCallItselfByItsOwnNames() throws Exception {
        BasicCheck check = basic(ALL_RULES, List.of("mx.example.org", "mx"), List.of("198.51.100.25"));

        assertThat(helo(check, "127.0.0.1", "mx.example.org")).containsExactly(PASSED);
        assertThat(helo(check, "198.51.100.25", "mx.example.org")).containsExactly(PASSED);
        assertThat(helo(check, "127.0.0.1", "[198.51.100.25]")).containsExactly(PASSED);
        assertThat(helo(check, "198.51.100.25", "mx")).containsExactly(PASSED);
        assertThat(helo(check, "198.51.100.25", "[198.51.100.25]")).containsExactly(PASSED);
    }

    @ParameterizedTest(name = "HELO \"{0}\" is not a valid host name")
    @ValueSource(strings = {"mail!.example.org", "mail example.org", "-mail.example.org", "mail-.example.org", "mail..example.org",
            ".example.org", "mail.123", "1.2.3", "192.0.2.256", "[mail.example.org]", "[192.0.2.1", "ma\u00efl.example.org",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.example.org"})
    void invalidSyntaxIsHeloInvalid(String helo) throws Exception {
        assertThat(helo(basic(ALL_RULES), REMOTE, helo)).containsExactly(
                new Score("BASIC_HELO_INVALID", -6, "HELO \"" + helo + "\" is not a valid host name"));
    }

    @Test
    void aNameLongerThan253CharactersIsInvalid() throws Exception {
        String label = "a".repeat(63);
        String name253 = label + "." + label + "." + label + "." + "b".repeat(61);
        assertThat(name253).hasSize(253);

        assertThat(helo(basic(ALL_RULES), REMOTE, name253)).containsExactly(PASSED);
        assertThat(helo(basic(ALL_RULES), REMOTE, name253 + "c")).extracting(Score::code).containsExactly("BASIC_HELO_INVALID");
    }

    @ParameterizedTest(name = "HELO \"{0}\" is a valid fully-qualified name")
    @ValueSource(strings = {"mail_1.example.org", "_dmarc-host.example.org", "mail.example.org.", "MAIL.Example.ORG", "1.2.3.example",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.example.org", "mx1.example.co.uk", "a.b2"})
    void validNamesPass(String helo) throws Exception {
        assertThat(helo(basic(ALL_RULES), REMOTE, helo)).containsExactly(PASSED);
    }

    @Test
    void aSingleLabelIsHeloNotFqdn() throws Exception {
        assertThat(helo(basic(ALL_RULES), REMOTE, "mailserver")).containsExactly(
                new Score("BASIC_HELO_NOT_FQDN", -7, "HELO \"mailserver\" is not a fully-qualified domain name"));
        assertThat(helo(basic(ALL_RULES), REMOTE, "mailserver.")).extracting(Score::code).containsExactly("BASIC_HELO_NOT_FQDN");
    }

    @Test
    void aNonFqdnSenderIsSenderNotFqdn() throws Exception {
        BasicCheck check = basic(ALL_RULES);

        assertThat(ask(check, REMOTE, "mail.example.net", "user@localhost", "r@example.org").scores()).containsExactly(
                new Score("BASIC_SENDER_NOT_FQDN", -8, "sender <user@localhost> is not in fully-qualified domain form"));
        assertThat(ask(check, REMOTE, "mail.example.net", "user", "r@example.org").scores()).containsExactly(
                new Score("BASIC_SENDER_NOT_FQDN", -8, "sender <user> is not in fully-qualified domain form"));
        assertThat(ask(check, REMOTE, "mail.example.net", "user@exa!mple.org", "r@example.org").scores())
                .extracting(Score::code).containsExactly("BASIC_SENDER_NOT_FQDN");
        assertThat(ask(check, REMOTE, "mail.example.net", "user@[192.0.2.1]", "r@example.org").scores()).containsExactly(PASSED);
        assertThat(ask(check, REMOTE, "mail.example.net", "user@example.net.", "r@example.org").scores()).containsExactly(PASSED);
    }

    @Test
    void theNullSenderIsNotFlagged() throws Exception {
        BasicCheck check = basic(ALL_RULES);

        assertThat(ask(check, REMOTE, "mail.example.net", "", "r@example.org").scores()).containsExactly(PASSED);
        assertThat(ask(check, REMOTE, "mail.example.net", "<>", "r@example.org").scores()).containsExactly(PASSED);
    }

    @Test
    void aNonFqdnRecipientIsRecipientNotFqdn() throws Exception {
        assertThat(ask(basic(ALL_RULES), REMOTE, "mail.example.net", "s@example.net", "postmaster@mailhost").scores()).containsExactly(
                new Score("BASIC_RECIPIENT_NOT_FQDN", -9, "recipient <postmaster@mailhost> is not in fully-qualified domain form"));
    }

    @Test
    void severalRulesFireTogetherEachWithItsOwnScore() throws Exception {
        Outcome o = ask(basic(ALL_RULES), REMOTE, "mailserver", "u@localhost", "r@intranet");

        assertThat(o.scores()).extracting(Score::code, Score::delta).containsExactly(
                org.assertj.core.groups.Tuple.tuple("BASIC_HELO_NOT_FQDN", -7.0),
                org.assertj.core.groups.Tuple.tuple("BASIC_SENDER_NOT_FQDN", -8.0),
                org.assertj.core.groups.Tuple.tuple("BASIC_RECIPIENT_NOT_FQDN", -9.0));
        assertThat(o.total()).isEqualTo(-24);
    }

    @Test
    void onlyTheMostSpecificHeloRuleFires() throws Exception {
        BasicCheck check = basic(ALL_RULES, List.of("mx"), List.of("198.51.100.25"));

        assertThat(helo(check, REMOTE, "localhost")).extracting(Score::code).containsExactly("BASIC_HELO_LOCALHOST");
        assertThat(helo(check, REMOTE, "mx")).extracting(Score::code).containsExactly("BASIC_HELO_IS_US");
        assertThat(helo(check, REMOTE, "[198.51.100.25]")).extracting(Score::code).containsExactly("BASIC_HELO_IS_US");
    }

    @Test
    void whenTheMostSpecificHeloRuleIsOffTheNextOneFires() throws Exception {
        BasicCheck check = basic("weight_non_fqdn_helo_hostname: -100\nweight_helo_literal_mismatch: -20\n", List.of("mx"), List.of("198.51.100.25"));

        assertThat(helo(check, REMOTE, "localhost")).containsExactly(
                new Score("BASIC_HELO_NOT_FQDN", -100, "HELO \"localhost\" is not a fully-qualified domain name"));
        assertThat(helo(check, REMOTE, "mx")).extracting(Score::code).containsExactly("BASIC_HELO_NOT_FQDN");
        assertThat(helo(check, REMOTE, "[127.0.0.1]")).containsExactly(
                new Score("BASIC_HELO_LITERAL_MISMATCH", -20, "HELO \"[127.0.0.1]\" but the client is 192.0.2.10"));
        assertThat(helo(check, REMOTE, "[198.51.100.25]")).extracting(Score::code).containsExactly("BASIC_HELO_LITERAL_MISMATCH");
        assertThat(helo(check, "127.0.0.1", "localhost")).containsExactly(PASSED);
    }

    @Test
    void weightZeroTurnsARuleOff() throws Exception {
        BasicCheck check = basic("weight_non_fqdn_sender: -100\nweight_helo_missing: 0\n");

        assertThat(ask(check, REMOTE, "", "user@localhost", "r@intranet").scores()).containsExactly(
                new Score("BASIC_SENDER_NOT_FQDN", -100, "sender <user@localhost> is not in fully-qualified domain form"));
        assertThat(ask(basic(""), REMOTE, "", "user@localhost", "r@intranet").scores()).containsExactly(PASSED);
    }

    @Test
    void theSenderIsNotLookedAtBeforeMailFrom() throws Exception {
        BasicCheck check = basic(ALL_RULES);
        Transaction tx = Transaction.of(Stage.HELO, Connection.of(REMOTE, "", "mailserver"), Envelope.of("user@localhost"));

        assertThat(check.evaluate(tx, new Evaluation(-100)).scores()).extracting(Score::code).containsExactly("BASIC_HELO_NOT_FQDN");
        assertThat(check.stages()).containsExactlyInAnyOrder(Stage.HELO, Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.END_OF_MESSAGE);
    }

    @Test
    void theScoreCodesFollowTheModuleName() throws Exception {
        Path file = Files.writeString(dir.resolve("basic.yml"), "weight_non_fqdn_helo_hostname: -50\n");
        ManualClock clock = new ManualClock(Instant.EPOCH);
        BasicCheck check = (BasicCheck) new BasicFactory().create("Plausible", ConfigLoader.loadFile(file, ""),
                new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", List.of(), List.of()));

        assertThat(helo(check, REMOTE, "mailserver")).extracting(Score::code).containsExactly("PLAUSIBLE_HELO_NOT_FQDN");
        assertThat(helo(check, REMOTE, "mail.example.net")).containsExactly(new Score("Plausible", 0, "basic checks passed"));
    }

    // --- helpers

    private BasicCheck basic(String yaml) throws IOException {
        return basic(yaml, List.of(), List.of());
    }

    private BasicCheck basic(String yaml, List<String> ownNames, List<String> ownAddresses) throws IOException {
        Path file = Files.writeString(dir.resolve("basic.yml"), yaml);
        ManualClock clock = new ManualClock(Instant.EPOCH);
        CheckEnvironment env = new CheckEnvironment(new InMemoryStore(clock), clock, dir, "doorman", ownNames, ownAddresses);
        return (BasicCheck) new BasicFactory().create("Basic", ConfigLoader.loadFile(file, ""), env);
    }

    private static List<Score> helo(BasicCheck check, String ip, String helo) throws Exception {
        return ask(check, ip, helo, "someone@example.net", "user@example.org").scores();
    }

    private static Outcome ask(BasicCheck check, String ip, String helo, String sender, String recipient) throws Exception {
        Transaction tx = Transaction.of(Stage.RCPT, Connection.of(ip, "client.example.net", helo), Envelope.of(sender, recipient));
        return check.evaluate(tx, new Evaluation(-100));
    }
}
