package org.decency.detective.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    static final SpooledEnvelope ENV = new SpooledEnvelope("sender@example.net", "BODY=8BITMIME",
            List.of(new SpooledEnvelope.Recipient("a@example.org", "NOTIFY=FAILURE")), Map.of("ADDR", "192.0.2.1"), "client", 1700000000);

    static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    SpoolEntry received(Spool spool, String text) throws IOException {
        Spool.Incoming in = spool.receive(ENV);
        in.out().write(text.getBytes(StandardCharsets.UTF_8));
        return spool.commit(in);
    }

    @Test
    void commitMovesTheMailWithItsEnvelopeToProcessing() throws IOException {
        Spool spool = new Spool(dir);
        Spool.Incoming in = spool.receive(ENV);
        in.out().write("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(names(dir.resolve("incoming"))).containsExactly(in.id() + ".spool");
        SpoolEntry e = spool.commit(in);
        assertThat(names(dir.resolve("incoming"))).isEmpty();
        assertThat(names(dir.resolve("processing"))).containsExactly(in.id() + ".spool");
        assertThat(e.file()).isEqualTo(dir.resolve("processing").resolve(in.id() + ".spool"));
        assertThat(e.envelope()).isEqualTo(ENV);
        try (var mail = e.open()) {
            assertThat(new String(mail.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("Subject: x\r\n\r\nbody\r\n");
        }
        assertThat(e.size()).isEqualTo("Subject: x\r\n\r\nbody\r\n".length());
        assertThat(Files.readString(e.file())).startsWith("DECENCY-SPOOL 1 ").endsWith("\nSubject: x\r\n\r\nbody\r\n");
        spool.done(e);
        assertThat(names(dir.resolve("processing"))).isEmpty();
    }

    @Test
    void anEnvelopeOfAnySizeAndCharactersComesBackFromTheFile() throws IOException {
        Spool spool = new Spool(dir);
        List<SpooledEnvelope.Recipient> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) many.add(new SpooledEnvelope.Recipient("r" + i + "@exämple.org", "ORCPT=rfc822;r" + i + "\tx"));
        SpooledEnvelope big = new SpooledEnvelope("sënder@example.net", "SMTPUTF8", many, Map.of("NAME", "a\nb"), "hélo", 1);
        Spool.Incoming in = spool.receive(big);
        in.out().write("DECENCY-SPOOL 1 5\n".getBytes(StandardCharsets.UTF_8)); // a mail that looks like a prefix
        SpoolEntry e = spool.commit(in);
        SpoolEntry back = new Spool(dir).leftovers().getFirst();
        assertThat(back.envelope()).isEqualTo(big);
        assertThat(back.offset()).isEqualTo(e.offset());
        try (var mail = back.open()) {
            assertThat(new String(mail.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("DECENCY-SPOOL 1 5\n");
        }
    }

    @Test
    void abandonForgetsAPartialMail() throws IOException {
        Spool spool = new Spool(dir);
        Spool.Incoming in = spool.receive(ENV);
        in.out().write("Subject: half".getBytes(StandardCharsets.UTF_8));
        in.abandon();
        in.abandon();
        assertThat(names(dir.resolve("incoming"))).isEmpty();
        assertThat(names(dir.resolve("processing"))).isEmpty();
    }

    @Test
    void quarantineAndFailKeepTheMailTheEnvelopeAndTheReason() throws IOException {
        Spool spool = new Spool(dir);
        SpoolEntry q = received(spool, "Subject: q\r\n\r\nq\r\n");
        SpoolEntry f = received(spool, "Subject: f\r\n\r\nf\r\n");
        Path where = spool.quarantine(q, "Virus found: EICAR");
        spool.fail(f, "handling failed");
        assertThat(where).isEqualTo(spool.quarantineDir().resolve(q.id() + ".eml"));
        assertThat(names(spool.quarantineDir())).containsExactly(q.id() + ".eml", q.id() + ".env", q.id() + ".reason");
        assertThat(Files.readString(spool.quarantineDir().resolve(q.id() + ".reason"))).isEqualTo("Virus found: EICAR\n");
        assertThat(Files.readString(where)).isEqualTo("Subject: q\r\n\r\nq\r\n");
        assertThat(SpooledEnvelope.read(Files.readString(spool.quarantineDir().resolve(q.id() + ".env")))).isEqualTo(ENV);
        assertThat(names(spool.failedDir())).containsExactly(f.id() + ".eml", f.id() + ".env", f.id() + ".reason");
        assertThat(names(dir.resolve("processing"))).isEmpty();
    }

    @Test
    void leftoversRemovePartialsAndReportWhatWasBeingHandled() throws IOException {
        Spool spool = new Spool(dir);
        SpoolEntry a = received(spool, "Subject: a\r\n\r\na\r\n");
        SpoolEntry b = received(spool, "Subject: b\r\n\r\nb\r\n");
        Spool.Incoming partial = spool.receive(ENV);
        partial.out().write("Subject: par".getBytes(StandardCharsets.UTF_8));
        partial.out().flush();
        Files.writeString(dir.resolve("incoming/orphan.env"), "sender\tx\n");
        // not a spool file (put there by hand), and one whose envelope was cut off: both are kept whole
        Files.writeString(dir.resolve("processing/0000zzzzzzzzzzzzz.eml"), "Subject: lone\r\n\r\n");
        Files.writeString(dir.resolve("processing/0000yyyyyyyyyyyyy.spool"), "DECENCY-SPOOL 1 900\nsender\tx\n");

        List<SpoolEntry> left = new Spool(dir).leftovers();
        assertThat(names(dir.resolve("incoming"))).isEmpty();
        assertThat(left).extracting(SpoolEntry::id)
                .containsExactlyInAnyOrder("0000yyyyyyyyyyyyy", "0000zzzzzzzzzzzzz.eml", a.id(), b.id());
        assertThat(left.stream().filter(e -> e.id().equals(a.id())).findFirst().orElseThrow().envelope()).isEqualTo(ENV);
        for (SpoolEntry odd : left.stream().filter(e -> e.id().startsWith("0000")).toList()) {
            assertThat(odd.envelope().recipients()).isEmpty();
            assertThat(odd.offset()).isZero();
        }
        // each can be kept for the administrator, the odd ones too, whole
        for (SpoolEntry e : left) spool.fail(e, "left by a crash");
        assertThat(names(spool.failedDir())).contains("0000zzzzzzzzzzzzz.eml.eml", "0000zzzzzzzzzzzzz.eml.reason",
                a.id() + ".eml", a.id() + ".env", a.id() + ".reason", "0000yyyyyyyyyyyyy.eml");
        assertThat(Files.readString(spool.failedDir().resolve("0000yyyyyyyyyyyyy.eml"))).isEqualTo("DECENCY-SPOOL 1 900\nsender\tx\n");
        assertThat(Files.readString(spool.failedDir().resolve(a.id() + ".eml"))).isEqualTo("Subject: a\r\n\r\na\r\n");
        assertThat(names(dir.resolve("processing"))).isEmpty();
    }

    @Test
    void envelopeRoundTripKeepsTabsNewlinesAndBackslashes() {
        Map<String, String> xf = new LinkedHashMap<>();
        xf.put("NAME", "host\twith\ttabs");
        xf.put("HELO", "line\nbreak\r\nand \\ back\\slash \\t not a tab");
        xf.put("ADDR", "");
        SpooledEnvelope env = new SpooledEnvelope("we\\ird\t\"sender\"@example.net", "RET=HDRS ENVID=a\\b\tc",
                List.of(new SpooledEnvelope.Recipient("tab\there@example.org", "ORCPT=rfc822;a\\+2Bb"),
                        new SpooledEnvelope.Recipient("nl\nthere@example.org", ""),
                        new SpooledEnvelope.Recipient("", "\t")),
                xf, "helo\\n literal", 42);
        SpooledEnvelope back = SpooledEnvelope.read(env.write());
        assertThat(back).isEqualTo(env);
        assertThat(env.write().lines()).hasSize(10).allMatch(l -> l.chars().filter(c -> c == '\t').count() <= 2);
    }

    @Test
    void emptyEnvelopeRoundTrip() {
        SpooledEnvelope env = new SpooledEnvelope("", "", List.of(), Map.of(), "", 0);
        assertThat(SpooledEnvelope.read(env.write())).isEqualTo(env);
    }
}
