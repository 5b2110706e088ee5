package org.decency.detective;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.smtp.SmtpServer;
import org.decency.detective.smtp.SmtpServerSettings;
import org.decency.detective.spool.Spool;
import org.decency.detective.spool.SpooledEnvelope;

/**
 * The next hop of the tests: a second instance of the Detective's own SMTP server whose
 * sink records every mail (envelope and file) and answers "250 2.0.0 Ok: queued as
 * ABC123", or what {@link #answer} says. {@link #restart} starts a new generation on the
 * same port (the old one's sessions are gone).
 */
final class NextHop implements AutoCloseable {
    static final SmtpReply QUEUED = SmtpReply.of(250, "2.0.0", "Ok: queued as ABC123");

    /** A mail the next hop took: the envelope as it heard it and the bytes in a file. */
    record Mail(int generation, SpooledEnvelope envelope, Path file) {
        String sender() {
            return envelope.sender();
        }

        List<String> recipients() {
            return envelope.recipientAddresses();
        }

        byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /** The header as sent (up to the blank line, without it). */
        String head() {
            String t = text();
            int end = t.indexOf("\r\n\r\n");
            return end < 0 ? t : t.substring(0, end + 2);
        }

        String body() {
            String t = text();
            int end = t.indexOf("\r\n\r\n");
            return end < 0 ? "" : t.substring(end + 4);
        }

        /** The values (unfolded: CRLF removed) of every field called {@code name}, in order. */
        List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String field : head().split("\r\n(?![ \t])")) {
                int colon = field.indexOf(':');
                if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    out.add(field.substring(colon + 1).replace("\r\n", "").strip());
                }
            }
            return out;
        }

        String header(String name) {
            List<String> h = headers(name);
            return h.isEmpty() ? null : h.getFirst();
        }

        /** Names of the header fields, in order. */
        List<String> fieldNames() {
            List<String> out = new ArrayList<>();
            for (String field : head().split("\r\n(?![ \t])")) {
                int colon = field.indexOf(':');
                if (colon > 0) out.add(field.substring(0, colon).strip().toLowerCase(Locale.ROOT));
            }
            return out;
        }
    }

    private final Path dir;
    private final boolean lmtp;
    private final Duration idle;
    private final AtomicInteger seq = new AtomicInteger();
    final List<Mail> mails = new CopyOnWriteArrayList<>();
    /** What the next hop answers after DATA; a non-2xx reply keeps nothing. */
    volatile Function<SpooledEnvelope, SmtpReply> answer = e -> QUEUED;
    private SmtpServer server;
    private int port;
    private int generation;

    NextHop(Path dir) {
        this(dir, false, Duration.ofSeconds(60));
    }

    NextHop(Path dir, boolean lmtp, Duration idle) {
        this.dir = dir;
        this.lmtp = lmtp;
        this.idle = idle;
    }

    NextHop start() {
        generation++;
        Path gen = dir.resolve("gen" + generation);
        Spool spool = new Spool(gen.resolve("spool"));
        Path delivered = gen.resolve("delivered");
        try {
            Files.createDirectories(delivered);
            int g = generation;
            server = new SmtpServer(new SmtpServerSettings("127.0.0.1", port, lmtp, "nexthop.test", 16, 1L << 30, 1000, 65536,
                    idle), spool, entry -> {
                SmtpReply r = answer.apply(entry.envelope());
                try {
                    if (r.positive()) {
                        Path f = delivered.resolve(seq.incrementAndGet() + ".eml");
                        try (java.io.InputStream in = entry.open()) {
                            Files.copy(in, f);
                        }
                        mails.add(new Mail(g, entry.envelope(), f));
                    }
                    spool.done(entry);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return List.of(r);
            }).start();
            port = server.port();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    NextHop restart() {
        close();
        return start();
    }

    int port() {
        return port;
    }

    int generation() {
        return generation;
    }

    SmtpServer server() {
        return server;
    }

    /** Waits until at least {@code n} mails arrived; returns all of them. */
    List<Mail> await(int n) {
        Wait.until(() -> mails.size() >= n, "next hop on " + port + " to get " + n + " mail(s), got " + mails.size());
        return List.copyOf(mails);
    }

    Mail only() {
        List<Mail> m = await(1);
        if (m.size() != 1) throw new AssertionError("expected one mail at the next hop, got " + m.size());
        return m.getFirst();
    }

    @Override
    public void close() {
        if (server != null) server.close();
    }
}
