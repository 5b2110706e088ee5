package org.decency.checks.clamav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.decency.mail.SpooledMessage;
import org.decency.pipeline.ModuleOptions;
import org.decency.store.InMemoryStore;
import org.decency.checks.support.TestMails;
import org.decency.testkit.TestClamd;

/** What the ClamAV tests share: a check made from YAML, mails with and without EICAR. */
final class ClamAvTesting {
    private ClamAvTesting() {}

    static final byte[] EICAR = TestClamd.EICAR.getBytes(StandardCharsets.US_ASCII);

    /** A ClamAV check from {@code yaml}, written to {@code dir/clamav.yml}, as the pipeline makes it. */
    static ClamAvCheck check(Path dir, String yaml) {
        try {
            Path f = Files.writeString(dir.resolve("clamav.yml"), yaml);
            ConfigNode n = ConfigLoader.loadFile(f, "");
            ModuleOptions.read("ClamAV", n);
            CheckEnvironment env = new CheckEnvironment(new InMemoryStore(Clock.systemUTC()), Clock.systemUTC(), dir, "detective",
                    List.of(), List.of());
            return (ClamAvCheck) new ClamAvFactory().create("ClamAV", n, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClamAvCheck tcp(Path dir, int port, String more) {
        return check(dir, "host: 127.0.0.1\nport: " + port + "\n" + more);
    }

    static Outcome scan(ClamAvCheck check, SpooledMessage mail) {
        return check.evaluate(TestMails.tx(mail), new Evaluation(-50));
    }

    static SpooledMessage clean(TestMails mails, int n) {
        return mails.mail().text("Hello,\nthe minutes of meeting " + n + " are attached.\n")
                .attach("minutes-" + n + ".txt", "text/plain", ("Minutes " + n + "\n").repeat(20).getBytes(StandardCharsets.US_ASCII))
                .message();
    }

    /** EICAR in a base64 attachment: clamd decodes MIME itself. */
    static SpooledMessage infected(TestMails mails, int n) {
        return mails.mail().text("Hello,\nsee invoice " + n + ".\n").attach("invoice-" + n + ".com", "application/octet-stream", EICAR).message();
    }

    static byte[] zip(String name, byte[] content) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(b)) {
                z.putNextEntry(new ZipEntry(name));
                z.write(content);
                z.closeEntry();
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
