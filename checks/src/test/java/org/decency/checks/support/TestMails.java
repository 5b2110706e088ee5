package org.decency.checks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.mail.MimeLimits;
import org.decency.mail.SpooledMessage;

/**
 * Mails for tests of MESSAGE checks, written to files as the Detective's spool holds
 * them (CRLF line ends) and read back as {@link SpooledMessage}: header fields, a text
 * body, attachments with base64 bodies.
 */
public final class TestMails {
    private final Path dir;
    private int n;

    public TestMails(Path dir) {
        this.dir = dir;
    }

    public Builder mail() {
        return new Builder();
    }

    /** A mail from its raw text (LF line ends become CRLF). */
    public SpooledMessage raw(String text) {
        return raw(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public SpooledMessage raw(byte[] bytes) {
        return raw(bytes, MimeLimits.defaults());
    }

    public SpooledMessage raw(byte[] bytes, MimeLimits limits) {
        try {
            Path f = Files.write(dir.resolve("mail-" + (++n) + ".eml"), bytes);
            return new SpooledMessage(f, limits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A MESSAGE transaction for {@code mail} from {@code client}. */
    public static Transaction tx(SpooledMessage mail, String client, String sender, String... recipients) {
        List<MailAddress> rcpts = java.util.Arrays.stream(recipients).map(MailAddress::parse).toList();
        Envelope e = new Envelope(MailAddress.parse(sender), rcpts, mail.size(), rcpts.size(), "", "");
        return new Transaction(Identifiers.next(), Stage.MESSAGE, Connection.of(client, "", ""), e, Map.of(), mail);
    }

    public static Transaction tx(SpooledMessage mail) {
        return tx(mail, "203.0.113.5", "sender@example.net", "rcpt@example.org");
    }

    public final class Builder {
        private final StringBuilder header = new StringBuilder();
        private String text = "Hello,\nsee the attachment.\n";
        private final List<String> parts = new ArrayList<>();

        public Builder header(String name, String value) {
            header.append(name).append(": ").append(value).append('\n');
            return this;
        }

        public Builder text(String body) {
            this.text = body;
            return this;
        }

        public Builder attach(String filename, String contentType, byte[] body) {
            return part("Content-Type: " + contentType + (filename.isEmpty() ? "" : "; name=\"" + filename + "\"") + "\n"
                    + "Content-Transfer-Encoding: base64\n"
                    + "Content-Disposition: attachment" + (filename.isEmpty() ? "" : "; filename=\"" + filename + "\"") + "\n\n"
                    + base64(body));
        }

        public Builder inline(String contentType, byte[] body) {
            return part("Content-Type: " + contentType + "\nContent-Transfer-Encoding: base64\nContent-Disposition: inline\n\n" + base64(body));
        }

        /** A part as written, header and body. */
        public Builder part(String raw) {
            parts.add(raw);
            return this;
        }

        public String text() {
            StringBuilder b = new StringBuilder();
            if (header.indexOf("From:") < 0) b.append("From: Sender <sender@example.net>\n");
            b.append("To: rcpt@example.org\nSubject: Test\nMessage-ID: <t").append(n).append("@example.net>\n").append(header);
            b.append("MIME-Version: 1.0\n");
            if (parts.isEmpty()) return b.append("Content-Type: text/plain; charset=utf-8\n\n").append(text).toString();
            String boundary = "=_b" + Integer.toHexString(parts.size() * 7919 + 17);
            b.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\n\n");
            b.append("--").append(boundary).append("\nContent-Type: text/plain; charset=utf-8\n\n").append(text).append('\n');
            for (String p : parts) b.append("--").append(boundary).append('\n').append(p).append('\n');
            return b.append("--").append(boundary).append("--\n").toString();
        }

        public SpooledMessage message() {
            return raw(text());
        }
    }

    /** Base64 in lines of 76 characters, as mailers write it. */
    public static String base64(byte[] body) {
        return Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(body) + "\n";
    }
}
