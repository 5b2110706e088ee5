package org.decency.checks.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.checks.support.DnsTestSupport;
import org.decency.core.Action;
import org.decency.core.Check;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.core.Score;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.dns.resolver.DnsSettings;
import org.decency.dns.resolver.DnsjavaDns;
import org.decency.pipeline.CustomScoring;
import org.decency.pipeline.Exclusions;
import org.decency.pipeline.Module;
import org.decency.pipeline.ModuleOptions;
import org.decency.pipeline.Pipeline;
import org.decency.pipeline.PipelineSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPF check against the loopback DNS server: scores, flags, reject, identities. */
class SpfCheckTest {
    static final String HELO = "mail.example.net";
    static final String WHY = "Please see http://www.open-spf.org/Why?s=mfrom;id=a%40example.org;ip=198.51.100.9;r=mx.test.invalid";

    @TempDir
    Path dir;
    DnsTestSupport dns;

    @BeforeEach
    void zone() {
        dns = new DnsTestSupport(dir);
        dns.server.add("example.org", "TXT", "v=spf1 ip4:192.0.2.0/24 -all")
                .add("soft.example.org", "TXT", "v=spf1 ip4:192.0.2.0/24 ~all")
                .add("explained.example.org", "TXT", "v=spf1 -all exp=why.%{d}")
                .add("why.explained.example.org", "TXT", "%{i} may not send for %{d}")
                .add("broken.example.org", "TXT", "v=spf1 ip4:192.0.2.0/24 moo -all")
                .add("default.example.org", "TXT", "v=spf1 ip4:203.0.113.0/24")
                .add("nothing.example.org", "A", "192.0.2.1")
                .add("six.example.org", "TXT", "v=spf1 ip6:2001:db8::/32 -all")
                .add(HELO, "TXT", "v=spf1 a -all").add(HELO, "A", "198.51.100.7")
                .add("good-helo.example.net", "TXT", "v=spf1 +all")
                .timeout("slow.example.org");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Check spf(String yaml) {
        return new SpfFactory().create("SPF", dns.yaml(yaml), dns.env());
    }

    private static Transaction tx(Stage stage, String ip, String helo, String sender) {
        return Transaction.of(stage, Connection.of(ip, "client.example", helo), Envelope.of(sender, "user@example.com"));
    }

    private static Outcome ask(Check check, String ip, String helo, String sender) throws Exception {
        return check.evaluate(tx(Stage.RCPT, ip, helo, sender), new Evaluation(-100));
    }

    private static Score only(Outcome o) {
        assertThat(o.scores()).hasSize(1);
        return o.scores().getFirst();
    }

    @Test
    void aRecordTooLongForUdpIsFetchedOverTcp() throws Exception {
        // a long record, as big providers publish: its UDP answer is truncated and only TCP gets it
        String includes = String.join(" ", java.util.Collections.nCopies(40, "ip4:203.0.113.0/24"));
        dns.server.add("big.example.org", "TXT", "v=spf1 " + includes + " ip4:192.0.2.0/24 -all").tcpOnly("big.example.org");

        Outcome o = ask(spf(""), "192.0.2.10", HELO, "a@big.example.org");

        assertThat(only(o).detail()).startsWith("Result: pass;");
        assertThat(dns.server.asked()).contains("big.example.org/TXT");
    }

    @Test
    void aPermittedClientPassesWithTheSeedsScoreAndFlag() throws Exception {
        Outcome o = ask(spf(""), "192.0.2.10", HELO, "a@example.org");

        assertThat(only(o).delta()).isEqualTo(10);
        assertThat(only(o).detail()).isEqualTo("Result: pass; Header: Received-SPF: pass (mx.test.invalid: domain of "
                + "a@example.org designates 192.0.2.10 as permitted sender; matched ip4:192.0.2.0/24 at example.org) "
                + "client-ip=192.0.2.10; envelope-from=\"a@example.org\"; helo=mail.example.net; receiver=mx.test.invalid; "
                + "identity=mailfrom;");
        assertThat(o.flags()).containsExactly(SpfCheck.FLAG_PASS);
        assertThat(o.message()).isEmpty();
        assertThat(o.finalWord()).isNull();
    }

    @Test
    void aFailScoresAndRejectsOnlyWhenConfigured() throws Exception {
        Outcome scored = ask(spf(""), "198.51.100.9", HELO, "a@example.org");
        assertThat(only(scored).delta()).isEqualTo(-50);
        assertThat(only(scored).detail()).startsWith("Result: fail; Header: Received-SPF: fail (mx.test.invalid: domain of "
                + "a@example.org does not designate 198.51.100.9 as permitted sender; matched -all at example.org)");
        assertThat(scored.flags()).containsExactly(SpfCheck.FLAG_NOPASS);
        assertThat(scored.message()).isEqualTo("IP not on SPF Record for example.org");
        assertThat(scored.finalWord()).isNull();

        Outcome rejected = ask(spf("reject_on_fail: 1\n"), "198.51.100.9", HELO, "a@example.org");
        assertThat(rejected.finalWord().action()).isEqualTo(Action.REJECT);
        assertThat(rejected.finalWord().text()).isEqualTo("SPF MAIL FROM check failed: " + WHY);
        assertThat(only(rejected).delta()).isEqualTo(-50);
    }

    @Test
    void aRejectCarriesTheDomainsOwnExplanationMarkedAsItsOwn() throws Exception {
        Outcome o = ask(spf("reject_on_fail: 1\n"), "198.51.100.9", HELO, "a@explained.example.org");

        assertThat(o.finalWord().text()).isEqualTo("SPF MAIL FROM check failed: The domain explained.example.org explains: "
                + "198.51.100.9 may not send for explained.example.org");
    }

    @Test
    void aSoftfailScoresItsWeight() throws Exception {
        Outcome o = ask(spf("weight_softfail: -7\n"), "198.51.100.9", HELO, "a@soft.example.org");

        assertThat(only(o).delta()).isEqualTo(-7);
        assertThat(only(o).detail()).startsWith("Result: softfail;");
        assertThat(o.flags()).containsExactly(SpfCheck.FLAG_NOPASS);
        assertThat(o.finalWord()).isNull();
    }

    @Test
    void neutralByDefaultHasAWeightOfItsOwn() throws Exception {
        Outcome o = ask(spf("weight_neutral: -5\nweight_neutral_by_default: -4\n"), "198.51.100.9", HELO, "a@default.example.org");

        assertThat(only(o).delta()).isEqualTo(-4);
        assertThat(only(o).detail()).startsWith("Result: neutral-by-default; Header: Received-SPF: neutral (");
    }

    @Test
    void aBrokenRecordIsAPermerror() throws Exception {
        Outcome o = ask(spf(""), "192.0.2.10", HELO, "a@broken.example.org");

        assertThat(only(o).delta()).isEqualTo(-20);
        assertThat(only(o).detail()).startsWith("Result: permerror;").contains("unknown mechanism");
        assertThat(o.flags()).containsExactly(SpfCheck.FLAG_NOPASS);
    }

    @Test
    void aDomainWithoutRecordIsNoneWithoutFlagOrMessage() throws Exception {
        Outcome o = ask(spf("weight_none: -1\n"), "192.0.2.10", HELO, "a@nothing.example.org");

        assertThat(only(o).delta()).isEqualTo(-1);
        assertThat(only(o).detail()).startsWith("Result: none;");
        assertThat(o.flags()).isEmpty();
        assertThat(o.message()).isEmpty();
    }

    @Test
    void aNameThatNeverAnswersIsATemperrorWithinTheModulesTimeout() throws Exception {
        // A resolver that would wait 10 s for the silent name: the check's own deadline must end it first.
        DnsSettings d = DnsSettings.of(dns.server.address());
        DnsjavaDns patient = new DnsjavaDns(new DnsSettings(d.servers(), Duration.ofSeconds(10), 0, 1000,
                Duration.ofDays(1), Duration.ofMinutes(5), Duration.ofSeconds(5)));
        Check check = new SpfFactory().create("SPF", dns.yaml("timeout: 1s\nweight_temperror: -3\n"), dns.env().withDns(patient));
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Pipeline pipeline = new Pipeline(List.of(new Module(check, new ModuleOptions("SPF", false, Duration.ofSeconds(1), null))),
                    PipelineSettings.defaults(), Exclusions.none(), CustomScoring.none(), null, blocking);

            long t0 = System.nanoTime();
            Verdict v = pipeline.run(tx(Stage.RCPT, "192.0.2.10", HELO, "a@slow.example.org"));
            long millis = (System.nanoTime() - t0) / 1_000_000;

            assertThat(v.scores()).hasSize(1);
            assertThat(v.scores().getFirst().delta()).isEqualTo(-3);
            assertThat(v.scores().getFirst().detail()).startsWith("Result: temperror;").contains("TIMEOUT");
            assertThat(v.flags()).contains(SpfCheck.FLAG_NOPASS);
            assertThat(millis).isLessThan(1000);
            assertThat(check.evaluate(tx(Stage.RCPT, "192.0.2.10", HELO, "a@slow.example.org"), new org.decency.core.Evaluation(-100))
                    .temporary()).as("a temperror is never kept by the result cache").isTrue();
        } finally {
            blocking.shutdownNow();
        }
    }

