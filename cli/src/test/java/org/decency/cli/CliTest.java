package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.decency.testkit.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as an administrator runs them: real files, a real server on a free port. */
class CliTest {
    @TempDir Path dir;


    private CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void checkConfigAcceptsAValidConfigAndNamesTheModules() throws Exception {
        Path cfg = write("doorman.yml", """
                server: {host: 127.0.0.1, port: 0}
                database: {path: test.db}
                modules: []
                """);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("OK (Doorman, 0 modules");
        assertThat(dir.resolve("test.db")).doesNotExist();
    }

    @Test
    void checkConfigKnowsADetectiveConfigByItsSpoolAndWritesNothing() throws Exception {
        Path cfg = write("detective.yml", """
                server: {host: 127.0.0.1, port: 0}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: 10250}
                database: {path: test.db}
                spam: {behavior: scoring, threshold: -50, handle: bounce}
                modules:
                  - MimeAttribs: {bad_extension: {score: -100, action: reject}}
                """);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OK (Detective, 1 modules: MimeAttribs)");
        assertThat(dir.resolve("test.db")).doesNotExist();
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void checkConfigNamesFileLineAndKeyOfAWrongDetectiveSetting() throws Exception {
        Path cfg = write("detective.yml", """
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: 10250}
                spam: {behavior: scoring, threshold: -50, handle: burn}
                modules: []
                """);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("detective.yml:3: spam.handle: expected one of tag, bounce, delete, quarantine, got \"burn\"");
    }

    @Test
    void checkConfigNamesFileLineAndKeyOfAnUnknownKey() throws Exception {
        Path cfg = write("doorman.yml", """
                server: {host: 127.0.0.1, port: 0}
                weight_treshold: -50
                modules: []
                """);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("doorman.yml:2: weight_treshold: unknown key; expected one of:").contains("weight_threshold");
    }

    @Test
    void checkConfigReportsAMissingModuleFile() throws Exception {
        Path cfg = write("doorman.yml", """
                modules:
                  - CBL: doorman/cbl.yml
                """);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cbl.yml").contains("file not found");
    }

    @Test
    void checkConfigWarnsAboutModulesThatAreNotAvailableYet() throws Exception {
        Path cfg = write("doorman.yml", """
                modules:
                  - SenderPermit: {networks: [192.0.2.0/24]}
                """);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("warning: ").contains("module SenderPermit is not available yet");
    }

    @Test
    void listAddShowRemoveEditTheDatabase() throws Exception {
        Path cfg = write("doorman.yml", "database: {path: lists.db}\nmodules: []\n");
        assertThat(run("list", "add", "cbl", "ips", "192.0.2.0/24", "-c", cfg.toString()).out()).contains("added: cbl ips * 192.0.2.0/24");
        assertThat(run("list", "add", "cbl", "domains", "spam.example", "-t", "example.org", "-c", cfg.toString()).exit()).isZero();
        assertThat(run("list", "show", "cbl", "ips", "-c", cfg.toString()).out()).isEqualTo("*\t192.0.2.0/24\n");
        assertThat(run("list", "show", "cbl", "domains", "-c", cfg.toString()).out()).isEqualTo("example.org\tspam.example\n");
        assertThat(run("list", "remove", "cbl", "ips", "192.0.2.0/24", "-c", cfg.toString()).out()).contains("removed:");
        assertThat(run("list", "show", "cbl", "ips", "-c", cfg.toString()).out()).isEmpty();
        CliRun bad = run("list", "add", "cwl", "ips", "not-an-ip", "-c", cfg.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("not an IP address or CIDR network");
    }

    @Test
    void spfPrintsTheResultFirstThenTheExplanationAndWhy() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.add("example.org", "TXT", "v=spf1 ip4:192.0.2.0/24 -all").add("mail.example.org", "TXT", "v=spf1 a -all")
                    .add("mail.example.org", "A", "198.51.100.7");

            CliRun pass = run("spf", "--ip", "192.0.2.10", "--helo", "mail.example.org", "--sender", "a@example.org", "--dns", dns.address());
            assertThat(pass.exit()).isZero();
            assertThat(pass.out().lines().toList()).first().isEqualTo("pass");
            assertThat(pass.out()).contains("why: matched ip4:192.0.2.0/24 at example.org")
                    .contains("Received-SPF: pass (").contains("client-ip=192.0.2.10;");

            CliRun fail = run("spf", "--ip", "203.0.113.5", "--helo", "mail.example.org", "--sender", "a@example.org", "--dns", dns.address());
            assertThat(fail.exit()).isZero();
            List<String> lines = fail.out().lines().toList();
            assertThat(lines.get(0)).isEqualTo("fail");
            assertThat(lines.get(1)).startsWith("explanation: Please see http://www.open-spf.org/Why?s=mfrom;id=a%40example.org;ip=203.0.113.5;r=");
            assertThat(lines.get(2)).isEqualTo("why: matched -all at example.org");

            CliRun bounce = run("spf", "--ip", "198.51.100.7", "--helo", "mail.example.org", "--dns", dns.address());
            assertThat(bounce.out().lines().toList()).first().isEqualTo("pass");
            assertThat(bounce.out()).contains("identity=helo;");
        }
    }

