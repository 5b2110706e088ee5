package org.decency.defender;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.smtp.SmtpServer;
import org.decency.detective.smtp.SmtpServerSettings;
import org.decency.detective.spool.Spool;
import org.decency.detective.spool.SpooledEnvelope;

/**
 * Where the proxy's tests have accepted mail passed on: the Detective's own SMTP server
 * (it offers XFORWARD, as Postfix's reinjection listener does), keeping every mail it
 * took with its envelope. {@link #answer} says what it replies at the end of DATA.
 */
final class NextHop implements AutoCloseable {
    static final SmtpReply QUEUED = SmtpReply.of(250, "2.0.0", "Ok: queued as 4QNEXT");

    /** A mail the next hop took: the envelope (sender, recipients, XFORWARD) and the mail as it came. */
    record Mail(SpooledEnvelope envelope, String data) {
        /** The header part, up to the empty line. */
        String header() {
            return data.split("\r\n\r\n", 2)[0];
        }
    }

    final List<Mail> mails = new CopyOnWriteArrayList<>();
    /** Asked for each mail at the end of its DATA; only a 2xx keeps it. */
    volatile Function<SpooledEnvelope, SmtpReply> answer = e -> QUEUED;
    private final SmtpServer server;

    NextHop(Path dir) {
        Spool spool = new Spool(dir);
        server = new SmtpServer("nexthop", new SmtpServerSettings("127.0.0.1", 0, false, "nexthop.test", 16, 1L << 30, 1000, 65536,
                Duration.ofSeconds(60)), spool, entry -> {
            SmtpReply r = answer.apply(entry.envelope());
            try (InputStream in = entry.open()) {
                if (r.positive()) mails.add(new Mail(entry.envelope(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                spool.done(entry);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.of(r);
        }, org.decency.detective.smtp.EnvelopeGate.OPEN);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.port();
    }

    Mail only() {
        if (mails.size() != 1) throw new AssertionError("expected one mail at the next hop, got " + mails.size());
        return mails.getFirst();
    }

    @Override
    public void close() {
        server.close();
    }
}