    @Test
    void aBounceIsCheckedForItsHeloName() throws Exception {
        Check check = spf("");
        Outcome pass = ask(check, "198.51.100.7", HELO, "");
        assertThat(only(pass).delta()).isEqualTo(10);
        assertThat(only(pass).detail()).contains("domain of mail.example.net designates 198.51.100.7")
                .endsWith("envelope-from=\"\"; helo=mail.example.net; receiver=mx.test.invalid; identity=helo;");

        Outcome fail = check.evaluate(tx(Stage.HELO, "198.51.100.8", HELO, ""), new Evaluation(-100));
        assertThat(only(fail).delta()).isEqualTo(-50);
        assertThat(fail.message()).isEqualTo("IP not on SPF Record for mail.example.net");
    }

    @Test
    void anIpv6ClientIsMatchedAgainstIp6() throws Exception {
        Check check = spf("");

        Outcome pass = ask(check, "2001:db8::25", HELO, "a@six.example.org");
        assertThat(only(pass).delta()).isEqualTo(10);
        assertThat(only(pass).detail()).contains("client-ip=2001:db8::25;");
        assertThat(only(ask(check, "2001:db9::25", HELO, "a@six.example.org")).delta()).isEqualTo(-50);
    }

    @Test
    void withCheckHeloAHeloFailDecidesBeforeMailFrom() throws Exception {
        Outcome o = ask(spf("check_helo: 1\n"), "192.0.2.10", HELO, "a@example.org");
        assertThat(only(o).delta()).isEqualTo(-50);
        assertThat(only(o).detail()).contains("identity=helo;");

        Outcome heloPasses = ask(spf("check_helo: 1\n"), "198.51.100.9", "good-helo.example.net", "a@example.org");
        assertThat(only(heloPasses).detail()).as("the HELO pass does not vouch for the sender").startsWith("Result: fail;")
                .contains("identity=mailfrom;");
        assertThat(only(ask(spf(""), "192.0.2.10", HELO, "a@example.org")).delta()).as("without check_helo").isEqualTo(10);
    }

    @Test
    void mailFromThisMachineAndClientsWithoutAddressAreNotChecked() throws Exception {
        assertThat(ask(spf(""), "127.0.0.1", HELO, "a@example.org").scores()).isEmpty();
        assertThat(ask(spf(""), "", HELO, "a@example.org").scores()).isEmpty();
        assertThat(ask(spf(""), "192.0.2.10", "", "").scores()).as("a bounce without HELO").isEmpty();
        assertThat(dns.server.queries()).isZero();
    }

    @Test
    void itBlocksAtHeloMailAndRcptAndIsCachedByAddressSenderAndHelo() {
        Check check = spf("");

        assertThat(check.blocking()).isTrue();
        assertThat(check.stages()).containsExactlyInAnyOrder(Stage.HELO, Stage.MAIL, Stage.RCPT);
        assertThat(check.cacheKey(tx(Stage.RCPT, "192.0.2.10", HELO, "a@example.org"))).isEqualTo("192.0.2.10|a@example.org|mail.example.net");
    }
}