    @Test
    void spfAsksTheNameserversOfTheConfigWithoutDns() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.add("example.org", "TXT", "v=spf1 ~all");
            Path cfg = write("doorman.yml", "dns: {servers: [\"" + dns.address() + "\"]}\nmodules: []\n");

            CliRun r = run("spf", "--ip", "192.0.2.10", "--sender", "a@example.org", "-c", cfg.toString());
            assertThat(r.out().lines().toList()).first().isEqualTo("softfail");
            assertThat(dns.asked()).contains("example.org/TXT");
        }
    }

    @Test
    void spfRefusesBadArguments() throws Exception {
        assertThat(run("spf", "--ip", "not-an-ip", "--sender", "a@example.org", "--dns", "127.0.0.1:1").exit()).isEqualTo(2);
        assertThat(run("spf", "--ip", "192.0.2.1", "--dns", "127.0.0.1:1").err()).contains("give --sender, or --helo");
        assertThat(run("spf", "--ip", "192.0.2.1", "--sender", "a@example.org", "--dns", "dns.example:53").exit()).isEqualTo(2);
        assertThat(run("spf", "--sender", "a@example.org").exit()).as("--ip is required").isEqualTo(2);
    }

    @Test
    void policyTestAsksARunningDoorman() throws Exception {
        Path cfg = write("doorman.yml", """
                server: {host: 127.0.0.1, port: 0}
                database: {path: p.db}
                disable_prepend: 1
                modules: []
                """);
        try (RunningServer s = DoormanRunner.start(cfg)) {
            CliRun r = run("policy-test", "127.0.0.1:" + s.port(), "client_address=192.0.2.9");
            assertThat(r.exit()).isZero();
            assertThat(r.out().strip()).isEqualTo("action=DUNNO");
        }
    }

    static final String DEFENDER = """
            server: {host: 127.0.0.1, port: 0}
            database: {path: d.db}
            detective_spam_reply: "No spam here"
            doorman:
              modules:
                - CBL: {ips: {"*": [192.0.2.66]}, reject_message: "Blacklisted"}
            detective:
              spool_dir: spool
              spam: {behavior: scoring, threshold: -50, handle: bounce}
              modules:
                - MimeAttribs: {}
            """;

    @Test
    void checkConfigKnowsADefenderConfigByItsSectionsAndWritesNothing() throws Exception {
        Path cfg = write("defender.yml", DEFENDER);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OK (Defender; doorman at [RCPT]: 1 modules: CBL; detective: 1 modules: MimeAttribs)");
        assertThat(dir.resolve("d.db")).doesNotExist();
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void checkConfigNamesFileLineAndKeyInADefenderSection() throws Exception {
        Path cfg = write("defender.yml", DEFENDER.replace("  spool_dir: spool\n", "  spool_dir: spool\n  spool_dri: x\n"));
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("defender.yml:9: detective.spool_dri: unknown key; expected one of:");
        Path stages = write("defender2.yml", DEFENDER.replace("doorman:\n", "doorman:\n  stages: [rcpt, data]\n"));
        assertThat(run("check-config", stages.toString()).err()).contains("defender2.yml:5: doorman.stages[1]: expected some of connect, helo,"
                + " mail, rcpt; got \"data\"");
    }

    @Test
    void thePrequeueModeNeedsReinjectAndSaysSo() throws Exception {
        Path cfg = write("defender.yml", "mode: prequeue\n" + DEFENDER);
        CliRun r = run("check-config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("mode: prequeue needs detective.reinject: where the proxy passes accepted mail on");
        Path ok = write("defender2.yml", "mode: prequeue\n" + DEFENDER.replace("  spool_dir: spool\n",
                "  spool_dir: spool\n  reinject: {host: 127.0.0.1, port: 10250}\n"));
        CliRun r2 = run("check-config", ok.toString());
        assertThat(r2.exit()).as(r2.err()).isZero();
        assertThat(r2.out()).contains("OK (Defender, before-queue proxy; doorman at [RCPT]: 1 modules: CBL; detective: 1 modules: MimeAttribs)");
    }

    @Test
    void aDefenderInPrequeueModeStartsAsAnSmtpProxy() throws Exception {
        Path cfg = write("defender.yml", "mode: prequeue\n" + DEFENDER.replace("  spool_dir: spool\n",
                "  spool_dir: spool\n  reinject: {host: 127.0.0.1, port: 10250}\n"));
        try (RunningServer s = DefenderRunner.start(cfg);
             java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("220 ");
            socket.getOutputStream().write("EHLO mx.example.org\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            List<String> ehlo = new java.util.ArrayList<>();
            String l;
            do {
                l = in.readLine();
                ehlo.add(l);
            } while (l.startsWith("250-"));
            assertThat(ehlo).contains("250 XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE");
        }
        assertThat(dir.resolve("spool/defender/processing")).isDirectory().isEmptyDirectory();
    }

    @Test
    void aDefenderStartsFromItsConfigAndSpeaksMilter() throws Exception {
        Path cfg = write("defender.yml", DEFENDER);
        try (RunningServer s = DefenderRunner.start(cfg);
             java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            var out = new java.io.DataOutputStream(socket.getOutputStream());
            out.writeInt(13);
            out.writeByte('O');
            out.writeInt(6);
            out.writeInt(0x1ff);
            out.writeInt(0x1fffff);
            out.flush();
            var in = new java.io.DataInputStream(socket.getInputStream());
            int length = in.readInt();
            assertThat(in.readByte()).isEqualTo((byte) 'O');
            assertThat(in.readInt()).as("protocol version").isEqualTo(6);
            byte[] rest = in.readNBytes(length - 5);
            assertThat(new String(rest, java.nio.charset.StandardCharsets.ISO_8859_1)).as("the macro lists after the two masks")
                    .contains("{client_ptr}");
        }
        assertThat(dir.resolve("spool/defender")).isDirectory().isEmptyDirectory();
    }

    @Test
    void startReadsTheDefenderConfigBesideTheOthers() throws Exception {
        write("conf/defender.yml", "mode: milter\ndoorman:\n  modules: []\n  nonsense: 1\n");
        CliRun r = run("start", "--config-dir", dir.resolve("conf").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("defender.yml:4: doorman.nonsense: unknown key");
    }

    @Test
    void theDefenderCommandIsThere() {
        CliRun r = run("defender", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("-c, --config").contains("milter");
    }
}
