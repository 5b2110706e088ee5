package org.decency.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.smtp.SmtpServer;
import org.decency.detective.smtp.SmtpServerSettings;
import org.decency.detective.spool.Spool;

/** The Postfix listener after the Detective (port 10250), played by the Detective's own SMTP server: keeps what it gets. */
final class RecordingNextHop implements AutoCloseable {
    /** One delivered mail: its envelope recipients and its text. */
    record Delivered(List<String> recipients, String text) {
        /** The header part, one unfolded field a line. */
        String head() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }
    }

    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final SmtpServer server;

    RecordingNextHop(Path spoolDir) throws IOException {
        Spool spool = new Spool(spoolDir);
        SmtpServerSettings settings = new SmtpServerSettings("127.0.0.1", 0, false, "nexthop", 4, 10L << 20, 100, 65536,
                Duration.ofSeconds(30));
        server = new SmtpServer(settings, spool, entry -> {
            try {
                delivered.add(new Delivered(entry.envelope().recipientAddresses(), new String(entry.open().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
                spool.done(entry);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.of(SmtpReply.of(250, "2.0.0", "Ok: queued as 4NextHop1"));
        }).start();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
